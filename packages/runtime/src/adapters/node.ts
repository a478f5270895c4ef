import type { IncomingMessage, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'
import { serverTimesBody, type BodyTiming } from '../http/body.js'

/** A Fetch handler as `toNodeListener` serves it; `undefined` answers 404. */
export type NodeFetchHandler = (
  request: Request,
) => Response | undefined | Promise<Response | undefined>

/** Options of {@link toNodeListener}. */
export interface NodeListenerOptions {
  /** Told of a handler that threw (answered 500) or a response body that failed mid-stream. */
  readonly onError?: (error: unknown) => void
}

/** Options of {@link toRequest}. */
export interface ToRequestOptions {
  /** The path and query to use instead of `message.url` (Express's `originalUrl`). */
  readonly url?: string
  /** Whether a POST's body is passed on as a stream. Default `true`. */
  readonly body?: boolean
  /** Aborts the request's signal when the client goes away before the response is done. */
  readonly res?: ServerResponse
}

/** A Fetch `Request` for a `node:http` request: method, URL, headers and (streamed) body. */
export function toRequest(message: IncomingMessage, options: ToRequestOptions = {}): Request {
  const tls = (message.socket as { encrypted?: boolean } | null)?.encrypted === true
  const url = `${tls ? 'https' : 'http'}://${message.headers.host ?? 'localhost'}${options.url ?? message.url ?? '/'}`
  const headers = new Headers()
  const raw = message.rawHeaders
  for (let i = 0; i + 1 < raw.length; i += 2)
    if (raw[i]![0] !== ':') headers.append(raw[i]!, raw[i + 1]!)
  const method = message.method ?? 'GET'
  const init: RequestInit & { duplex?: 'half' } = { method, headers }
  if (options.body !== false && method !== 'GET' && method !== 'HEAD') {
    init.body = Readable.toWeb(message) as ReadableStream<Uint8Array>
    init.duplex = 'half'
  }
  const res = options.res
  if (res !== undefined) {
    const controller = new AbortController()
    res.once('close', () => {
      if (!res.writableFinished) controller.abort()
    })
    init.signal = controller.signal
  }
  return new Request(url, init)
}

/**
 * Writes a Fetch `Response` to a `node:http` response, streaming its body with backpressure;
 * the body is cancelled when the connection closes before it has been sent whole.
 */
export function sendResponse(response: Response, res: ServerResponse, head = false): Promise<void> {
  return writeResponse(response, res, head, undefined)
}

/**
 * {@link sendResponse}, telling `timing` (when given) of the body's first chunk and of its end:
 * sent whole, cancelled (HEAD, or the client left) or failed.
 */
async function writeResponse(
  response: Response,
  res: ServerResponse,
  head: boolean,
  timing: BodyTiming | undefined,
): Promise<void> {
  const headers: Record<string, string | string[]> = {}
  response.headers.forEach((value, name) => {
    headers[name] = value
  })
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) headers['set-cookie'] = cookies
  res.writeHead(response.status, headers)
  const body = response.body
  if (body === null || head) {
    await body?.cancel()
    timing?.end()
    res.end()
    return
  }
  const reader = (body as ReadableStream<Uint8Array>).getReader()
  // A client that goes away mid-body cancels it at once, not at the next chunk: a streamed
  // body's producer (an LLM stream) stops, and the telemetry times the request to then.
  const left = (): void => {
    if (res.writableFinished) return
    timing?.end()
    reader.cancel().catch(() => undefined)
  }
  res.once('close', left)
  try {
    await writeBody(reader, res, timing)
  } finally {
    res.off('close', left)
    reader.releaseLock()
  }
}

/** Writes the body chunk by chunk as `res` takes it, then ends `res`. */
async function writeBody(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  res: ServerResponse,
  timing: BodyTiming | undefined,
): Promise<void> {
  for (;;) {
    let step: Awaited<ReturnType<typeof reader.read>>
    try {
      step = await (timing === undefined ? reader.read() : timing.read(reader))
    } catch (error) {
      timing?.end({ error })
      throw error
    }
    if (step.done) break
    timing?.firstByte()
    if (!res.write(step.value) && !(await drained(res))) {
      timing?.end()
      await reader.cancel()
      return
    }
  }
  timing?.end()
  res.end()
}

/** Resolves `true` once `res` can take more, `false` when it closed first. */
function drained(res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done)
      res.off('close', done)
      resolve(!res.destroyed)
    }
    res.once('drain', done)
    res.once('close', done)
  })
}

const json = (status: number, error: string): Response => Response.json({ error }, { status })

/**
 * A `node:http` request listener serving a Fetch handler: `createServer(toNodeListener(h))`.
 * `undefined` from the handler answers 404 JSON, a throw 500 JSON (`onError` hears of it), a
 * request that is no valid URL 400; `HEAD` gets the headers only. A body that fails mid-stream
 * destroys the connection, since its status is already sent.
 */
export function toNodeListener(
  handler: NodeFetchHandler,
  options: NodeListenerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const onError = options.onError ?? ((error: unknown) => console.error('shipgate runtime:', error))
  return (req, res) => {
    void serve(handler, req, res, onError).catch((error: unknown) => {
      onError(error)
      res.destroy()
    })
  }
}

async function serve(
  handler: NodeFetchHandler,
  req: IncomingMessage,
  res: ServerResponse,
  onError: (error: unknown) => void,
): Promise<void> {
  let request: Request
  try {
    request = toRequest(req, { res })
  } catch {
    return sendResponse(json(400, 'bad_request'), res)
  }
  // The telemetry's spans end as this listener sends the body, so it need not wrap it.
  const timing = serverTimesBody(request)
  let response: Response
  try {
    response = (await handler(request)) ?? json(404, 'not_found')
  } catch (error) {
    onError(error)
    response = json(500, 'internal_error')
  }
  await writeResponse(response, res, req.method === 'HEAD', timing)
}
