import { createServer, type Server } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import type { SmokeReport } from '../../../src/contracts/checks.js'
import { runSmoke } from '../../../src/workflows/checks/smoke.js'
import { smokeSchema, type SmokeConfig } from '../../../src/config/deploy-schema.js'
import { createLogger } from '../../../src/logger.js'
import * as z from '../../../src/utils/zod.js'
import { freePort } from '../../helpers/services.js'
import { startAgent } from '../../metric-sources/agent-service.js'

/** How each endpoint of the fake service behaves; tests change it to make one misbehave. */
interface Behaviour {
  health: { status: number; body: unknown }
  query: { status: number; body: unknown }
  rateLimit: number
  metrics: number
  /** Requests to /health answered 503 before it is healthy (a service warming up). */
  warmup: number
  /** Delay of /metrics in ms. */
  metricsDelayMs: number
}

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))))
})

async function fakeService(
  change: Partial<Behaviour> = {},
): Promise<{ url: string; hits: Map<string, number> }> {
  const b: Behaviour = {
    health: { status: 200, body: { status: 'healthy' } },
    query: { status: 200, body: { response: 'hello' } },
    rateLimit: 200,
    metrics: 200,
    warmup: 0,
    metricsDelayMs: 0,
    ...change,
  }
  const hits = new Map<string, number>()
  const server = createServer((req, res) => {
    const path = req.url ?? ''
    hits.set(path, (hits.get(path) ?? 0) + 1)
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    if (path === '/health') {
      if ((hits.get(path) ?? 0) <= b.warmup) return send(503, { status: 'unhealthy' })
      return send(b.health.status, b.health.body)
    }
    if (path === '/agent/query' && req.method === 'POST') {
      let text = ''
      req.on('data', (d: Buffer) => (text += d.toString()))
      req.on('end', () => {
        const asked = JSON.parse(text) as { query?: string; user_id?: string }
        if (asked.user_id !== 'smoke_test') return send(400, { error: 'wrong user' })
        send(b.query.status, b.query.body)
      })
      return
    }
    if (path === '/rate-limit/smoke_test') return send(b.rateLimit, { remaining: 10 })
    if (path === '/metrics') {
      setTimeout(() => send(b.metrics, {}), b.metricsDelayMs)
      return
    }
    if (path === '/hang') return
    send(404, { error: 'no route' })
  })
  servers.push(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const address = server.address() as { port: number }
  return { url: `http://127.0.0.1:${address.port}`, hits }
}

const config = (input: z.input<typeof smokeSchema> = {}): SmokeConfig =>
  z.parse(smokeSchema, { retries: 2, retryDelay: '1s', ...input })

const silent = createLogger({ write: () => {} })

async function smoke(url: string, input?: z.input<typeof smokeSchema>) {
  const waits: number[] = []
  const report = await runSmoke({
    baseUrl: url,
    config: config(input),
    signal: new AbortController().signal,
    logger: silent,
    sleep: (ms) => {
      waits.push(ms)
      return Promise.resolve()
    },
  })
  return { report, waits }
}

const failed = (report: SmokeReport) =>
  report.checks
    .filter((c) => !c.passed)
    .map((c) => ({ name: c.name, reason: c.reason, attempts: c.attempts }))

describe('runSmoke against a service that misbehaves', () => {
  it('passes the four seed checks on a healthy service, each in one attempt', async () => {
    const { url } = await fakeService()
    const { report, waits } = await smoke(url)
    expect(report.passed).toBe(true)
    expect(report.checks.map((c) => [c.name, c.request, c.status, c.attempts])).toEqual([
      ['health', 'GET /health', 200, 1],
      ['query', 'POST /agent/query', 200, 1],
      ['rate limit', 'GET /rate-limit/smoke_test', 200, 1],
      ['metrics', 'GET /metrics', 200, 1],
    ])
    expect(waits).toEqual([])
  })

  it.each([
    [
      { health: { status: 503, body: { status: 'unhealthy' } } },
      'health',
      'GET /health: 503 Service Unavailable, expected 200',
      3,
    ],
    [
      { query: { status: 500, body: { error: 'x' } } },
      'query',
      'POST /agent/query: 500 Internal Server Error, expected 200',
      3,
    ],
    [
      { query: { status: 200, body: { answer: 'x' } } },
      'query',
      'POST /agent/query: no `response` field in the body',
      3,
    ],
    [
      { rateLimit: 404 },
      'rate limit',
      'GET /rate-limit/smoke_test: 404 Not Found, expected 200',
      1,
    ],
    [{ metrics: 500 }, 'metrics', 'GET /metrics: 500 Internal Server Error, expected 200', 3],
  ] as const)('fails one check with a clear reason: %j', async (change, name, reason, attempts) => {
    const { url } = await fakeService(change)
    const { report, waits } = await smoke(url)
    expect(report.passed).toBe(false)
    expect(failed(report)).toEqual([{ name, reason, attempts }])
    // Retries wait the configured delay; a 404 is not retried.
    expect(waits).toEqual(Array(attempts - 1).fill(1000))
  })

  it('passes a degraded service (still 200) unless failOn is degraded', async () => {
    const { url } = await fakeService({ health: { status: 200, body: { status: 'degraded' } } })
    const lenient = await smoke(url)
    expect(lenient.report.passed).toBe(true)
    const strict = await smoke(url, { failOn: 'degraded' })
    expect(failed(strict.report)).toEqual([
      {
        name: 'health',
        reason: 'GET /health: status is "degraded", expected "healthy"',
        attempts: 3,
      },
    ])
    const { url: down } = await fakeService({
      health: { status: 200, body: { status: 'unhealthy' } },
    })
    expect(failed((await smoke(down)).report)).toEqual([
      {
        name: 'health',
        reason: 'GET /health: status is "unhealthy", expected one of "healthy", "degraded"',
        attempts: 3,
      },
    ])
  })

  it('recovers from a service that is still warming up', async () => {
    const { url, hits } = await fakeService({ warmup: 2 })
    const { report, waits } = await smoke(url)
    expect(report.passed).toBe(true)
    expect(report.checks[0]).toMatchObject({ name: 'health', attempts: 3, status: 200 })
    expect(hits.get('/health')).toBe(3)
    expect(waits).toEqual([1000, 1000])
  })

  it('gives up after the bound when the warm-up takes longer', async () => {
    const { url, hits } = await fakeService({ warmup: 5 })
    const { report } = await smoke(url, { retries: 3 })
    expect(report.checks[0]).toMatchObject({ passed: false, attempts: 4, status: 503 })
    expect(hits.get('/health')).toBe(4)
  })

  it('fails an answer slower than the check allows', async () => {
    const { url } = await fakeService({ metricsDelayMs: 150 })
    const { report } = await smoke(url, {
      retries: 0,
      checks: [{ name: 'metrics', path: '/metrics', maxLatency: '50ms' }],
    })
    expect(report.checks[0]?.reason).toMatch(/^GET \/metrics: took 1\d\d ms, limit 50 ms$/)
    expect(report.checks[0]?.latencyMs).toBeGreaterThanOrEqual(150)
  })

  it('says "connection refused" when nothing listens, and times out a hanging request', async () => {
    const port = await freePort()
    const { report } = await smoke(`http://127.0.0.1:${port}`, { retries: 1 })
    expect(report.checks.map((c) => c.reason)).toEqual([
      'GET /health: connection refused',
      'POST /agent/query: connection refused',
      'GET /rate-limit/smoke_test: connection refused',
      'GET /metrics: connection refused',
    ])
    expect(report.checks.every((c) => c.attempts === 2 && c.status === null)).toBe(true)
    const { url } = await fakeService()
    const hung = await smoke(url, {
      retries: 0,
      timeout: '100ms',
      checks: [{ name: 'hang', path: '/hang' }],
    })
    expect(hung.report.checks[0]?.reason).toBe('GET /hang: no answer within 100 ms')
  })

  it('sends configured headers and bodies, and checks configured statuses', async () => {
    const { url } = await fakeService()
    const { report } = await smoke(url, {
      checks: [
        {
          name: 'other user',
          method: 'POST',
          path: '/agent/query',
          body: { query: 'q', user_id: 'x' },
          status: 400,
          expect: { error: 'wrong user' },
        },
        { name: 'missing', path: '/nope', status: 404 },
      ],
    })
    expect(failed(report)).toEqual([])
  })

  it('stops when aborted and reports the check as interrupted', async () => {
    const { url } = await fakeService({ warmup: 100 })
    const controller = new AbortController()
    const report = await runSmoke({
      baseUrl: url,
      config: config({ retries: 10 }),
      signal: controller.signal,
      logger: silent,
      sleep: () => {
        controller.abort()
        return Promise.resolve()
      },
    })
    expect(report.passed).toBe(false)
    expect(report.checks[0]).toMatchObject({ attempts: 1, reason: 'GET /health: interrupted' })
    expect(report.checks.slice(1).every((c) => c.attempts === 0)).toBe(true)
  })
})

describe('runSmoke against the example agent service', () => {
  it('passes all four seed checks', async () => {
    const agent = await startAgent({ RELEASE_ID: 'smoke-1' })
    const { report } = await smoke(agent.url)
    expect(failed(report)).toEqual([])
    expect(report.checks.map((c) => c.status)).toEqual([200, 200, 200, 200])
    expect(report.url).toBe(agent.url)
  })

  it('fails the query check of a version that always errors', async () => {
    const agent = await startAgent({ FAULT_ERROR_RATE: '1' })
    const { report } = await smoke(agent.url, { retries: 1 })
    expect(failed(report)).toEqual([
      {
        name: 'query',
        reason: 'POST /agent/query: 500 Internal Server Error, expected 200',
        attempts: 2,
      },
    ])
  })
})
