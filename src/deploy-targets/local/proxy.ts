/**
 * The local target's reverse proxy: weighted between instances, optionally sticky by a request
 * header, streaming bodies both ways. Every answer names the release that gave it in
 * `x-shipgate-release`.
 */
import { Agent, createServer, request as httpRequest } from 'node:http'
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http'

/** An instance the proxy may send a request to. */
export interface Route {
  readonly releaseId: string
  readonly port: number
  readonly weight: number
}

/** Options of {@link createProxy}. */
export interface ProxyOptions {
  /** Request header whose value keeps a user on one release (hashed). */
  readonly stickyHeader: string | null
  /** The routes now; called per request. */
  readonly routes: () => readonly Route[]
  readonly random?: () => number
}

/** The response header naming the release that answered. */
export const RELEASE_HEADER = 'x-shipgate-release'

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
])

/** A proxy server (not listening yet). */
export function createProxy(options: ProxyOptions): Server {
  const agent = new Agent({ keepAlive: true })
  const random = options.random ?? Math.random
  return createServer((req, res) => {
    const key = options.stickyHeader === null ? undefined : req.headers[options.stickyHeader]
    const point = typeof key === 'string' && key !== '' ? stickyPoint(key) : random()
    const route = pickRoute(options.routes(), point)
    if (route === undefined) return fail(res, 'no instance of the service is up')
    forward(req, res, route, agent)
  })
}

/**
 * The route whose share of the total weight contains `point` (0 ≤ point < 1), in the order
 * given; `undefined` when no route has weight.
 */
export function pickRoute(routes: readonly Route[], point: number): Route | undefined {
  const live = routes.filter((r) => r.weight > 0)
  const total = live.reduce((sum, r) => sum + r.weight, 0)
  let at = point * total
  for (const route of live) {
    if (at < route.weight) return route
    at -= route.weight
  }
  return live.at(-1)
}

/** A point in [0, 1) fixed by `value` (FNV-1a), so one user always lands on one share. */
export function stickyPoint(value: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return (hash % 10_000) / 10_000
}

function forward(req: IncomingMessage, res: ServerResponse, route: Route, agent: Agent): void {
  const upstream = httpRequest(
    {
      host: '127.0.0.1',
      port: route.port,
      method: req.method,
      path: req.url,
      headers: endToEnd(req.headers),
      agent,
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, {
        ...endToEnd(answer.headers),
        [RELEASE_HEADER]: route.releaseId,
      })
      answer.pipe(res)
    },
  )
  upstream.on('error', (error) => {
    if (!res.headersSent) fail(res, `release ${route.releaseId} did not answer: ${error.message}`)
    else res.destroy(error)
  })
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy()
  })
  req.pipe(upstream)
}

/** `headers` without hop-by-hop ones (those listed and those named in `Connection`). */
function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const named = String(headers.connection ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
  const out: IncomingHttpHeaders = {}
  for (const [name, value] of Object.entries(headers)) {
    if (!HOP_BY_HOP.has(name) && !named.includes(name)) out[name] = value
  }
  return out
}

function fail(res: ServerResponse, message: string): void {
  res.writeHead(502, { 'content-type': 'application/json' })
  res.end(JSON.stringify({ error: message }))
}
