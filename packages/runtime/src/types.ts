/** The verdict of a rate limiter on one request. */
export interface RateLimitDecision {
  /** Whether the request may go ahead (a token was taken). */
  readonly allowed: boolean
  /** Whole tokens left in the user's bucket after this decision. */
  readonly remaining: number
  /** The bucket's size (burst). */
  readonly limit: number
  /** When not allowed: milliseconds until a token is available (for `Retry-After`). */
  readonly retryAfterMs: number
  /** Milliseconds until the bucket is full again. */
  readonly resetMs: number
}

/** A per-user token bucket: `rate` tokens a second refill a bucket of `burst`. */
export interface RateLimiter {
  /** Takes `cost` tokens (default 1) from `key`'s bucket when it has them. */
  take(key: string, cost?: number): Promise<RateLimitDecision>
  /** `key`'s bucket as it stands, taking nothing. */
  peek(key: string): Promise<RateLimitDecision>
  /** Releases connections (Redis). */
  close?(): Promise<void>
}
