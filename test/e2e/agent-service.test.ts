import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import parsePrometheusTextFormat from 'parse-prometheus-text-format'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { startPrometheus, type TestPrometheus } from '../helpers/prometheus.js'
import { startRedis, type TestRedis } from '../helpers/redis.js'
import { requireService, waitFor } from '../helpers/services.js'

/*
 * The example agent service (examples/agent-service/) over real HTTP, as separate processes:
 * health, queries, the rate limit, /metrics for a Prometheus text parser and a real Prometheus
 * 2.42, the JSON metrics against known traffic, and two instances sharing a Redis quota.
 */

const SERVER = fileURLToPath(new URL('../../examples/agent-service/server.mjs', import.meta.url))
const children: ChildProcess[] = []
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGTERM')
})

async function start(env: Record<string, string> = {}): Promise<string> {
  const child = spawn(process.execPath, [SERVER, '--port', '0'], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  return new Promise((resolve, reject) => {
    child.stdout?.once('data', (d: Buffer) =>
      resolve(/listening on (\S+)/.exec(d.toString())?.[1] ?? ''),
    )
    child.once('exit', (code) => reject(new Error(`agent-service exited ${code}: ${stderr}`)))
  })
}

const ask = (url: string, user: string, query = 'Why is the build slow?') =>
  fetch(`${url}/agent/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, user_id: user }),
  })

interface JsonMetrics {
  requests_total: number
  errors_total: number
  error_rate: number
  cost_per_request: number
  cost_total_usd: number
}

describe('the example agent service', () => {
  it('answers health and queries with usage, cost and the prompt version', async () => {
    const url = await start({ RELEASE_ID: 'r-42', SERVICE_VERSION: '2.0.0' })
    const health = await fetch(`${url}/health`)
    expect(health.status).toBe(200)
    expect(await health.json()).toMatchObject({
      status: 'healthy',
      version: '2.0.0',
      release: 'r-42',
    })
    const response = await ask(url, 'user-1')
    expect(response.status).toBe(200)
    const body = (await response.json()) as Record<string, unknown>
    expect(body).toMatchObject({ model: 'claude-3-5-haiku-20241022' })
    expect(['v1', 'v2']).toContain(body.prompt_version)
    expect(body.response).toMatch(/Why is the build slow\?/)
    // 4 characters a token, priced as claude-3-5-haiku ($0.80 / $4 per million).
    const usage = body.usage as { input_tokens: number; output_tokens: number }
    expect(body.cost).toBeCloseTo(usage.input_tokens * 0.8e-6 + usage.output_tokens * 4e-6, 12)
    const pinned = await start({ PROMPT_VERSION: 'v2' })
    expect(await (await ask(pinned, 'user-1')).json()).toMatchObject({ prompt_version: 'v2' })
  })

  it('rate limits a burst per user with 429 and Retry-After', async () => {
    const url = await start({ RATE_LIMIT_RATE: '1', RATE_LIMIT_BURST: '5' })
    const statuses = []
    for (let i = 0; i < 7; i++) statuses.push((await ask(url, 'bursty')).status)
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429])
    const limited = await ask(url, 'bursty')
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect((await ask(url, 'someone-else')).status).toBe(200)
    expect(await (await fetch(`${url}/rate-limit/someone-else`)).json()).toMatchObject({
      limit: 5,
      remaining: 4,
    })
  })

  it('serves /metrics a Prometheus parser reads, and JSON metrics that match the traffic', async () => {
    const url = await start({ FAULT_ERROR_RATE: '0.3', FAULT_SEED: '7', RATE_LIMIT_BURST: '1000' })
    let errors = 0
    const N = 40
    for (let i = 0; i < N; i++) if ((await ask(url, `u${i}`)).status === 500) errors += 1
    expect(errors).toBeGreaterThan(0)
    const json = (await (await fetch(`${url}/metrics?format=json`)).json()) as JsonMetrics
    expect(json.requests_total).toBe(N)
    expect(json.errors_total).toBe(errors)
    expect(json.error_rate).toBeCloseTo(errors / N, 12)
    expect(json.cost_per_request).toBeCloseTo(json.cost_total_usd / N, 12)
    const text = await (await fetch(`${url}/metrics`)).text()
    const families = parsePrometheusTextFormat(text)
    const requests = families.find((f) => f.name === 'http_server_requests_total')
    const total = requests?.metrics.reduce((s, m) => s + Number(m.value), 0)
    expect(total).toBe(N)
    expect(families.map((f) => f.name)).toEqual(
      expect.arrayContaining([
        'gen_ai_client_token_usage',
        'gen_ai_client_operation_duration_seconds',
        'llm_cost_usd_total',
      ]),
    )
  })
})

const describePrometheus = requireService('Prometheus', 'prometheus')
describePrometheus('the example agent service scraped by a real Prometheus', () => {
  let prometheus: TestPrometheus | undefined
  afterAll(async () => {
    await prometheus?.stop()
  })

  it('answers PromQL for the request rate and the cost per request', async () => {
    // One prompt version for everyone: every request then costs the same.
    const url = await start({ RATE_LIMIT_BURST: '10000', PROMPT_VERSION: 'v1' })
    prometheus = await startPrometheus([new URL(url).host])
    const traffic = setInterval(() => void ask(url, `u${Math.random()}`).catch(() => undefined), 50)
    try {
      const rate = 'sum(rate(http_server_requests_total[15s]))'
      await waitFor(async () => ((await prometheus?.query(rate))?.[0]?.value ?? 0) > 0, 30_000, {
        intervalMs: 500,
        what: 'a request rate in Prometheus',
      })
      const perRequest = await prometheus.query(
        'sum(increase(llm_cost_usd_total[1m])) / sum(increase(http_server_requests_total[1m]))',
      )
      const json = (await (await fetch(`${url}/metrics?format=json`)).json()) as JsonMetrics
      // A scrape can land between a request's cost and its count: allow 2%.
      const ratio = (perRequest[0]?.value ?? 0) / json.cost_per_request
      expect(Math.abs(ratio - 1)).toBeLessThan(0.02)
      const byVersion = await prometheus.query(
        'sum by (version, release) (rate(http_server_requests_total[15s]))',
      )
      expect(byVersion[0]?.labels).toMatchObject({ version: '1.0.0', release: 'dev' })
    } finally {
      clearInterval(traffic)
    }
  }, 60_000)
})

const describeRedis = requireService('Redis', 'redis-server')
describeRedis('two agent-service instances on one Redis', () => {
  let redis: TestRedis | undefined
  afterAll(async () => {
    await redis?.stop()
  })

  it('share one quota per user', async () => {
    redis = await startRedis()
    const env = { RATE_LIMIT_REDIS_URL: redis.url, RATE_LIMIT_RATE: '0.01', RATE_LIMIT_BURST: '6' }
    const [a, b] = await Promise.all([start(env), start(env)])
    const statuses = []
    for (let i = 0; i < 5; i++) {
      statuses.push((await ask(a, 'shared')).status, (await ask(b, 'shared')).status)
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(6)
    expect(statuses.slice(6)).toEqual([429, 429, 429, 429])
  }, 30_000)
})
