// What the Redis limiter answers while Redis cannot: no redis-server needed.
import { createServer } from 'node:net'
import type { Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createRedisRateLimiter } from '../../../packages/runtime/src/rate-limit/index.js'
import type {
  RedisRateLimiterOptions,
  RedisScriptClient,
} from '../../../packages/runtime/src/rate-limit/index.js'
import type { RateLimiter } from '../../../packages/runtime/src/types.js'
import { freePort } from '../../helpers/services.js'

const open: RateLimiter[] = []
const stops: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map(async (limiter) => await limiter.close?.()))
  await Promise.all(stops.splice(0).map((stop) => stop()))
})

/** A limiter whose warnings land in `warnings`. */
function limiter(options: Omit<RedisRateLimiterOptions, 'logger' | 'rate' | 'burst'>) {
  const warnings: string[] = []
  const made = createRedisRateLimiter({
    rate: 2,
    burst: 4,
    ...options,
    logger: { warn: (message) => warnings.push(message) },
  })
  open.push(made)
  return { limiter: made, warnings }
}

/** A URL where nothing listens; the password shows whether warnings leak it. */
async function deadUrl(): Promise<string> {
  return `redis://:hunter2-secret@127.0.0.1:${await freePort()}`
}

describe('createRedisRateLimiter when Redis fails', () => {
  it("allows by default (onError: 'allow'), logging one warning per outage", async () => {
    const { limiter: dead, warnings } = limiter({ redis: await deadUrl() })
    const decisions = await Promise.all([dead.take('u'), dead.take('u'), dead.peek('u')])
    expect(decisions).toEqual(
      Array(3).fill({ allowed: true, remaining: 4, limit: 4, retryAfterMs: 0, resetMs: 0 }),
    )
    expect(await dead.take('u')).toMatchObject({ allowed: true })
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/^rate limiter: Redis failed \(.+\); allowing requests/)
    expect(warnings[0]).not.toContain('hunter2')
  })

  it("answers as if the bucket were empty with onError: 'deny'", async () => {
    const { limiter: dead, warnings } = limiter({ redis: await deadUrl(), onError: 'deny' })
    expect(await dead.take('u', 2)).toEqual({
      allowed: false,
      remaining: 0,
      limit: 4,
      retryAfterMs: 1000,
      resetMs: 2000,
    })
    expect(await dead.peek('u')).toMatchObject({ allowed: false, retryAfterMs: 500 })
    expect(warnings).toEqual([expect.stringMatching(/; denying requests until it answers$/)])
  })

  it('gives up on a server that does not answer after timeoutMs', async () => {
    const port = await silentServer()
    const { limiter: slow, warnings } = limiter({
      redis: `redis://127.0.0.1:${port}`,
      onError: 'deny',
      timeoutMs: 150,
    })
    const started = Date.now()
    expect((await slow.take('u')).allowed).toBe(false)
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)
    expect(Date.now() - started).toBeLessThan(5000)
    expect(warnings).toEqual([expect.stringContaining('Redis did not answer within 150 ms')])
  })

  it('answers at once while the client is reconnecting, instead of queueing behind it', async () => {
    const hang = (): Promise<unknown> => new Promise(() => undefined)
    const client = { status: 'reconnecting', evalsha: hang, eval: hang }
    const { limiter: down, warnings } = limiter({ redis: client, timeoutMs: 60_000 })
    expect(await down.take('u')).toMatchObject({ allowed: true, remaining: 4 })
    expect(warnings).toEqual([expect.stringContaining('(not connected (reconnecting))')])
  })

  it('logs the end of an outage, and a later outage again', async () => {
    const replies: (unknown[] | Error)[] = [
      new Error('connection reset'),
      [1, '3'],
      ['garbage'],
      [0, '0.5'],
    ]
    const client: RedisScriptClient = {
      evalsha: () => {
        const reply = replies.shift()
        return reply instanceof Error ? Promise.reject(reply) : Promise.resolve(reply)
      },
      eval: () => Promise.reject(new Error('not expected')),
    }
    const { limiter: flaky, warnings } = limiter({ redis: client })
    expect((await flaky.take('u')).allowed).toBe(true)
    expect(await flaky.take('u')).toMatchObject({ allowed: true, remaining: 3, resetMs: 500 })
    expect(await flaky.take('u')).toMatchObject({ allowed: true, remaining: 4 })
    expect(await flaky.take('u')).toMatchObject({ allowed: false, retryAfterMs: 250 })
    expect(warnings).toEqual([
      expect.stringContaining('(connection reset)'),
      'rate limiter: Redis answers again',
      expect.stringContaining('unexpected reply from the rate limit script: ["garbage"]'),
      'rate limiter: Redis answers again',
    ])
  })

  it('rejects a bad cost before asking Redis', async () => {
    const { limiter: dead, warnings } = limiter({ redis: await deadUrl() })
    await expect(dead.take('u', 5)).rejects.toThrow(RangeError)
    expect(warnings).toEqual([])
  })
})

/** A TCP server that accepts connections and never says a word. */
async function silentServer(): Promise<number> {
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  stops.push(() => {
    sockets.forEach((socket) => socket.destroy())
    return new Promise((resolve) => server.close(() => resolve()))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  return typeof address === 'object' && address !== null ? address.port : 0
}
