/**
 * `@shipgate/runtime/hono`: the runtime's endpoints as Hono middleware. Hono is an optional
 * peer: these types are the part of Hono's context the middleware uses, so they compile without
 * `hono` installed, and a Hono `Context` and `Next` fit them.
 */
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
  readonly res: { readonly status: number }
  /** What a handler threw, once Hono's error handler answered for it. */
  readonly error: Error | undefined
  /** Sets a header of the response the handlers after the middleware give. */
  header(name: string, value: string): void
}

/** A Hono middleware, as `app.use()` takes it. */
export type HonoMiddleware = (c: HonoContext, next: () => Promise<void>) => Promise<Response | void>

/**
 * Hono middleware serving the runtime handler's endpoints (`app.use(honoMiddleware(h))`) and
 * calling `next()` for every other request; the runtime handler never reads the body.
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
    } finally {
      // After next(), the route path is the template of the handler that answered.
      const route = c.req.routePath
      span.end({
        route,
        status: c.res.status,
        ...(c.error === undefined ? {} : { error: c.error }),
      })
    }
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
