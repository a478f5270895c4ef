import type { MiddlewareHandler } from 'hono'
import type { RuntimeHandler } from '../http/fetch.js'
import type { FrameworkMiddlewareOptions } from './express.js'

/**
 * Hono middleware serving the runtime handler's endpoints (`app.use(honoMiddleware(h))`) and
 * calling `next()` for every other request; the runtime handler never reads the body.
 */
export function honoMiddleware(
  runtime: RuntimeHandler,
  options: FrameworkMiddlewareOptions = {},
): MiddlewareHandler {
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
