import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'

/*
 * A loopback webhook catcher: records every request with its raw body (signatures are checked on
 * the bytes sent) and answers as told — the first `failFirst` with `failWith`, the rest with 200 —
 * or as a `reply` function decides, optionally after a delay (for timeouts).
 */

/** One request as the catcher received it. */
export interface CaughtRequest {
  readonly method: string
  readonly path: string
  /** Names lower-cased. */
  readonly headers: Record<string, string>
  /** The body exactly as received. */
  readonly raw: string
  /** The body parsed as JSON, or `undefined` when it is not JSON. */
  readonly json: unknown
  /** `Date.now()` once the body had arrived. */
  readonly receivedAt: number
}

/** How the catcher answers one request. */
export interface CatcherReply {
  readonly status: number
  readonly headers?: Record<string, string>
  readonly body?: string
  /** Wait this long before answering. */
  readonly delayMs?: number
}

/** Options of {@link startWebhookCatcher}. */
export interface CatcherOptions {
  /** Requests answered with `failWith` before the catcher starts answering 200. */
  readonly failFirst?: number
  /** The failing answer; 503 by default. */
  readonly failWith?: CatcherReply
  /** Decides every answer instead (index counts from 0); wins over failFirst. */
  readonly reply?: (index: number, request: CaughtRequest) => CatcherReply
}

/** A running catcher. */
export interface WebhookCatcher {
  /** Base URL without a trailing slash; post to any path under it. */
  readonly url: string
  readonly requests: CaughtRequest[]
  /** Resolves once `count` requests have arrived (or at once if they have). */
  received(count: number): Promise<void>
  close(): Promise<void>
}

/** Starts a catcher on 127.0.0.1 with an ephemeral port. */
export async function startWebhookCatcher(options: CatcherOptions = {}): Promise<WebhookCatcher> {
  const requests: CaughtRequest[] = []
  const waiters: { count: number; resolve: () => void }[] = []
  const answer =
    options.reply ??
    ((index: number): CatcherReply =>
      index < (options.failFirst ?? 0)
        ? (options.failWith ?? { status: 503, body: 'unavailable' })
        : { status: 200, body: 'ok' })
  const server = createServer((req, res) => {
    void readRaw(req).then(async (raw) => {
      const request = record(req, raw)
      const index = requests.push(request) - 1
      for (const w of waiters.filter((w) => requests.length >= w.count)) w.resolve()
      const reply = answer(index, request)
      if (reply.delayMs !== undefined) await new Promise((r) => setTimeout(r, reply.delayMs))
      if (res.destroyed) return
      res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers })
      res.end(reply.body ?? '')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    received: (count) =>
      requests.length >= count
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ count, resolve })),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

async function readRaw(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

function record(req: IncomingMessage, raw: string): CaughtRequest {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value
  }
  let json: unknown
  try {
    json = JSON.parse(raw)
  } catch {
    json = undefined
  }
  return {
    method: req.method ?? '',
    path: req.url ?? '/',
    headers,
    raw,
    json,
    receivedAt: Date.now(),
  }
}
