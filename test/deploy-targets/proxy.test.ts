import { once } from 'node:events'
import { createServer, request, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import {
  createProxy,
  pickRoute,
  stickyPoint,
  type Route,
} from '../../src/deploy-targets/local/proxy.js'

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))))
})

async function listen(server: Server): Promise<number> {
  servers.push(server)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return (server.address() as AddressInfo).port
}

/** An upstream that echoes the method, the headers it got and the body, streamed back. */
async function echo(): Promise<number> {
  return listen(
    createServer((req, res) => {
      res.writeHead(201, {
        'x-seen': JSON.stringify(req.headers),
        connection: 'keep-alive',
        'keep-alive': 'timeout=5',
      })
      req.pipe(res)
    }),
  )
}

describe('pickRoute', () => {
  const routes: Route[] = [
    { releaseId: 'a', port: 1, weight: 25, healthy: true },
    { releaseId: 'z', port: 3, weight: 0, healthy: true },
    { releaseId: 'b', port: 2, weight: 75, healthy: true },
  ]

  it('splits [0, 1) by weight, skipping routes with none', () => {
    expect(pickRoute(routes, 0)?.releaseId).toBe('a')
    expect(pickRoute(routes, 0.2499)?.releaseId).toBe('a')
    expect(pickRoute(routes, 0.25)?.releaseId).toBe('b')
    expect(pickRoute(routes, 0.9999)?.releaseId).toBe('b')
    expect(pickRoute([{ releaseId: 'z', port: 3, weight: 0, healthy: true }], 0.5)).toBeUndefined()
  })

  it('sends about the configured share of random points to each route', () => {
    let b = 0
    for (let i = 0; i < 10_000; i++) if (pickRoute(routes, Math.random())?.releaseId === 'b') b++
    expect(b / 10_000).toBeGreaterThan(0.72)
    expect(b / 10_000).toBeLessThan(0.78)
  })

  it('hashes a sticky value to a fixed point, spread over users', () => {
    expect(stickyPoint('ada')).toBe(stickyPoint('ada'))
    const points = Array.from({ length: 1000 }, (_, i) => stickyPoint(`user-${i}`))
    expect(points.filter((p) => p < 0.5).length).toBeGreaterThan(420)
    expect(points.filter((p) => p < 0.5).length).toBeLessThan(580)
    expect(points.every((p) => p >= 0 && p < 1)).toBe(true)
  })
})

describe('pickRoute with instances out of rotation', () => {
  it('splits among the healthy routes only, and finds none when every one is out', () => {
    const routes: Route[] = [
      { releaseId: 'a', port: 1, weight: 25, healthy: false },
      { releaseId: 'b', port: 2, weight: 75, healthy: true },
    ]
    expect(pickRoute(routes, 0)?.releaseId).toBe('b')
    expect(pickRoute(routes, 0.2)?.releaseId).toBe('b')
    expect(pickRoute(routes, 0.9999)?.releaseId).toBe('b')
    const out = routes.map((r) => ({ ...r, healthy: false }))
    expect(pickRoute(out, 0.5)).toBeUndefined()
  })
})

describe('the proxy', () => {
  it('streams the body both ways, drops hop-by-hop headers and names the release', async () => {
    const upstream = await echo()
    const port = await listen(
      createProxy({
        stickyHeader: null,
        routes: () => [{ releaseId: 'rel-1', port: upstream, weight: 100, healthy: true }],
      }),
    )
    const body = 'x'.repeat(200_000)
    // node:http, since fetch refuses to send a Connection header.
    const req = request(`http://127.0.0.1:${port}/agent/query?q=1`, {
      method: 'POST',
      headers: { 'x-user-id': 'ada', connection: 'keep-alive, x-drop-me', 'x-drop-me': '1' },
    })
    req.end(body)
    const [answer] = (await once(req, 'response')) as [IncomingMessage]
    let text = ''
    for await (const chunk of answer) text += String(chunk)
    expect(answer.statusCode).toBe(201)
    expect(answer.headers['x-shipgate-release']).toBe('rel-1')
    expect(answer.headers['proxy-authenticate']).toBeUndefined()
    expect(answer.headers['x-upstream-hop']).toBeUndefined()
    const seen = JSON.parse(String(answer.headers['x-seen'])) as Record<string, string>
    expect(seen['x-user-id']).toBe('ada')
    expect(seen['x-drop-me']).toBeUndefined()
    expect(text).toBe(body)
  })

  it('answers 502 JSON when no instance has traffic or the instance is down', async () => {
    const none = await listen(createProxy({ stickyHeader: null, routes: () => [] }))
    const empty = await fetch(`http://127.0.0.1:${none}/health`)
    expect(empty.status).toBe(502)
    expect(await empty.json()).toEqual({ error: 'no instance of the service is up' })
    const closed = await listen(createServer())
    servers.pop()?.close()
    const down = await listen(
      createProxy({
        stickyHeader: null,
        routes: () => [{ releaseId: 'rel-1', port: closed, weight: 100, healthy: true }],
      }),
    )
    const answer = await fetch(`http://127.0.0.1:${down}/health`)
    expect(answer.status).toBe(502)
    expect(((await answer.json()) as { error: string }).error).toMatch(
      /release rel-1 did not answer/,
    )
  })

  it('answers 503 JSON, at once, when every instance with traffic is out of rotation', async () => {
    const upstream = await echo()
    const port = await listen(
      createProxy({
        stickyHeader: null,
        routes: () => [
          { releaseId: 'rel-1', port: upstream, weight: 95, healthy: false },
          { releaseId: 'rel-2', port: upstream, weight: 5, healthy: false },
          { releaseId: 'rel-0', port: upstream, weight: 0, healthy: true },
        ],
      }),
    )
    const answer = await fetch(`http://127.0.0.1:${port}/health`, {
      signal: AbortSignal.timeout(2_000),
    })
    expect(answer.status).toBe(503)
    expect(await answer.json()).toEqual({
      error: 'every instance with traffic (rel-1, rel-2) is failing its health checks',
    })
  })
})
