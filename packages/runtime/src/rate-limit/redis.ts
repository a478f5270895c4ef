import type { Logger } from '../contracts/logger.js'
import { environmentError } from '../errors.js'
import type { RateLimitDecision, RateLimiter } from '../types.js'
import { bucketConfig, canPay, checkCost, decide, msToEarn } from './bucket.js'
import type { BucketConfig } from './bucket.js'
import { runBucketScript } from './redis-script.js'
import type { RedisScriptClient } from './redis-script.js'

/**
 * The part of an ioredis `Redis` the limiter uses on a connection it opened itself. Declared
 * here so the package's types never name ioredis, an optional peer.
 */
interface OwnedConnection extends RedisScriptClient {
  quit(): Promise<unknown>
  disconnect(): void
  on(event: 'error', listener: (error: unknown) => void): unknown
}

/** What a limiter answers while Redis cannot: let requests through, or turn them away. */
export type RateLimitOnError = 'allow' | 'deny'

/** Options of {@link createRedisRateLimiter}. */
export interface RedisRateLimiterOptions extends BucketConfig {
  /**
   * A `redis://` URL (the limiter opens its own connection, and `close()` quits it) or a
   * client the caller owns and closes, such as an ioredis `Redis`.
   */
  readonly redis: string | RedisScriptClient
  /** Prepended to every key (default `shipgate:rate-limit:`). */
  readonly prefix?: string
  /**
   * While Redis fails or is slower than `timeoutMs`: `'allow'` (default) lets requests through,
   * so an outage of the limiter is not an outage of the service; `'deny'` answers as if every
   * bucket were empty. Either way one warning is logged per outage, and one when it ends.
   */
  readonly onError?: RateLimitOnError
  /** How long a decision may wait for Redis before `onError` applies (default 1000 ms). */
  readonly timeoutMs?: number
  /** Where the warnings go; stderr by default. */
  readonly logger?: Pick<Logger, 'warn'>
}

/**
 * A per-key token bucket in Redis, shared by every service instance that points at the same
 * server and prefix. Each decision is one atomic script run on the server's clock (see
 * redis-script.ts); idle keys expire by themselves. ioredis is loaded on first use when given a URL.
 */
export function createRedisRateLimiter(options: RedisRateLimiterOptions): RateLimiter {
  const config = bucketConfig(options)
  const prefix = options.prefix ?? 'shipgate:rate-limit:'
  const onError = options.onError ?? 'allow'
  const timeoutMs = options.timeoutMs ?? 1000
  const outage = outageLog(options.logger ?? stderr, onError)
  const { redis } = options
  let owned: Promise<OwnedConnection> | undefined
  const client = (): Promise<RedisScriptClient> =>
    typeof redis === 'string' ? (owned ??= connect(redis, outage.fail)) : Promise.resolve(redis)

  async function decideOn(key: string, cost: number): Promise<RateLimitDecision> {
    try {
      const connection = await client()
      if (DOWN.has(connection.status ?? '')) throw new Error(`not connected (${connection.status})`)
      const run = runBucketScript(connection, prefix + key, config, cost)
      const { taken, tokens } = await withTimeout(run, timeoutMs)
      outage.recover()
      return cost === 0
        ? decide(tokens, 1, canPay(tokens, 1), config)
        : decide(tokens, cost, taken, config)
    } catch (error) {
      outage.fail(error)
      return fallback(onError, Math.max(cost, 1), config)
    }
  }

  return {
    take(key, cost = 1) {
      const invalid = checkCost(cost, config)
      return invalid === undefined ? decideOn(key, cost) : Promise.reject(invalid)
    },
    peek: (key) => decideOn(key, 0),
    async close() {
      // A connection that never opened (ioredis missing) leaves nothing to quit.
      const connection = await owned?.catch(() => undefined)
      if (connection !== undefined) await quit(connection)
    },
  }
}

/** ioredis states in which a command would wait for a reconnection (or fail) rather than run. */
const DOWN = new Set(['reconnecting', 'close', 'end'])

/** The answer while Redis cannot give one: a full bucket (`allow`) or an empty one (`deny`). */
function fallback(
  onError: RateLimitOnError,
  cost: number,
  config: BucketConfig,
): RateLimitDecision {
  const full = {
    allowed: true,
    remaining: config.burst,
    limit: config.burst,
    retryAfterMs: 0,
    resetMs: 0,
  }
  if (onError === 'allow') return full
  const resetMs = msToEarn(config.burst, config)
  return { ...full, allowed: false, remaining: 0, retryAfterMs: msToEarn(cost, config), resetMs }
}

async function connect(url: string, onError: (error: unknown) => void): Promise<OwnedConnection> {
  const { Redis } = await loadIoredis()
  // Connect on first command; give up on a command after one reconnection attempt, so a
  // decision fails fast to `onError` while ioredis keeps reconnecting in the background.
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 })
  client.on('error', onError)
  return client
}

/** ioredis, an optional peer: loaded only when a limiter is given a URL. */
async function loadIoredis() {
  try {
    return await import('ioredis')
  } catch (error) {
    throw environmentError(
      'ioredis is not installed, so rate limits cannot be kept in Redis (npm install ioredis)',
      'ioredis is an optional peer dependency of @shipgate/runtime',
      error,
    )
  }
}

async function quit(client: OwnedConnection): Promise<void> {
  if (client.status === 'ready') {
    try {
      await client.quit()
      return
    } catch {
      // The connection broke while quitting: dropping it below is all that is left to do.
    }
  }
  client.disconnect()
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms)
    timer.unref()
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/** Logs the first failure of an outage and its end, not every failed request in between. */
function outageLog(logger: Pick<Logger, 'warn'>, onError: RateLimitOnError) {
  let down = false
  return {
    fail: (error: unknown): void => {
      if (down) return
      down = true
      const message = error instanceof Error ? error.message : String(error)
      const policy = onError === 'allow' ? 'allowing' : 'denying'
      logger.warn(`rate limiter: Redis failed (${message}); ${policy} requests until it answers`)
    },
    recover: (): void => {
      if (!down) return
      down = false
      logger.warn('rate limiter: Redis answers again')
    },
  }
}

const stderr: Pick<Logger, 'warn'> = {
  warn: (message) => process.stderr.write(`warn: ${message}\n`),
}
