import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** The reply vocabulary shared by every fake lives in reply.ts; import it from here. */
export type * from './reply.js'

/** One HTTP request as a fake server received it. */
export interface RecordedRequest {
  /** The HTTP method, upper case. */
  readonly method: string
  /** The path with its query string, e.g. `/v1/messages` or `/v1/messages?beta=true`. */
  readonly path: string
  /** The request headers, names lower-cased, repeated headers joined with `, `. */
  readonly headers: Record<string, string>
  /** The body parsed as JSON, or its raw text when it is not JSON (`''` when empty). */
  readonly body: unknown
  /** `Date.now()` once the whole body had arrived. */
  readonly receivedAt: number
}

/** A running loopback fake of a model API. */
export interface FakeServer {
  /** The base URL, e.g. `http://127.0.0.1:43123`, without a trailing slash. */
  readonly url: string
  /** Every request received, in arrival order; recorded before it is answered. */
  readonly requests: RecordedRequest[]
  /**
   * Stops listening and destroys every open connection, including hanging requests and
   * streams in the middle of their events. Idempotent; resolves once the server is closed.
   */
  close(): Promise<void>
}

/** One request being answered, as a fake's handler sees it. */
export interface Exchange {
  /** The request, already in `FakeServer.requests`. */
  readonly request: RecordedRequest
  /** As {@link ReplyRequest.attempt}. */
  readonly attempt: number
  /** As {@link ReplyRequest.index}. */
  readonly index: number
  /** Where the answer goes. */
  readonly res: ServerResponse
  /** Aborted by `close()`: stop waiting and writing. */
  readonly signal: AbortSignal
}

/** Answers one exchange; a rejection is answered with a plain-text 500. */
export type FakeHandler = (exchange: Exchange) => Promise<void>

/** Starts a server on 127.0.0.1 with an ephemeral port that records, then hands on, requests. */
export async function startFakeServer(handler: FakeHandler): Promise<FakeServer> {
  const requests: RecordedRequest[] = []
  const attempts = new Map<string, number>()
  const closing = new AbortController()
  const server = createServer((req, res) => {
    readBody(req)
      .then((raw) => {
        const request = record(req, raw)
        const key = `${request.method} ${request.path} ${raw}`
        const attempt = (attempts.get(key) ?? 0) + 1
        attempts.set(key, attempt)
        const index = requests.push(request) - 1
        return handler({ request, attempt, index, res, signal: closing.signal })
      })
      .catch((error: unknown) => failPlainly(res, error))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const { port } = server.address() as AddressInfo
  let closed: Promise<void> | undefined
  const close = (): Promise<void> =>
    (closed ??= new Promise<void>((resolve, reject) => {
      closing.abort()
      server.close((error) => (error ? reject(error) : resolve()))
      server.closeAllConnections()
    }))
  return { url: `http://127.0.0.1:${port}`, requests, close }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

function record(req: IncomingMessage, raw: string): RecordedRequest {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return {
    method: req.method ?? 'GET',
    path: req.url ?? '/',
    headers,
    body: parseJson(raw),
    receivedAt: Date.now(),
  }
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown
  } catch {
    return raw // not JSON: the raw text is the record
  }
}

function failPlainly(res: ServerResponse, error: unknown): void {
  if (res.headersSent) return void res.destroy()
  const text = `fake server failed: ${error instanceof Error ? error.message : String(error)}`
  res.writeHead(500, { 'content-type': 'text/plain' }).end(text)
}

/** Writes a complete JSON response. */
export function writeJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { ...JSON_HEADERS, 'content-length': Buffer.byteLength(text), ...headers })
  res.end(text)
}

/**
 * Writes the headers (with the full `content-length`) and the first half of a JSON body, then
 * destroys the socket: a response cut off in transit.
 */
export async function writeTruncatedJson(
  res: ServerResponse,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): Promise<void> {
  const bytes = Buffer.from(JSON.stringify(body))
  res.writeHead(200, { ...JSON_HEADERS, 'content-length': bytes.length, ...headers })
  await write(res, bytes.subarray(0, Math.floor(bytes.length / 2)))
  res.destroy()
}

const JSON_HEADERS = { 'content-type': 'application/json' }

/** One Server-Sent Event; a string `data` is written as is, anything else as JSON. */
export interface SseEvent {
  /** The `event:` line; absent for data-only events (Chat Completions). */
  readonly event?: string
  /** The `data:` line. */
  readonly data: unknown
}

/** Starts a 200 `text/event-stream` response and flushes its headers. */
export function openSse(res: ServerResponse, headers: Readonly<Record<string, string>> = {}): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...headers,
  })
  res.flushHeaders()
}

/**
 * Writes `events` in order, waiting `delayMs` before each one but the first, and each until it
 * is handed to the socket. Resolves `false` as soon as the connection is gone or `signal` aborts.
 */
export async function writeSse(
  res: ServerResponse,
  events: readonly SseEvent[],
  options: { readonly delayMs?: number; readonly signal: AbortSignal },
): Promise<boolean> {
  for (const [i, event] of events.entries()) {
    if (i > 0) await sleep(options.delayMs ?? 0, options.signal)
    if (res.destroyed || options.signal.aborted) return false
    await write(res, formatSse(event))
  }
  return !res.destroyed
}

function formatSse({ event, data }: SseEvent): string {
  const line = typeof data === 'string' ? data : JSON.stringify(data)
  return `${event === undefined ? '' : `event: ${event}\n`}data: ${line}\n\n`
}

function write(res: ServerResponse, chunk: string | Uint8Array): Promise<void> {
  // The callback also runs (with an error) when the socket dies first; either way we go on.
  return new Promise((resolve) => res.write(chunk, () => resolve()))
}

/** Waits `ms` milliseconds, or less if `signal` aborts first. Never rejects. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve()
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
  })
}
