/**
 * `@shipgate/runtime/hono`: the runtime's endpoints as Hono middleware. Hono is an optional
 * peer: these types are the part of Hono's context the middleware uses, so they compile without
 * `hono` installed, and a Hono `Context` and `Next` fit them.
 */
import type { RuntimeHandler } from '../http/fetch.js'
import type { FrameworkMiddlewareOptions } from './framework.js'

export type { FrameworkMiddlewareOptions } from './framework.js'

/** The part of a Hono `Context` the middleware uses. */
export interface HonoContext {
  readonly req: {
    readonly raw: Request
    readonly method: string
    /** The template of the route that answered, read after `next()`. */
    readonly routePath: string
  }
  readonly res: { readonly status: number }
  /** What a handler threw, once Hono's error handler answered for it. */
  readonly error: Error | undefined
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
