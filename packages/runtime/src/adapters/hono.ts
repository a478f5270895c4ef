/**
 * `@shipgate/runtime/hono`: the runtime's endpoints as Hono middleware. Hono is an optional
 * peer: these types are the part of Hono's context the middleware uses, so they compile without
 * `hono` installed, and a Hono `Context` and `Next` fit them.
 */
import { timeBody } from '../http/body.js'
import type { RuntimeHandler } from '../http/fetch.js'
import { rateLimitGate } from '../http/rate-limit.js'
import type { FrameworkMiddlewareOptions, FrameworkRateLimitOptions } from './framework.js'

export type { FrameworkMiddlewareOptions, FrameworkRateLimitOptions } from './framework.js'

/** The part of a Hono `Context` the middleware uses. */
export interface HonoContext {
  readonly req: {
    readonly raw: Request
    readonly method: string
    /** The template of the route that answered, read after `next()`. */
    readonly routePath: string
    /** A request header by name. */
    header(name: string): string | undefined
  }
  /** The response so far; the middleware replaces it with one whose body it times. */
  res: Response
  /** What a handler threw, once Hono's error handler answered for it. */
  readonly error: Error | undefined
  /** Sets a header of the response the handlers after the middleware give. */
  header(name: string, value: string): void
}

/** A Hono middleware, as `app.use()` takes it. */
export type HonoMiddleware = (c: HonoContext, next: () => Promise<void>) => Promise<Response | void>

/**
 * Hono middleware serving the runtime handler's endpoints (`app.use(honoMiddleware(h))`) and
 * calling `next()` for every other request; the runtime handler never reads the body. With
 * `{ telemetry }`, each request passed on is recorded until its response body has been sent
 * whole (a streamed body included), with its time to the body's first chunk apart.
 */
export function honoMiddleware(
  runtime: RuntimeHandler,
  options: FrameworkMiddlewareOptions = {},
): HonoMiddleware {
  const { telemetry } = options
  return async (c, next) => {
    const response = await runtime(c.req.raw)
    if (response !== undefined) return response
    if (telemetry === undefined) return next()
    const span = telemetry.beginRequest(c.req.method)
    try {
      await span.run(next)
    } catch (error) {
      span.end({ route: c.req.routePath, status: 500, error })
      throw error
    }
    // After next(), the route path is the template of the handler that answered.
    const outcome = { route: c.req.routePath, status: c.res.status, error: c.error }
    c.res = timeBody(c.res, span, outcome, c.req.raw)
  }
}

/**
 * Hono middleware that takes a token from the request's bucket before the routes after it
 * (`app.use(honoRateLimit({ limiter, key: (c) => c.req.header('x-user-id') }))`):
 * a refused request gets a 429 JSON answer with `Retry-After` and the `RateLimit-*` headers, the
 * others go on with the `RateLimit-*` headers set.
 */
export function honoRateLimit(options: FrameworkRateLimitOptions<HonoContext>): HonoMiddleware {
  const cost = options.cost ?? 1
  return async (c, next) => {
    const key = await options.key(c)
    if (key === undefined) return next()
    const gate = await rateLimitGate(options, key, typeof cost === 'number' ? cost : cost(c))
    if (!gate.allowed) return gate.response
    for (const [name, value] of Object.entries(gate.headers ?? {})) c.header(name, value)
    return next()
  }
}
