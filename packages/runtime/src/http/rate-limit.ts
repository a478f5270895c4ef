import { rateLimitHeaders } from '../rate-limit/headers.js'
import type { RateLimitDecision, RateLimiter } from '../types.js'
import { json } from './fetch.js'

/** Options of {@link withRateLimit}. */
export interface RateLimitOptions {
  readonly limiter: RateLimiter
  /**
   * The bucket a request draws from, usually the user's id; `undefined` lets the request through
   * unlimited. A key read from a JSON body must read a clone (`request.clone().json()`).
   */
  readonly key: (request: Request) => string | undefined | Promise<string | undefined>
  /** Tokens a request takes. Default 1. */
  readonly cost?: number | ((request: Request) => number)
  /**
   * When the limiter itself fails (Redis unreachable): `true` (default) serves the request
   * unlimited, `false` answers 503. Either way `onError` hears of it.
   */
  readonly failOpen?: boolean
  /** Told of limiter failures. */
  readonly onError?: (error: unknown) => void
}

/**
 * The 429 of a refused request: `{ error: 'rate_limited', retry_after_s }` with `Retry-After`
 * (the same whole seconds, rounded up, at least 1) and the `RateLimit-*` headers.
 */
export function rateLimitedResponse(decision: RateLimitDecision): Response {
  const retryAfter = Math.max(1, Math.ceil(decision.retryAfterMs / 1000))
  const headers = { ...rateLimitHeaders(decision), 'Retry-After': String(retryAfter) }
  return json({ error: 'rate_limited', retry_after_s: retryAfter }, 429, headers)
}

/**
 * Wraps a Fetch handler so each request first takes a token from its key's bucket: refused
 * requests get {@link rateLimitedResponse}, the others the handler's response with the
 * `RateLimit-*` headers added.
 */
export function withRateLimit<R extends Response | undefined>(
  handler: (request: Request) => R | Promise<R>,
  options: RateLimitOptions,
): (request: Request) => Promise<R | Response> {
  const costOf = options.cost ?? 1
  return async (request) => {
    const key = await options.key(request)
    if (key === undefined) return handler(request)
    let decision: RateLimitDecision
    try {
      decision = await options.limiter.take(
        key,
        typeof costOf === 'number' ? costOf : costOf(request),
      )
    } catch (error) {
      options.onError?.(error)
      if (options.failOpen === false) return json({ error: 'rate_limiter_unavailable' }, 503)
      return handler(request)
    }
    if (!decision.allowed) return rateLimitedResponse(decision)
    const response = await handler(request)
    return response === undefined ? response : withHeaders(response, rateLimitHeaders(decision))
  }
}

/** Adds headers; a Response with immutable headers (one from `fetch`) is copied first. */
function withHeaders(response: Response, headers: Record<string, string>): Response {
  try {
    for (const [name, value] of Object.entries(headers)) response.headers.set(name, value)
    return response
  } catch {
    const copy = new Response(response.body, response)
    for (const [name, value] of Object.entries(headers)) copy.headers.set(name, value)
    return copy
  }
}
