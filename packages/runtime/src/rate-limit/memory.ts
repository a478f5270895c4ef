import { ShipgateError } from '../errors.js'
import type { RateLimitDecision, RateLimiter } from '../types.js'
import { bucketConfig, canPay, checkCost, decide, refill } from './bucket.js'
import type { BucketConfig } from './bucket.js'

/** Options of {@link createMemoryRateLimiter}. */
export interface MemoryRateLimiterOptions extends BucketConfig {
  /** The clock, in milliseconds; `performance.now()` (monotonic) unless a test drives it. */
  readonly now?: () => number
  /**
   * The most buckets kept (default 100,000). Past it the least recently used bucket is dropped
   * even if not yet full, which hands that key a fresh burst: a flood of distinct keys costs
   * leniency, never unbounded memory.
   */
  readonly maxKeys?: number
}

/** A limiter in this process's memory; `size` is how many buckets it holds. */
export interface MemoryRateLimiter extends RateLimiter {
  /** Buckets held: keys that took a token within the last `burst / rate` seconds (at most). */
  readonly size: number
}

interface Bucket {
  /** Tokens at time `at`. */
  tokens: number
  at: number
}

/**
 * A per-key token bucket for one process. Refill is computed on access, every call is O(1)
 * amortized, and no timer runs: each write drops the buckets that are full again. The map is
 * kept in order of last write, so those are found at its front and the sweep stops at the first
 * one still refilling. A dropped bucket was full, which is what a missing one means.
 */
export function createMemoryRateLimiter(options: MemoryRateLimiterOptions): MemoryRateLimiter {
  const config = bucketConfig(options)
  const now = options.now ?? (() => performance.now())
  const maxKeys = checkMaxKeys(options.maxKeys ?? 100_000)
  const fillMs = (config.burst * 1000) / config.rate
  const buckets = new Map<string, Bucket>()

  function evict(time: number): void {
    for (const [key, bucket] of buckets) {
      if (bucket.at + fillMs > time && buckets.size <= maxKeys) return
      buckets.delete(key)
    }
  }

  /** Tokens in `key`'s bucket at `time`, and the time they are counted at. */
  function current(key: string, time: number): Bucket {
    const bucket = buckets.get(key)
    if (bucket === undefined) return { tokens: config.burst, at: time }
    // A clock that steps back mints no tokens: time stands still until it catches up.
    const at = Math.max(bucket.at, time)
    return { tokens: refill(bucket.tokens, at - bucket.at, config), at }
  }

  return {
    get size() {
      return buckets.size
    },
    take(key, cost = 1): Promise<RateLimitDecision> {
      const invalid = checkCost(cost, config)
      if (invalid !== undefined) return Promise.reject(invalid)
      const time = now()
      const bucket = current(key, time)
      const allowed = canPay(bucket.tokens, cost)
      if (allowed) {
        bucket.tokens = Math.max(0, bucket.tokens - cost)
        // Delete first so the key moves to the back: the map stays in order of last write.
        buckets.delete(key)
        buckets.set(key, bucket)
        evict(time)
      }
      return Promise.resolve(decide(bucket.tokens, cost, allowed, config))
    },
    peek(key): Promise<RateLimitDecision> {
      const { tokens } = current(key, now())
      return Promise.resolve(decide(tokens, 1, canPay(tokens, 1), config))
    },
  }
}

function checkMaxKeys(maxKeys: number): number {
  if (Number.isInteger(maxKeys) && maxKeys >= 1) return maxKeys
  throw new ShipgateError(
    'config',
    `rate limiter: maxKeys must be a whole number ≥ 1, got ${maxKeys}`,
  )
}
