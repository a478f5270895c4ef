/**
 * `@shipgate/runtime/express`: the runtime's endpoints as Express middleware. Express is an
 * optional peer: these types are the part of Express's request, response and `next` the
 * middleware uses, so they compile without `express` or `@types/express` installed, and an
 * Express `Request`, `Response` and `NextFunction` fit them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { RuntimeHandler } from '../http/fetch.js'
import { OTHER_ROUTE } from '../http/routes.js'
import type { Telemetry } from '../telemetry/telemetry.js'
import { rateLimitGate } from '../http/rate-limit.js'
import type { FrameworkMiddlewareOptions, FrameworkRateLimitOptions } from './framework.js'
import { sendResponse, toRequest } from './node.js'

export type { FrameworkMiddlewareOptions, FrameworkRateLimitOptions } from './framework.js'

/** The part of an Express request the middleware reads. */
export interface ExpressRequest extends IncomingMessage {
  readonly method: string
  /** The URL as received, before routers stripped their mount path. */
  readonly originalUrl: string
  /** The mount path of the router that matched. */
  readonly baseUrl: string
  /** The route that matched, once routing is done (Express types it `any`). */
  readonly route?: unknown
}

/** The part of an Express request `expressRateLimit`'s `key` can read besides the headers. */
export interface ExpressRateLimitRequest extends ExpressRequest {
  /** A request header by name, as Express's `req.get()`. */
  get(name: string): string | undefined
}

/** Express's `next`: called with nothing to go on, or with an error. */
export type ExpressNext = (error?: unknown) => void

/** An Express middleware, as `app.use()` takes it. */
export type ExpressMiddleware = (
  req: ExpressRequest,
  res: ServerResponse,
  next: ExpressNext,
) => void

/**
 * Express middleware serving the runtime handler's endpoints (`app.use(expressMiddleware(h))`)
 * and calling `next()` for every other request. The runtime handler sees the method, URL and
 * headers, never the body, which stays for Express's own parsers. With `{ telemetry }`, each
 * request passed on is recorded when its response closes (after its last byte, a streamed body
 * included), with its time to the body's first byte apart.
 */
export function expressMiddleware(
  runtime: RuntimeHandler,
  options: FrameworkMiddlewareOptions = {},
): ExpressMiddleware {
  const { telemetry } = options
  return (req, res, next) => {
    void serveOrPass(runtime, telemetry, req, res, next).catch(next)
  }
}

async function serveOrPass(
  runtime: RuntimeHandler,
  telemetry: Telemetry | undefined,
  req: ExpressRequest,
  res: ServerResponse,
  next: ExpressNext,
): Promise<void> {
  const response = await runtime(toRequest(req, { url: req.originalUrl, body: false }))
  if (response !== undefined) return sendResponse(response, res, req.method === 'HEAD')
  if (telemetry === undefined) return next()
  record(telemetry, req, res, next)
}

function record(
  telemetry: Telemetry,
  req: ExpressRequest,
  res: ServerResponse,
  next: ExpressNext,
): void {
  const span = telemetry.beginRequest(req.method)
  const route = watchRoute(req)
  onFirstWrite(res, () => span.firstByte())
  // 'close' follows the body's last byte ('finish'), or the client going away before it.
  res.once('close', () => span.end({ route: route(), status: res.statusCode }))
  span.run(() => next())
}

/**
 * Calls `mark` at the response's first `write` or `end`: its first body byte, or its end when
 * it has no body. Wraps the methods on this response only and stays in place: a middleware
 * that wrapped them after us (compression) would lose its wrapper if we restored them.
 */
function onFirstWrite(res: ServerResponse, mark: () => void): void {
  const write = res.write.bind(res)
  const end = res.end.bind(res)
  let marked = false
  const first = (): void => {
    if (marked) return
    marked = true
    mark()
  }
  res.write = ((...args: Parameters<ServerResponse['write']>) => {
    first()
    return write(...args)
  }) as ServerResponse['write']
  res.end = ((...args: Parameters<ServerResponse['end']>) => {
    first()
    return end(...args)
  }) as ServerResponse['end']
}

/**
 * The route Express matched, taken when Express sets `req.route`: then `req.baseUrl` is the
 * mount path of the router that matched. Read later (when the response closes) it is not: Express
 * 5 restores `req.baseUrl` as each router exits, so a route that threw would be labelled
 * `undefined/boom`. Express 4 and 5 both assign `req.route` as a plain property.
 */
function watchRoute(req: ExpressRequest): () => string {
  let label: string = OTHER_ROUTE
  let current: unknown = req.route
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => current,
    set: (value: unknown) => {
      current = value
      const path = (value as { path?: unknown } | undefined)?.path
      if (typeof path === 'string') label = `${req.baseUrl}${path}`
    },
  })
  return () => label
}

/**
 * Express middleware that takes a token from the request's bucket before the routes after it
 * (`app.use(expressRateLimit({ limiter, key: (req) => req.get('x-user-id') }))`): a refused
 * request gets a 429 JSON answer with `Retry-After` and the `RateLimit-*` headers, the others go
 * on with the `RateLimit-*` headers set. The runtime handler's `GET /rate-limit/{user}` reports
 * the same buckets when given the same limiter.
 */
export function expressRateLimit(
  options: FrameworkRateLimitOptions<ExpressRateLimitRequest>,
): (req: ExpressRateLimitRequest, res: ServerResponse, next: ExpressNext) => void {
  const cost = options.cost ?? 1
  return (req, res, next) => {
    void (async () => {
      const key = await options.key(req)
      if (key === undefined) return next()
      const gate = await rateLimitGate(options, key, typeof cost === 'number' ? cost : cost(req))
      if (!gate.allowed) return sendResponse(gate.response, res, req.method === 'HEAD')
      for (const [name, value] of Object.entries(gate.headers ?? {})) res.setHeader(name, value)
      next()
    })().catch(next)
  }
}
