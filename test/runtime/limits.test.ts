import { describe, expect, it } from 'vitest'
import { createRuntimeHandler } from '../../packages/runtime/src/http/handler.js'
import { withRateLimit } from '../../packages/runtime/src/http/rate-limit.js'
import type { RateLimiter } from '../../packages/runtime/src/types.js'
import { ALLOWED, FakeLimiter, serve, testTelemetry } from './support.js'

/* The runtime's rate-limit endpoint and the rate-limit middleware, with a scripted limiter. */

describe('GET /rate-limit/{user}', () => {
  it("peeks at the user's bucket", async () => {
    const limiter = new FakeLimiter(ALLOWED)
    const url = await serve(createRuntimeHandler({ telemetry: testTelemetry().telemetry, limiter }))
    const response = await fetch(`${url}/rate-limit/smoke_test`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({
      user: 'smoke_test',
      limit: 10,
      remaining: 7,
      reset_ms: 2500,
    })
    const encoded = await fetch(`${url}/rate-limit/${encodeURIComponent('a b@c')}`)
    expect(((await encoded.json()) as { user: string }).user).toBe('a b@c')
    expect(limiter.peeked).toEqual(['smoke_test', 'a b@c'])
    expect(limiter.taken).toEqual([])
    expect((await fetch(`${url}/rate-limit/%E0%A4%A`)).status).toBe(400)
  })

  it('answers 404 without a limiter', async () => {
    const url = await serve(createRuntimeHandler({ telemetry: testTelemetry().telemetry }))
    const response = await fetch(`${url}/rate-limit/smoke_test`)
    expect(response.status).toBe(404)
    expect(await response.json()).toEqual({ error: 'no_rate_limiter' })
  })
})

describe('withRateLimit', () => {
  const app = () => Response.json({ response: 'hi' })
  const byUser = (request: Request) => request.headers.get('x-user') ?? undefined

  it('adds the RateLimit headers to an allowed response, and takes from the keyed bucket', async () => {
    const limiter = new FakeLimiter(ALLOWED)
    const url = await serve(withRateLimit(app, { limiter, key: byUser, cost: () => 2 }))
    const response = await fetch(url, { headers: { 'x-user': 'u1' } })
    expect(response.status).toBe(200)
    expect(response.headers.get('ratelimit-limit')).toBe('10')
    expect(response.headers.get('ratelimit-remaining')).toBe('7')
    expect(response.headers.get('ratelimit-reset')).toBe('3')
    expect(response.headers.get('retry-after')).toBeNull()
    expect(limiter.taken).toEqual([{ key: 'u1', cost: 2 }])
  })

  it('answers 429 with Retry-After in whole seconds, rounded up', async () => {
    const limiter = new FakeLimiter({
      allowed: false,
      remaining: 0,
      limit: 10,
      retryAfterMs: 1200,
      resetMs: 9100,
    })
    let served = 0
    const url = await serve(withRateLimit(() => (served++, app()), { limiter, key: byUser }))
    const response = await fetch(url, { headers: { 'x-user': 'u1' } })
    expect(response.status).toBe(429)
    expect(response.headers.get('retry-after')).toBe('2')
    expect(response.headers.get('ratelimit-remaining')).toBe('0')
    expect(response.headers.get('ratelimit-reset')).toBe('10')
    expect(await response.json()).toEqual({ error: 'rate_limited', retry_after_s: 2 })
    expect(served).toBe(0)
  })

  it('lets a request without a key through untouched', async () => {
    const limiter = new FakeLimiter(ALLOWED)
    const url = await serve(withRateLimit(app, { limiter, key: byUser }))
    const response = await fetch(url)
    expect(response.status).toBe(200)
    expect(response.headers.get('ratelimit-limit')).toBeNull()
    expect(limiter.taken).toEqual([])
  })

  it('copies a response whose headers are immutable', async () => {
    const upstream = await serve(() => new Response('from upstream'))
    const limiter = new FakeLimiter(ALLOWED)
    const url = await serve(withRateLimit(() => fetch(upstream), { limiter, key: () => 'k' }))
    const response = await fetch(url)
    expect(await response.text()).toBe('from upstream')
    expect(response.headers.get('ratelimit-remaining')).toBe('7')
  })

  it('fails open by default when the limiter fails, closed when asked', async () => {
    const broken: RateLimiter = {
      take: () => Promise.reject(new Error('redis down')),
      peek: () => Promise.reject(new Error('redis down')),
    }
    const heard: unknown[] = []
    const open = withRateLimit(app, {
      limiter: broken,
      key: () => 'k',
      onError: (e) => heard.push(e),
    })
    expect((await open(new Request('http://x/'))).status).toBe(200)
    const closed = withRateLimit(app, { limiter: broken, key: () => 'k', failOpen: false })
    const refused = await closed(new Request('http://x/'))
    expect(refused.status).toBe(503)
    expect(heard).toHaveLength(1)
  })
})
