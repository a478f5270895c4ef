import { createHash } from 'node:crypto'
import type { BucketConfig } from './bucket.js'

/**
 * The token bucket of bucket.ts as one Lua script. Redis runs a script to completion before any
 * other command, so read-refill-take-write is atomic however many service instances call it at
 * once. Time is the server's `TIME`, never a client's clock, so instances whose clocks disagree
 * still see one bucket. The key expires when the bucket would be full again: a missing key *is*
 * a full bucket, so expiry loses nothing and idle keys cost no memory.
 *
 * KEYS[1] the bucket, a hash { tokens, at (server ms) }. ARGV: rate (tokens a second), burst,
 * cost (0 = peek: read only). Returns { 1 if the cost was taken else 0, tokens left as a string }
 * (a string because Redis truncates Lua numbers in replies to integers).
 */
export const BUCKET_SCRIPT = `
if redis.replicate_commands then redis.replicate_commands() end
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = burst
  at = now
end
if now > at then
  tokens = math.min(burst, tokens + (now - at) * rate / 1000)
  at = now
end
if cost == 0 or tokens + 1e-9 < cost then
  return { 0, string.format('%.17g', tokens) }
end
tokens = math.max(0, tokens - cost)
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', string.format('%.17g', at))
redis.call('PEXPIRE', KEYS[1], math.max(1, math.ceil((burst - tokens) * 1000 / rate)))
return { 1, string.format('%.17g', tokens) }
`

const SHA1 = createHash('sha1').update(BUCKET_SCRIPT).digest('hex')

/**
 * The two commands the Redis limiter sends. An ioredis `Redis` (or `Cluster`: the script touches
 * one key) has them; so can a test double.
 */
export interface RedisScriptClient {
  /**
   * ioredis's connection state. While it is `reconnecting` (or `close`, `end`) the limiter
   * answers by `onError` at once instead of queueing behind the reconnection.
   */
  readonly status?: string
  /** Runs a cached script by its SHA1; rejects with `NOSCRIPT` when the server lacks it. */
  evalsha(sha1: string, numkeys: number, ...args: (string | number)[]): Promise<unknown>
  /** Runs (and caches) a script by its text. */
  eval(script: string, numkeys: number, ...args: (string | number)[]): Promise<unknown>
}

/** What the script says about one request. */
export interface ScriptReply {
  readonly taken: boolean
  readonly tokens: number
}

/**
 * Runs the bucket script on `key`: EVALSHA, and on `NOSCRIPT` (a restarted or flushed server)
 * EVAL, which caches the script again for the next call.
 */
export async function runBucketScript(
  client: RedisScriptClient,
  key: string,
  config: BucketConfig,
  cost: number,
): Promise<ScriptReply> {
  const args = [key, config.rate, config.burst, cost]
  let reply: unknown
  try {
    reply = await client.evalsha(SHA1, 1, ...args)
  } catch (error) {
    if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error
    reply = await client.eval(BUCKET_SCRIPT, 1, ...args)
  }
  return parseReply(reply)
}

function parseReply(reply: unknown): ScriptReply {
  if (Array.isArray(reply) && reply.length === 2) {
    const [taken, tokens] = reply as unknown[]
    const count = typeof tokens === 'string' ? Number(tokens) : Number.NaN
    if ((taken === 0 || taken === 1) && Number.isFinite(count))
      return { taken: taken === 1, tokens: count }
  }
  throw new Error(`unexpected reply from the rate limit script: ${JSON.stringify(reply)}`)
}
