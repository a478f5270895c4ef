/**
 * Token-bucket arithmetic shared by every limiter: the memory limiter runs it in process, and
 * the Redis limiter's Lua script (redis-script.ts) mirrors it line for line.
 */
import { ShipgateError } from '../errors.js'
import type { RateLimitDecision } from '../types.js'

/** A bucket's shape: `rate` tokens a second refill it up to `burst`. */
export interface BucketConfig {
  /** Tokens added per second; a positive number (0.5 = one every two seconds). */
  readonly rate: number
  /** The bucket's size: how many requests may go at once after an idle spell. A whole number ≥ 1. */
  readonly burst: number
}

/** Slack for floating-point error, in tokens: 1e-9 of a token is never a request. */
export const EPSILON = 1e-9

/** Checks `rate` and `burst`, throwing a config error that names the bad field. */
export function bucketConfig(options: BucketConfig): BucketConfig {
  const { rate, burst } = options
  if (!(Number.isFinite(rate) && rate > 0)) {
    throw configError(`rate must be a positive number of tokens a second, got ${rate}`)
  }
  if (!(Number.isInteger(burst) && burst >= 1)) {
    throw configError(`burst must be a whole number of at least 1, got ${burst}`)
  }
  return { rate, burst }
}

/** Checks a `take` cost: positive and at most `burst` (a larger cost could never be granted). */
export function checkCost(cost: number, config: BucketConfig): RangeError | undefined {
  if (Number.isFinite(cost) && cost > 0 && cost <= config.burst) return undefined
  return new RangeError(`rate limit cost must be > 0 and <= burst (${config.burst}), got ${cost}`)
}

/** Tokens in a bucket that held `tokens` `elapsedMs` ago (never negative time, never over burst). */
export function refill(tokens: number, elapsedMs: number, config: BucketConfig): number {
  return Math.min(config.burst, tokens + (Math.max(0, elapsedMs) * config.rate) / 1000)
}

/** Whether a bucket holding `tokens` can pay `cost`. */
export function canPay(tokens: number, cost: number): boolean {
  return tokens + EPSILON >= cost
}

/**
 * The decision for a bucket that holds `tokens` after the request (after paying `cost` when
 * `allowed`, untouched when not). A `peek` passes `cost` 1 and whether one token is there.
 */
export function decide(
  tokens: number,
  cost: number,
  allowed: boolean,
  config: BucketConfig,
): RateLimitDecision {
  return {
    allowed,
    remaining: Math.max(0, Math.floor(tokens + EPSILON)),
    limit: config.burst,
    retryAfterMs: allowed ? 0 : msToEarn(cost - tokens, config),
    resetMs: msToEarn(config.burst - tokens, config),
  }
}

/** Whole milliseconds until `tokens` more have refilled (rounded up: never too early). */
export function msToEarn(tokens: number, config: BucketConfig): number {
  // The slack comes off in tokens, so it outweighs the rounding of the division at any rate.
  return Math.ceil((Math.max(0, tokens - EPSILON) * 1000) / config.rate)
}

function configError(message: string): ShipgateError {
  return new ShipgateError('config', `rate limiter: ${message}`, {
    hint: 'rate is tokens a second (e.g. 5), burst the bucket size (e.g. 10)',
  })
}
