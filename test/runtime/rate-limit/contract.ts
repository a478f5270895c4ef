/**
 * The behaviour every RateLimiter shares, run against each implementation. Time is the
 * harness's: virtual for the memory limiter, real for Redis (whose clock is the server's), so
 * the expectations allow for the few milliseconds a real run takes; the memory tests pin exact
 * values.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { BucketConfig } from '../../../packages/runtime/src/rate-limit/index.js'
import type { RateLimiter } from '../../../packages/runtime/src/types.js'

/** How the contract drives one implementation. */
export interface LimiterHarness {
  /** A limiter over a key space no other test shares. */
  make(config: BucketConfig): RateLimiter
  /** Lets at least `ms` pass for the limiter. */
  advance(ms: number): Promise<void>
}

/**
 * Registers the shared suite; `harness` is called before each test, and every limiter made is
 * closed after it.
 */
export function rateLimiterContract(name: string, harness: () => LimiterHarness): void {
  describe(`${name}: RateLimiter contract`, () => {
    let current: LimiterHarness
    beforeEach(() => {
      current = harness()
    })
    const advance = (ms: number): Promise<void> => current.advance(ms)
    const made: RateLimiter[] = []
    const make = (config: BucketConfig): RateLimiter => {
      const limiter = current.make(config)
      made.push(limiter)
      return limiter
    }
    afterEach(async () => {
      await Promise.all(made.splice(0).map(async (limiter) => await limiter.close?.()))
    })

    it('starts a key with a full bucket, and peek takes nothing', async () => {
      const limiter = make({ rate: 1, burst: 5 })
      const full = { allowed: true, remaining: 5, limit: 5, retryAfterMs: 0, resetMs: 0 }
      expect(await limiter.peek('user')).toEqual(full)
      expect(await limiter.peek('user')).toEqual(full)
      expect((await limiter.take('user')).remaining).toBe(4)
      expect((await limiter.peek('user')).remaining).toBe(4)
    })

    it('lets a burst through, then refuses with the wait for one token', async () => {
      const limiter = make({ rate: 1, burst: 5 })
      const burst = await sequence(5, () => limiter.take('user'))
      expect(burst.map((d) => [d.allowed, d.remaining, d.retryAfterMs])).toEqual([
        [true, 4, 0],
        [true, 3, 0],
        [true, 2, 0],
        [true, 1, 0],
        [true, 0, 0],
      ])
      const refused = await limiter.take('user')
      expect(refused).toMatchObject({ allowed: false, remaining: 0, limit: 5 })
      expect(refused.retryAfterMs).toBeGreaterThan(900)
      expect(refused.retryAfterMs).toBeLessThanOrEqual(1000)
      expect(refused.resetMs).toBeGreaterThan(4900)
      expect(refused.resetMs).toBeLessThanOrEqual(5000)
    })

    it('charges nothing for a refused take', async () => {
      const limiter = make({ rate: 5, burst: 2 })
      await sequence(2, () => limiter.take('user'))
      await advance(120) // 0.6 of a token
      expect((await limiter.take('user')).allowed).toBe(false)
      await advance(120) // 1.2 tokens, had the refusal not reset the refill
      expect(await limiter.take('user')).toMatchObject({ allowed: true, remaining: 0 })
    })

    it('takes `cost` tokens at once', async () => {
      const limiter = make({ rate: 1, burst: 5 })
      expect(await limiter.take('user', 3)).toMatchObject({ allowed: true, remaining: 2 })
      const refused = await limiter.take('user', 3)
      expect(refused).toMatchObject({ allowed: false, remaining: 2 })
      expect(refused.retryAfterMs).toBeGreaterThan(900)
      expect(refused.retryAfterMs).toBeLessThanOrEqual(1000)
      expect(await limiter.take('user', 2)).toMatchObject({ allowed: true, remaining: 0 })
    })

    it('rejects a cost that is not positive or exceeds the burst', async () => {
      const limiter = make({ rate: 1, burst: 5 })
      for (const cost of [0, -1, 6, Number.NaN]) {
        await expect(limiter.take('user', cost)).rejects.toThrow(RangeError)
      }
      expect((await limiter.peek('user')).remaining).toBe(5)
    })

    it('keeps a bucket per key', async () => {
      const limiter = make({ rate: 1, burst: 2 })
      await sequence(2, () => limiter.take('alice'))
      expect((await limiter.take('alice')).allowed).toBe(false)
      expect(await limiter.take('bob')).toMatchObject({ allowed: true, remaining: 1 })
    })

    it('refills at `rate`, up to `burst` and no further', async () => {
      const limiter = make({ rate: 50, burst: 3 })
      expect((await sequence(3, () => limiter.take('user'))).at(-1)?.remaining).toBe(0)
      await advance(400) // 20 tokens' worth
      expect(await limiter.peek('user')).toMatchObject({ allowed: true, remaining: 3, resetMs: 0 })
      expect(await limiter.take('user')).toMatchObject({ allowed: true, remaining: 2 })
    })

    it('allows exactly `burst` of 200 parallel takes on one key', async () => {
      const limiter = make({ rate: 0.01, burst: 50 })
      const decisions = await Promise.all(Array.from({ length: 200 }, () => limiter.take('user')))
      expect(decisions.filter((d) => d.allowed)).toHaveLength(50)
      expect(decisions.filter((d) => !d.allowed).every((d) => d.remaining === 0)).toBe(true)
    })
  })
}

/** Runs `step` `n` times, one after another. */
export async function sequence<T>(n: number, step: () => Promise<T>): Promise<T[]> {
  const results: T[] = []
  for (let i = 0; i < n; i++) results.push(await step())
  return results
}
