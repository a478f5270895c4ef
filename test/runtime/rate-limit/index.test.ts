import { describe, expect, it } from 'vitest'
import { ShipgateError } from '../../../src/errors.js'
import {
  createRateLimiter,
  rateLimitConfigFromEnv,
  rateLimitHeaders,
} from '../../../packages/runtime/src/rate-limit/index.js'
import { freePort } from '../../helpers/services.js'

describe('createRateLimiter', () => {
  it('keeps buckets in memory without a Redis URL', async () => {
    const limiter = createRateLimiter({ rate: 1, burst: 2, redisUrl: '' })
    expect('size' in limiter).toBe(true)
    expect((await limiter.take('u')).remaining).toBe(1)
  })

  it('keeps them in Redis with one, passing the Redis options on', async () => {
    const redisUrl = `redis://127.0.0.1:${await freePort()}` // nothing listens: onError decides
    const warnings: string[] = []
    const logger = { warn: (message: string) => warnings.push(message) }
    const limiter = createRateLimiter({ rate: 1, burst: 2, redisUrl, onError: 'deny', logger })
    try {
      expect('size' in limiter).toBe(false)
      expect(await limiter.take('u')).toMatchObject({ allowed: false, retryAfterMs: 1000 })
      expect(warnings).toHaveLength(1)
    } finally {
      await limiter.close?.()
    }
  })
})

describe('rateLimitConfigFromEnv', () => {
  it('reads the RATE_LIMIT_* variables and leaves out unset and empty ones', () => {
    expect(
      rateLimitConfigFromEnv({
        RATE_LIMIT_RATE: '2.5',
        RATE_LIMIT_BURST: ' 20 ',
        RATE_LIMIT_REDIS_URL: 'redis://cache:6379/1',
        RATE_LIMIT_ON_ERROR: 'deny',
        OTHER: 'x',
      }),
    ).toEqual({ rate: 2.5, burst: 20, redisUrl: 'redis://cache:6379/1', onError: 'deny' })
    expect(rateLimitConfigFromEnv({ RATE_LIMIT_REDIS_URL: '', RATE_LIMIT_RATE: ' ' })).toEqual({})
  })

  it('names the variable that does not parse', () => {
    expect(() => rateLimitConfigFromEnv({ RATE_LIMIT_BURST: 'ten' })).toThrow(
      /RATE_LIMIT_BURST must be a number, got "ten"/,
    )
    expect(() => rateLimitConfigFromEnv({ RATE_LIMIT_ON_ERROR: 'open' })).toThrow(ShipgateError)
  })

  it('spreads over defaults into a limiter', async () => {
    const env = { RATE_LIMIT_BURST: '3' }
    const limiter = createRateLimiter({ rate: 1, burst: 10, ...rateLimitConfigFromEnv(env) })
    expect((await limiter.take('u')).limit).toBe(3)
  })
})

describe('rateLimitHeaders', () => {
  it('gives limit, remaining and reset in whole seconds, rounded up', () => {
    const decision = { allowed: true, remaining: 7, limit: 10, retryAfterMs: 0, resetMs: 1200 }
    expect(rateLimitHeaders(decision)).toEqual({
      'RateLimit-Limit': '10',
      'RateLimit-Remaining': '7',
      'RateLimit-Reset': '2',
    })
  })

  it('adds Retry-After to a refusal, never 0', () => {
    const refused = { allowed: false, remaining: 0, limit: 10, retryAfterMs: 1, resetMs: 5000 }
    expect(rateLimitHeaders(refused)).toMatchObject({ 'Retry-After': '1', 'RateLimit-Reset': '5' })
    expect(rateLimitHeaders({ ...refused, retryAfterMs: 2001 })['Retry-After']).toBe('3')
  })
})
