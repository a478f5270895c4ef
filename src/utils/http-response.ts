import type { IncomingMessage } from 'node:http'
import { Readable } from 'node:stream'

/**
 * The `Response` that `httpFetch` hands the SDKs: a node:http answer read as the Fetch API reads
 * one, built without undici's `Response`, its `Headers` and a web stream per call. What the
 * SDKs, the cassettes and the providers read — status, headers (`get`, `has`, iteration), `url`,
 * `text()`, `json()`, `arrayBuffer()`, and `body` as a web stream for a streamed answer — is
 * answered here directly; anything else (`formData()`, `clone()`, ...) goes to a real
 * `Response` made from the answer on first use. At 10,000 calls this is most of the garbage
 * shipgate itself adds to an SDK call (see docs/benchmarks.md, issue 13), and garbage promoted
 * while calls are in flight is what raises the run's peak memory.
 */
export function nodeResponse(res: IncomingMessage, url: string): Response {
  return new NodeResponse(res, url)
}

/** Whether an answer of this status has a body (204, 205 and 304 have none). */
export function hasBody(status: number): boolean {
  return status !== 204 && status !== 205 && status !== 304
}

class NodeResponse {
  readonly status: number
  readonly statusText: string
  readonly headers: AnswerHeaders
  readonly url: string
  readonly redirected = false
  readonly type = 'basic'
  readonly #res: IncomingMessage
  #body: ReadableStream<Uint8Array> | null | undefined
  #used = false
  #real: Response | undefined

  constructor(res: IncomingMessage, url: string) {
    this.#res = res
    this.status = res.statusCode ?? 502
    this.statusText = res.statusMessage ?? ''
    this.headers = new AnswerHeaders(res.rawHeaders)
    this.url = url
    if (!hasBody(this.status)) this.#body = null
  }

  get ok(): boolean {
    return this.status >= 200 && this.status <= 299
  }

  /** The answer as a web stream, made when first asked for (a streamed answer's reader). */
  get body(): ReadableStream<Uint8Array> | null {
    if (this.#body === undefined)
      this.#body = Readable.toWeb(this.#res) as ReadableStream<Uint8Array>
    return this.#body
  }

  get bodyUsed(): boolean {
    return this.#used
  }

  async text(): Promise<string> {
    return (await this.#bytes()).toString('utf8')
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await this.#bytes()
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
  }

  async bytes(): Promise<Uint8Array> {
    return new Uint8Array(await this.arrayBuffer())
  }

  blob(): Promise<Blob> {
    return this.#asResponse().blob()
  }

  formData(): Promise<FormData> {
    return this.#asResponse().formData()
  }

  clone(): Response {
    return this.#asResponse().clone()
  }

  /** The whole body, once, as undici's `Response` would read it (a second read is a TypeError). */
  async #bytes(): Promise<Buffer> {
    if (this.#used) throw new TypeError('Body is unusable: Body has already been read')
    this.#used = true
    if (this.#body === null) return Buffer.alloc(0)
    // Asked for as a stream first: read through it, as the stream's reader would.
    if (this.#body !== undefined) return Buffer.from(await new Response(this.#body).arrayBuffer())
    const chunks: Buffer[] = []
    for await (const chunk of this.#res) chunks.push(chunk as Buffer)
    return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)
  }

  /** A real `Response` over the same answer, for the methods not answered here. */
  #asResponse(): Response {
    if (this.#real === undefined) {
      const body = this.body
      this.#used = true
      this.#real = new Response(body, {
        status: this.status,
        statusText: this.statusText,
        headers: [...this.headers],
      })
    }
    return this.#real
  }
}

/**
 * An answer's headers as the Fetch API's `Headers` reads them — names case-insensitive, a
 * repeated header's values joined with ", " — kept as the name-value pairs node:http received,
 * in that order. No sorted copy is made per iteration, as undici's `Headers` does.
 */
export class AnswerHeaders {
  // Lower-cased names and their values, in arrival order.
  readonly #pairs: [string, string][] = []

  constructor(raw: readonly string[]) {
    for (let i = 0; i < raw.length; i += 2) {
      this.#pairs.push([(raw[i] as string).toLowerCase(), raw[i + 1] as string])
    }
  }

  get(name: string): string | null {
    const key = name.toLowerCase()
    let value: string | null = null
    for (const [n, v] of this.#pairs) {
      if (n === key) value = value === null ? v : `${value}, ${v}`
    }
    return value
  }

  has(name: string): boolean {
    const key = name.toLowerCase()
    return this.#pairs.some(([n]) => n === key)
  }

  getSetCookie(): string[] {
    return this.#pairs.filter(([n]) => n === 'set-cookie').map(([, v]) => v)
  }

  /** Replaces every value of `name` (httpFetch stamps its latency header this way). */
  set(name: string, value: string): void {
    this.delete(name)
    this.#pairs.push([name.toLowerCase(), value])
  }

  append(name: string, value: string): void {
    this.#pairs.push([name.toLowerCase(), value])
  }

  delete(name: string): void {
    const key = name.toLowerCase()
    for (let i = this.#pairs.length - 1; i >= 0; i--) {
      if ((this.#pairs[i] as [string, string])[0] === key) this.#pairs.splice(i, 1)
    }
  }

  forEach(callback: (value: string, name: string, headers: this) => void): void {
    for (const [name, value] of this.entries()) callback(value, name, this)
  }

  /**
   * Each name once with its values joined, but each `set-cookie` apart, as `Headers` iterates
   * (in arrival order here, where `Headers` sorts).
   */
  *entries(): IterableIterator<[string, string]> {
    const pairs = this.#pairs
    for (let i = 0; i < pairs.length; i++) {
      const [name, value] = pairs[i] as [string, string]
      if (name === 'set-cookie') yield [name, value]
      else if (pairs.findIndex(([n]) => n === name) === i) yield [name, this.get(name) ?? '']
    }
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries()
  }
}
