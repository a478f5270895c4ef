/**
 * The local target's reverse proxy: weighted between the healthy instances, optionally sticky by
 * a request header, streaming bodies both ways. Every answer names the release that gave it in
 * `x-shipgate-release`. An instance out of rotation gets no new request; one already sent to it
 * runs to its end.
 */
import { Agent, createServer, request as httpRequest } from 'node:http'
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http'

/** An instance the proxy may send a request to. */
export interface Route {
  readonly releaseId: string
  readonly port: number
  /** Configured share of traffic (0–100). */
  readonly weight: number
  /** False while the instance's health checks take it out of rotation. */
  readonly healthy: boolean
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
    const routes = options.routes()
    const route = pickRoute(routes, point)
    if (route !== undefined) return forward(req, res, route, agent)
    const serving = routes.filter((r) => r.weight > 0)
    if (serving.length === 0) return fail(res, 502, 'no instance of the service is up')
    const releases = [...new Set(serving.map((r) => r.releaseId))].join(', ')
    fail(res, 503, `every instance with traffic (${releases}) is failing its health checks`)
  })
}

/**
 * The healthy route whose share of the healthy routes' total weight contains `point`
 * (0 ≤ point < 1), in the order given; `undefined` when no healthy route has weight.
 */
export function pickRoute(routes: readonly Route[], point: number): Route | undefined {
  const live = routes.filter((r) => r.weight > 0 && r.healthy)
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
    if (!res.headersSent) {
      fail(res, 502, `release ${route.releaseId} did not answer: ${error.message}`)
    } else res.destroy(error)
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

function fail(res: ServerResponse, status: 502 | 503, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify({ error: message }))
}
