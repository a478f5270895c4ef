import type { RateLimiter } from '../types.js'
import type { Telemetry } from '../telemetry/telemetry.js'

/** Options of `expressMiddleware` and `honoMiddleware`. */
export interface FrameworkMiddlewareOptions {
  /**
   * Records every request the runtime handler passes on, under the route template the
   * framework matched (Express `req.baseUrl + req.route.path`, Hono's route path).
   */
  readonly telemetry?: Telemetry
}

/**
 * Options of `expressRateLimit` and `honoRateLimit`: the per-user token bucket in front of the
 * app's own routes, as `withRateLimit` gives a Fetch handler. `Req` is the framework's request
 * (Express) or context (Hono).
 */
export interface FrameworkRateLimitOptions<Req> {
  readonly limiter: RateLimiter
  /** The bucket a request draws from, usually the user's id; `undefined` lets it through. */
  readonly key: (req: Req) => string | undefined | Promise<string | undefined>
  /** Tokens a request takes. Default 1. */
  readonly cost?: number | ((req: Req) => number)
  /** When the limiter fails: `true` (default) lets the request through, `false` answers 503. */
  readonly failOpen?: boolean
  /** Told of limiter failures. */
  readonly onError?: (error: unknown) => void
}
