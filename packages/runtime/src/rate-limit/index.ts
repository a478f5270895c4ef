/**
 * Per-user rate limiting for the user's service: a token bucket per key, kept in this process
 * (memory.ts) or in Redis for several instances (redis.ts), with the same decisions either way.
 * docs/rate-limit.md describes the semantics.
 */
import { ShipgateError } from '../errors.js'
import type { RateLimiter } from '../types.js'
import { createMemoryRateLimiter } from './memory.js'
import type { MemoryRateLimiterOptions } from './memory.js'
import { createRedisRateLimiter } from './redis.js'
import type { RateLimitOnError, RedisRateLimiterOptions } from './redis.js'

export type { RateLimitDecision, RateLimiter } from '../types.js'
export type { BucketConfig } from './bucket.js'
export { rateLimitHeaders } from './headers.js'
export { createMemoryRateLimiter } from './memory.js'
export type { MemoryRateLimiter, MemoryRateLimiterOptions } from './memory.js'
export { createRedisRateLimiter } from './redis.js'
export type { RateLimitOnError, RedisRateLimiterOptions } from './redis.js'
export type { RedisScriptClient } from './redis-script.js'

/** Options of {@link createRateLimiter}: the bucket, and where it lives. */
export interface RateLimiterConfig
  extends
    Pick<MemoryRateLimiterOptions, 'rate' | 'burst' | 'maxKeys'>,
    Pick<RedisRateLimiterOptions, 'prefix' | 'onError' | 'timeoutMs' | 'logger'> {
  /** Buckets in this Redis, shared by every instance; without it, in this process's memory. */
  readonly redisUrl?: string
}

/**
 * A Redis limiter when `redisUrl` is set, else a memory one. The Redis options apply only to
 * the first, `maxKeys` only to the second.
 */
export function createRateLimiter(config: RateLimiterConfig): RateLimiter {
  const { redisUrl, rate, burst } = config
  if (redisUrl === undefined || redisUrl === '') {
    return createMemoryRateLimiter({ rate, burst, maxKeys: config.maxKeys })
  }
  const { prefix, onError, timeoutMs, logger } = config
  return createRedisRateLimiter({
    redis: redisUrl,
    rate,
    burst,
    prefix,
    onError,
    timeoutMs,
    logger,
  })
}

/**
 * The settings found in `env`: `RATE_LIMIT_RATE`, `RATE_LIMIT_BURST`, `RATE_LIMIT_REDIS_URL` and
 * `RATE_LIMIT_ON_ERROR` (`allow` or `deny`). Unset or empty variables are left out, so the result
 * spreads over defaults: `createRateLimiter({ rate: 5, burst: 10, ...rateLimitConfigFromEnv(process.env) })`.
 * A value that does not parse throws a config error naming the variable.
 */
export function rateLimitConfigFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): Partial<RateLimiterConfig> {
  const config: { -readonly [K in keyof RateLimiterConfig]?: RateLimiterConfig[K] } = {}
  const rate = read(env, 'RATE_LIMIT_RATE')
  if (rate !== undefined) config.rate = number('RATE_LIMIT_RATE', rate)
  const burst = read(env, 'RATE_LIMIT_BURST')
  if (burst !== undefined) config.burst = number('RATE_LIMIT_BURST', burst)
  const redisUrl = read(env, 'RATE_LIMIT_REDIS_URL')
  if (redisUrl !== undefined) config.redisUrl = redisUrl
  const onError = read(env, 'RATE_LIMIT_ON_ERROR')
  if (onError !== undefined) config.onError = policy(onError)
  return config
}

function read(env: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const value = env[name]?.trim()
  return value === undefined || value === '' ? undefined : value
}

function number(name: string, value: string): number {
  const parsed = Number(value)
  if (Number.isFinite(parsed)) return parsed
  throw envError(`${name} must be a number, got ${JSON.stringify(value)}`)
}

function policy(value: string): RateLimitOnError {
  if (value === 'allow' || value === 'deny') return value
  throw envError(`RATE_LIMIT_ON_ERROR must be allow or deny, got ${JSON.stringify(value)}`)
}

function envError(message: string): ShipgateError {
  return new ShipgateError('config', `rate limiter: ${message}`, {
    hint: 'see docs/rate-limit.md for the RATE_LIMIT_* variables',
  })
}
