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
    const gate = await rateLimitGate(
      options,
      key,
      typeof costOf === 'number' ? costOf : costOf(request),
    )
    if (!gate.allowed) return gate.response
    const response = await handler(request)
    if (gate.headers === undefined || response === undefined) return response
    return withHeaders(response, gate.headers)
  }
}

/**
 * What one request under a rate limit gets: through, with the `RateLimit-*` headers to add
 * (none when the limiter failed and `failOpen` let it through), or refused with this answer.
 */
export type RateLimitGate =
  | { readonly allowed: true; readonly headers: Record<string, string> | undefined }
  | { readonly allowed: false; readonly response: Response }

/**
 * Takes `cost` tokens from `key`'s bucket: the shared step of {@link withRateLimit} and the
 * Express and Hono rate-limit middlewares. Limiter failures go to `onError` and `failOpen`.
 */
export async function rateLimitGate(
  options: Pick<RateLimitOptions, 'limiter' | 'failOpen' | 'onError'>,
  key: string,
  cost: number,
): Promise<RateLimitGate> {
  let decision: RateLimitDecision
  try {
    decision = await options.limiter.take(key, cost)
  } catch (error) {
    options.onError?.(error)
    if (options.failOpen === false) {
      return { allowed: false, response: json({ error: 'rate_limiter_unavailable' }, 503) }
    }
    return { allowed: true, headers: undefined }
  }
  if (!decision.allowed) return { allowed: false, response: rateLimitedResponse(decision) }
  return { allowed: true, headers: rateLimitHeaders(decision) }
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
