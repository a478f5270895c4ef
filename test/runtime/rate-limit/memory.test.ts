import { describe, expect, it } from 'vitest'
import { ShipgateError } from '../../../src/errors.js'
import { createMemoryRateLimiter } from '../../../packages/runtime/src/rate-limit/index.js'
import type { MemoryRateLimiterOptions } from '../../../packages/runtime/src/rate-limit/index.js'
import { rateLimiterContract, sequence } from './contract.js'

/** A limiter on a clock that moves only when told. */
function onFakeClock(options: Omit<MemoryRateLimiterOptions, 'now'>) {
  const clock = { time: 0 }
  const limiter = createMemoryRateLimiter({ ...options, now: () => clock.time })
  return { limiter, clock }
}

rateLimiterContract('memory', () => {
  const clock = { time: 1_000_000 }
  return {
    make: (config) => createMemoryRateLimiter({ ...config, now: () => clock.time }),
    advance: (ms) => {
      clock.time += ms
      return Promise.resolve()
    },
  }
})

describe('createMemoryRateLimiter', () => {
  it('empties at the burst and refills at the rate, to the millisecond', async () => {
    const { limiter, clock } = onFakeClock({ rate: 2, burst: 3 })
    expect(await sequence(3, () => limiter.take('u'))).toEqual([
      { allowed: true, remaining: 2, limit: 3, retryAfterMs: 0, resetMs: 500 },
      { allowed: true, remaining: 1, limit: 3, retryAfterMs: 0, resetMs: 1000 },
      { allowed: true, remaining: 0, limit: 3, retryAfterMs: 0, resetMs: 1500 },
    ])
    expect(await limiter.take('u')).toEqual({
      allowed: false,
      remaining: 0,
      limit: 3,
      retryAfterMs: 500,
      resetMs: 1500,
    })
    clock.time = 200
    expect(await limiter.take('u')).toMatchObject({
      allowed: false,
      retryAfterMs: 300,
      resetMs: 1300,
    })
    clock.time = 500
    expect(await limiter.take('u')).toEqual({
      allowed: true,
      remaining: 0,
      limit: 3,
      retryAfterMs: 0,
      resetMs: 1500,
    })
    clock.time = 1750 // 2.5 tokens
    expect(await limiter.peek('u')).toEqual({
      allowed: true,
      remaining: 2,
      limit: 3,
      retryAfterMs: 0,
      resetMs: 250,
    })
  })

  it('says exactly when a refused request may retry, even when the rate does not divide 1000', async () => {
    const { limiter, clock } = onFakeClock({ rate: 3, burst: 1 })
    await limiter.take('u')
    const refused = await limiter.take('u')
    expect(refused.retryAfterMs).toBe(334) // 333.3 ms, rounded up: never too early
    clock.time = 333
    expect((await limiter.take('u')).allowed).toBe(false)
    clock.time = refused.retryAfterMs
    expect((await limiter.take('u')).allowed).toBe(true)
  })

  it('peek neither takes nor stores a bucket', async () => {
    const { limiter } = onFakeClock({ rate: 1, burst: 2 })
    for (let i = 0; i < 5; i++) await limiter.peek(`u${i}`)
    expect(limiter.size).toBe(0)
    await limiter.take('u')
    expect(await limiter.peek('u')).toMatchObject({ remaining: 1, resetMs: 1000 })
    expect(await limiter.peek('u')).toMatchObject({ remaining: 1, resetMs: 1000 })
    expect(limiter.size).toBe(1)
  })

  it('mints no tokens when the clock steps back', async () => {
    const { limiter, clock } = onFakeClock({ rate: 1, burst: 1 })
    clock.time = 10_000
    await limiter.take('u')
    clock.time = 0
    expect((await limiter.take('u')).allowed).toBe(false)
    clock.time = 10_500
    expect((await limiter.take('u')).allowed).toBe(false)
    clock.time = 11_000
    expect((await limiter.take('u')).allowed).toBe(true)
  })

  it('keeps memory bounded over 100,000 keys by dropping buckets that are full again', async () => {
    // A bucket refills in burst / rate = 1 s; one new key each millisecond.
    const { limiter, clock } = onFakeClock({ rate: 10, burst: 10 })
    let largest = 0
    for (let i = 0; i < 100_000; i++) {
      clock.time = i
      await limiter.take(`user-${i}`)
      largest = Math.max(largest, limiter.size)
    }
    expect(largest).toBeLessThanOrEqual(1001)
    expect(largest).toBeGreaterThanOrEqual(1000)
    clock.time += 1000
    await limiter.take('late')
    expect(limiter.size).toBe(1)
    // A dropped bucket was full: its key starts again with the whole burst.
    expect(await limiter.take('user-0')).toMatchObject({ allowed: true, remaining: 9 })
  })

  it('keeps the bucket of a key that is still refilling', async () => {
    const { limiter, clock } = onFakeClock({ rate: 1, burst: 2 })
    await sequence(2, () => limiter.take('busy'))
    for (let i = 0; i < 1000; i++) {
      clock.time += 1
      await limiter.take(`other-${i}`)
    }
    expect(await limiter.take('busy')).toMatchObject({ allowed: true, remaining: 0 })
  })

  it('holds at most maxKeys buckets, dropping the least recently used', async () => {
    const { limiter } = onFakeClock({ rate: 1, burst: 5, maxKeys: 1000 })
    for (let i = 0; i < 100_000; i++) await limiter.take(`user-${i}`)
    expect(limiter.size).toBe(1000)
    expect((await limiter.peek('user-99999')).remaining).toBe(4)
    expect((await limiter.peek('user-0')).remaining).toBe(5)
  })

  it('refuses options that make no bucket, with a config error', () => {
    const bad: Omit<MemoryRateLimiterOptions, 'now'>[] = [
      { rate: 0, burst: 1 },
      { rate: Number.POSITIVE_INFINITY, burst: 1 },
      { rate: 1, burst: 0 },
      { rate: 1, burst: 1.5 },
      { rate: 1, burst: 1, maxKeys: 0 },
    ]
    for (const options of bad) {
      expect(() => createMemoryRateLimiter(options)).toThrow(ShipgateError)
    }
    expect(() => createMemoryRateLimiter({ rate: 0, burst: 1 })).toThrow(/rate must be a positive/)
  })

  it('takes fractional rates: one token every four seconds', async () => {
    const { limiter, clock } = onFakeClock({ rate: 0.25, burst: 1 })
    await limiter.take('u')
    expect(await limiter.take('u')).toMatchObject({ allowed: false, retryAfterMs: 4000 })
    clock.time = 4000
    expect((await limiter.take('u')).allowed).toBe(true)
  })
})
