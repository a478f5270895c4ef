import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest'
import { createRedisRateLimiter } from '../../../packages/runtime/src/rate-limit/index.js'
import type { RateLimiter } from '../../../packages/runtime/src/types.js'
import { startRedis } from '../../helpers/redis.js'
import type { TestRedis } from '../../helpers/redis.js'
import { requireService } from '../../helpers/services.js'
import { rateLimiterContract, sequence } from './contract.js'

const describeRedis = requireService('Redis', 'redis-server')

describeRedis('createRedisRateLimiter against redis-server', () => {
  let server: TestRedis
  let admin: Redis
  let prefixes = 0
  /** A key prefix no other test uses. */
  const prefix = (): string => `test-${++prefixes}:`

  beforeAll(async () => {
    server = await startRedis()
    admin = new Redis(server.url)
  })
  afterAll(async () => {
    await admin?.quit()
    await server?.stop()
  })

  rateLimiterContract('redis', () => ({
    make: (config) => createRedisRateLimiter({ ...config, redis: server.url, prefix: prefix() }),
    advance: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  }))

  const open: RateLimiter[] = []
  const clients: Redis[] = []
  afterEach(async () => {
    await Promise.all(open.splice(0).map(async (limiter) => await limiter.close?.()))
    await Promise.all(clients.splice(0).map((client) => client.quit()))
  })
  /** Two service instances: one given a URL, one given its own ioredis client. */
  function twoInstances(options: { rate: number; burst: number }): [RateLimiter, RateLimiter] {
    const shared = { ...options, prefix: prefix() }
    const client = new Redis(server.url)
    clients.push(client)
    const a = createRedisRateLimiter({ ...shared, redis: server.url })
    const b = createRedisRateLimiter({ ...shared, redis: client })
    open.push(a, b)
    return [a, b]
  }

  it('stores a bucket as a hash whose TTL ends when it is full again, and peek stores nothing', async () => {
    const limiter = createRedisRateLimiter({ rate: 2, burst: 4, redis: server.url, prefix: 'ttl:' })
    open.push(limiter)
    await limiter.peek('user')
    expect(await admin.exists('ttl:user')).toBe(0)
    const decision = await limiter.take('user')
    expect(decision.resetMs).toBe(500)
    const ttl = await admin.pttl('ttl:user')
    expect(ttl).toBeGreaterThan(400)
    expect(ttl).toBeLessThanOrEqual(500)
    expect(Object.keys(await admin.hgetall('ttl:user')).sort()).toEqual(['at', 'tokens'])
    await sequence(3, () => limiter.take('user'))
    expect(await admin.pttl('ttl:user')).toBeGreaterThan(1900)
  })

  it('lets an expired key start again with a full bucket', async () => {
    const limiter = createRedisRateLimiter({
      rate: 100,
      burst: 2,
      redis: server.url,
      prefix: 'exp:',
    })
    open.push(limiter)
    await sequence(2, () => limiter.take('user'))
    await vi.waitFor(async () => expect(await admin.exists('exp:user')).toBe(0), { timeout: 2000 })
    expect(await limiter.take('user')).toMatchObject({ allowed: true, remaining: 1 })
  })

  it('shares one quota between two instances with their own clients', async () => {
    const [a, b] = twoInstances({ rate: 0.01, burst: 10 })
    const decisions = await sequence(10, async () => [await a.take('user'), await b.take('user')])
    const allowed = decisions.flat().filter((d) => d.allowed)
    expect(allowed).toHaveLength(10)
    expect(allowed.map((d) => d.remaining)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0])
    for (const limiter of [a, b]) {
      const refused = await limiter.take('user')
      expect(refused).toMatchObject({ allowed: false, remaining: 0, limit: 10 })
      expect(refused.retryAfterMs).toBeGreaterThan(99_000)
    }
  })

  it('allows exactly `burst` of 200 parallel takes split across two instances', async () => {
    const [a, b] = twoInstances({ rate: 0.01, burst: 50 })
    const takes = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? a : b).take('user'))
    const decisions = await Promise.all(takes)
    expect(decisions.filter((d) => d.allowed)).toHaveLength(50)
  })

  it("decides on the server's clock: an instance whose clock is an hour ahead refills nothing", async () => {
    const [a, b] = twoInstances({ rate: 1, burst: 3 })
    await sequence(3, () => a.take('user'))
    const skewed = vi.spyOn(Date, 'now').mockReturnValue(Date.now() + 3_600_000)
    try {
      expect((await b.take('user')).allowed).toBe(false)
    } finally {
      skewed.mockRestore()
    }
  })

  it('loads the script again when the server has lost it (NOSCRIPT)', async () => {
    const limiter = createRedisRateLimiter({
      rate: 1,
      burst: 3,
      redis: server.url,
      prefix: prefix(),
    })
    open.push(limiter)
    expect((await limiter.take('user')).remaining).toBe(2)
    await admin.script('FLUSH')
    expect((await limiter.take('user')).remaining).toBe(1)
    expect((await limiter.take('user')).remaining).toBe(0)
  })

  it('close() quits a connection it opened and leaves a caller’s client open', async () => {
    const before = await clientCount(admin)
    const client = new Redis(server.url)
    clients.push(client)
    const given = createRedisRateLimiter({ rate: 1, burst: 3, redis: client })
    const owned = createRedisRateLimiter({ rate: 1, burst: 3, redis: server.url })
    await Promise.all([given.take('user'), owned.take('user')])
    expect(await clientCount(admin)).toBe(before + 2)
    await Promise.all([given.close?.(), owned.close?.()])
    expect(await client.ping()).toBe('PONG')
    await vi.waitFor(async () => expect(await clientCount(admin)).toBe(before + 1))
  })
})

async function clientCount(admin: Redis): Promise<number> {
  const list = await admin.client('LIST')
  return String(list).trim().split('\n').length
}
