import type { Telemetry } from '../telemetry/telemetry.js'

/** Options of `expressMiddleware` and `honoMiddleware`. */
export interface FrameworkMiddlewareOptions {
  /**
   * Records every request the runtime handler passes on, under the route template the
   * framework matched (Express `req.baseUrl + req.route.path`, Hono's route path).
   */
  readonly telemetry?: Telemetry
}
