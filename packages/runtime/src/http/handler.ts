import type { Telemetry } from '../telemetry/telemetry.js'
import type { RateLimiter } from '../types.js'
import { json, pathOf } from './fetch.js'
import type { RuntimeHandler } from './fetch.js'
import { runHealthChecks } from './health.js'
import type { HealthOptions } from './health.js'

/** Options of {@link createRuntimeHandler}. */
export interface RuntimeHandlerOptions {
  readonly telemetry: Telemetry
  /** The checks behind `GET /health`; without any, the service is healthy while it answers. */
  readonly health?: HealthOptions
  /** The limiter `GET /rate-limit/{user}` peeks at; without one that route answers 404. */
  readonly limiter?: RateLimiter
  /** A prefix for the three routes, e.g. `/_ops`. Default none. */
  readonly basePath?: string
}

const NO_STORE = { 'cache-control': 'no-store' }

/**
 * The runtime's endpoints as one Fetch handler: `GET /health`, `GET /metrics` (Prometheus
 * text, or the JSON window with `Accept: application/json` or `?format=json`) and
 * `GET /rate-limit/{user}`. Any other path resolves to `undefined`: not ours, pass it on.
 * `HEAD` is answered like `GET`; other methods get 405.
 */
export function createRuntimeHandler(options: RuntimeHandlerOptions): RuntimeHandler {
  const base = (options.basePath ?? '').replace(/\/+$/, '')
  const { telemetry } = options
  const routes: Record<string, (request: Request) => Promise<Response>> = {
    [`${base}/health`]: () => health(options),
    [`${base}/metrics`]: (request) => metrics(telemetry, request),
  }
  const rateLimitPrefix = `${base}/rate-limit/`
  return async (request) => {
    const path = pathOf(request.url)
    const route = routes[path]
    if (route !== undefined) return readOnly(request) ?? route(request)
    if (!path.startsWith(rateLimitPrefix)) return undefined
    const user = path.slice(rateLimitPrefix.length)
    if (user === '' || user.includes('/')) return undefined
    return readOnly(request) ?? rateLimit(options.limiter, user)
  }
}

/** A 405 for anything but GET and HEAD. */
function readOnly(request: Request): Response | undefined {
  if (request.method === 'GET' || request.method === 'HEAD') return undefined
  return json({ error: 'method_not_allowed' }, 405, { allow: 'GET, HEAD' })
}

async function health(options: RuntimeHandlerOptions): Promise<Response> {
  const { telemetry } = options
  const report = await runHealthChecks(options.health ?? {}, telemetry.identity, telemetry.now)
  return json(report, report.status === 'unhealthy' ? 503 : 200, NO_STORE)
}

async function metrics(telemetry: Telemetry, request: Request): Promise<Response> {
  if (wantsJson(request)) return json(telemetry.snapshot(), 200, NO_STORE)
  const chunks = await telemetry.metricsChunks()
  const length = chunks.reduce((n, c) => n + c.byteLength, 0)
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks.shift()
      if (chunk === undefined) controller.close()
      else controller.enqueue(chunk)
    },
  })
  const headers = { 'content-type': telemetry.contentType, 'content-length': String(length) }
  return new Response(body, { headers: { ...headers, ...NO_STORE } })
}

/** `?format=json` or `?format=prometheus` decide; else an `Accept` naming JSON. */
function wantsJson(request: Request): boolean {
  const query = request.url.indexOf('?')
  if (query >= 0) {
    const format = new URLSearchParams(request.url.slice(query + 1)).get('format')
    if (format === 'json') return true
    if (format === 'prometheus' || format === 'text') return false
  }
  return request.headers.get('accept')?.includes('application/json') === true
}

async function rateLimit(limiter: RateLimiter | undefined, encoded: string): Promise<Response> {
  if (limiter === undefined) return json({ error: 'no_rate_limiter' }, 404)
  let user: string
  try {
    user = decodeURIComponent(encoded)
  } catch {
    return json({ error: 'bad_user', detail: 'the user id is not valid percent-encoding' }, 400)
  }
  const d = await limiter.peek(user)
  return json({ user, limit: d.limit, remaining: d.remaining, reset_ms: d.resetMs }, 200, NO_STORE)
}
