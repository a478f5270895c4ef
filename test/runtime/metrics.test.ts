import parsePrometheusTextFormat from 'parse-prometheus-text-format'
import { Counter, Registry } from 'prom-client'
import { describe, expect, it } from 'vitest'
import { createRuntimeHandler } from '../../packages/runtime/src/http/handler.js'
import type { WindowMetrics } from '../../packages/runtime/src/telemetry/summary.js'
import { sample, serve, testTelemetry } from './support.js'

/** Serves `/metrics` plus an app whose routes answer the status and latency the path asks for. */
async function start(options: Parameters<typeof testTelemetry>[0] = {}) {
  const { telemetry, clock } = testTelemetry(options)
  const runtime = createRuntimeHandler({ telemetry })
  // /status/503?ms=40 answers 503 after 40 ms of (manual) time.
  const app = telemetry.wrap(
    (request) => {
      const url = new URL(request.url)
      clock.advance(Number(url.searchParams.get('ms') ?? 0))
      if (url.pathname === '/boom') throw new Error('boom')
      return new Response('ok', { status: Number(url.pathname.split('/')[2] ?? 200) })
    },
    { route: ['/status/:code', '/boom'] },
  )
  const url = await serve(
    async (request) => (await runtime(request)) ?? app(request),
    () => {},
  )
  return { url, telemetry, clock }
}

async function jsonMetrics(url: string): Promise<WindowMetrics> {
  const response = await fetch(`${url}/metrics`, { headers: { accept: 'application/json' } })
  expect(response.status).toBe(200)
  return (await response.json()) as WindowMetrics
}

describe('GET /metrics, Prometheus text', () => {
  it('counts requests by method, route template and status class, with the identity labels', async () => {
    const { url } = await start()
    for (let i = 0; i < 7; i++) await fetch(`${url}/status/200`)
    for (let i = 0; i < 3; i++) await fetch(`${url}/status/503`)
    await fetch(`${url}/status/404`)
    const response = await fetch(`${url}/metrics`)
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
    const text = await response.text()
    expect(Number(response.headers.get('content-length'))).toBe(Buffer.byteLength(text))
    const families = parsePrometheusTextFormat(text)
    const byName = new Map(families.map((f) => [f.name, f]))
    expect([...byName.keys()]).toEqual(
      expect.arrayContaining([
        'http_server_requests_total',
        'http_server_errors_total',
        'http_server_request_duration_seconds',
        'gen_ai_client_token_usage',
        'gen_ai_client_operation_duration_seconds',
        'llm_cost_usd_total',
      ]),
    )
    expect(byName.get('http_server_request_duration_seconds')?.type).toBe('HISTOGRAM')
    const identity = { service: 'agent', version: '1.2.3', release: 'rel-42', variant: 'canary' }
    const requests = byName.get('http_server_requests_total')!.metrics
    const count = (labels: Record<string, string>) =>
      Number(requests.find((m) => matches(m.labels, labels))?.value)
    expect(count({ ...identity, method: 'GET', route: '/status/:code', status_class: '2xx' })).toBe(
      7,
    )
    expect(count({ ...identity, method: 'GET', route: '/status/:code', status_class: '5xx' })).toBe(
      3,
    )
    expect(count({ ...identity, method: 'GET', route: '/status/:code', status_class: '4xx' })).toBe(
      1,
    )
    // The runtime's own endpoints are not part of the app's traffic; raw paths never are labels.
    expect(requests).toHaveLength(3)
    const errors = byName.get('http_server_errors_total')!.metrics
    expect(errors).toEqual([
      {
        labels: { ...identity, method: 'GET', route: '/status/:code', error_type: '503' },
        value: '3',
      },
    ])
    // parse-prometheus-text-format folds a labelled histogram's series together, so its counts
    // are read from the sample lines.
    expect(
      sample(text, 'http_server_request_duration_seconds_count', { status_class: '2xx' }),
    ).toBe(7)
  })

  it('writes the GenAI series of an observed call, and its cost', async () => {
    const { url, telemetry } = await start()
    await telemetry.observe({ provider: 'openai', model: 'gpt-test' }, () => ({
      usage: { input: 1000, output: 500, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
    }))
    await expect(
      telemetry.observe({ provider: 'openai', model: 'gpt-test' }, () => {
        throw Object.assign(new Error('slow down'), { name: 'RateLimitError' })
      }),
    ).rejects.toThrow('slow down')
    const text = await (await fetch(`${url}/metrics?format=prometheus`)).text()
    const families = new Map(parsePrometheusTextFormat(text).map((f) => [f.name, f]))
    const model = {
      gen_ai_operation_name: 'chat',
      gen_ai_provider_name: 'openai',
      gen_ai_request_model: 'gpt-test',
    }
    const cost = families.get('llm_cost_usd_total')!.metrics
    expect(cost).toHaveLength(1)
    expect(cost[0]!.labels).toMatchObject(model)
    expect(Number(cost[0]!.value)).toBeCloseTo((1000 * 2 + 500 * 8) / 1e6, 12)
    expect(sample(text, 'gen_ai_client_token_usage_sum', { gen_ai_token_type: 'input' })).toBe(1000)
    expect(sample(text, 'gen_ai_client_token_usage_sum', { gen_ai_token_type: 'output' })).toBe(500)
    expect(
      sample(text, 'gen_ai_client_operation_duration_seconds_count', {
        error_type: 'RateLimitError',
      }),
    ).toBe(1)
    // The successful call's series has no error_type label at all.
    const counts = text
      .split('\n')
      .filter((l) => l.startsWith('gen_ai_client_operation_duration_seconds_count'))
    expect(counts).toHaveLength(2)
    expect(counts.filter((l) => !l.includes('error_type=')).map((l) => l.split(' ')[1])).toEqual([
      '1',
    ])
  })

  it('uses the registry it is given, and renders it as prom-client does', async () => {
    const registry = new Registry()
    const own = new Counter({ name: 'app_jobs_total', help: 'Jobs.', registers: [registry] })
    const { telemetry } = testTelemetry({ registry, variant: undefined })
    expect(telemetry.registry).toBe(registry)
    own.inc(3)
    // A request is recorded when its body has been read.
    await (
      await telemetry.wrap(() => new Response('ok'), { route: '/a' })(new Request('http://x/a'))
    ).text()
    await telemetry.observe({ provider: 'openai', model: 'gpt-test' }, () => ({
      usage: { input: 10, output: 5, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
    }))
    const text = await telemetry.metricsText()
    // The runtime's series render themselves (fast); the text is the same as prom-client's.
    expect(text).toBe(await registry.metrics())
    // The service's own metrics carry the identity too (the registry's default labels).
    expect(sample(text, 'app_jobs_total', { variant: 'stable', service: 'agent' })).toBe(3)
    expect(sample(text, 'http_server_requests_total', { variant: 'stable', route: '/a' })).toBe(1)
    const json = await registry.getMetricsAsJSON()
    expect(json.map((m) => m.name)).toContain('gen_ai_client_token_usage')
  })
})

describe('GET /metrics, JSON over the window', () => {
  it('has error rate, latency, p95 and cost per request of known traffic', async () => {
    const { url, telemetry } = await start()
    // 20 requests taking 10, 20, ..., 200 ms; 5 of them 5xx (one by throwing).
    for (let i = 1; i <= 20; i++) {
      const path = i === 20 ? '/boom' : i % 5 === 0 ? '/status/500' : '/status/200'
      await fetch(`${url}${path}?ms=${i * 10}`)
    }
    // Two calls inside no request: each is a unit of its own, one of them failed.
    await telemetry.observe({ provider: 'openai', model: 'gpt-test' }, () => ({
      usage: { input: 2000, output: 1000, cacheRead: 1000, cacheWrite: 0, reasoning: 0 },
    }))
    await telemetry
      .observe({ provider: 'anthropic', model: 'claude-test' }, () =>
        Promise.reject(new TypeError('x')),
      )
      .catch(() => undefined)
    const m = await jsonMetrics(url)
    expect(m).toMatchObject({
      service: 'agent',
      version: '1.2.3',
      release: 'rel-42',
      variant: 'canary',
      window_seconds: 300,
      requests_total: 22,
      errors_total: 5,
      llm_calls_total: 2,
      llm_errors_total: 1,
      unpriced_calls: 0,
      tokens: { input: 2000, output: 1000 },
    })
    expect(m.error_rate).toBeCloseTo(5 / 22, 12)
    // The two LLM calls took 0 ms on the manual clock.
    expect(m.average_latency_ms).toBeCloseTo((10 * 210) / 22, 9)
    // Nearest rank: the 21st of 22 sorted latencies.
    expect(m.p95_latency_ms).toBe(190)
    const cost = (1000 * 2 + 1000 * 1 + 1000 * 8) / 1e6
    expect(m.cost_total_usd).toBeCloseTo(cost, 12)
    expect(m.cost_per_request).toBeCloseTo(cost / 22, 12)
    expect(m.by_model['gpt-test']).toMatchObject({ provider: 'openai', calls: 1, errors: 0 })
    expect(m.by_model['claude-test']).toMatchObject({
      provider: 'anthropic',
      calls: 1,
      errors: 1,
      cost_usd: 0,
    })
  })

  it('counts a request as failed when an LLM call inside it failed, even if it answered 200', async () => {
    const { telemetry } = testTelemetry()
    const handler = telemetry.wrap(async () => {
      await telemetry
        .observe({ provider: 'openai', model: 'gpt-test' }, async () => {
          await new Promise((resolve) => setTimeout(resolve, 1))
          throw new Error('upstream down')
        })
        .catch(() => undefined)
      return new Response('fallback answer')
    })
    // A request is recorded when its body has been read.
    await (await handler(new Request('http://x/a'))).text()
    await (await handler(new Request('http://x/a'))).text()
    await (await telemetry.wrap(() => new Response('fine'))(new Request('http://x/b'))).text()
    expect(telemetry.snapshot()).toMatchObject({
      requests_total: 3,
      errors_total: 2,
      llm_errors_total: 2,
    })
  })

  it('forgets what is older than the window, and scales cost per hour to what it covers', async () => {
    const { telemetry, clock } = testTelemetry({ window: 60 })
    const call = () =>
      telemetry.observe({ provider: 'openai', model: 'gpt-test' }, () => ({
        usage: { input: 500_000, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
      }))
    clock.advance(30_000)
    await call() // $1 after 30 s: $120 an hour
    expect(telemetry.snapshot()).toMatchObject({ covered_seconds: 30, requests_total: 1 })
    expect(telemetry.snapshot().cost_per_hour).toBeCloseTo(120, 9)
    clock.advance(45_000)
    await call() // $2 over the whole 60 s window
    expect(telemetry.snapshot()).toMatchObject({ covered_seconds: 60, requests_total: 2 })
    expect(telemetry.snapshot().cost_per_hour).toBeCloseTo(120, 9)
    clock.advance(20_000) // the first call is now 65 s old
    const m = telemetry.snapshot()
    expect(m).toMatchObject({ requests_total: 1, llm_calls_total: 1 })
    expect(m.cost_per_hour).toBeCloseTo(60, 9)
    clock.advance(61_000)
    expect(telemetry.snapshot()).toMatchObject({
      requests_total: 0,
      error_rate: 0,
      cost_per_request: 0,
      p95_latency_ms: 0,
    })
  })

  it('counts a call without usage, or of a model without a price, as unpriced', async () => {
    const { telemetry } = testTelemetry()
    await telemetry.observe({ provider: 'openai', model: 'gpt-test' }, () => 'no usage here')
    await telemetry.observe({ provider: 'mock', model: 'nobody-prices-this' }, () => ({
      usage: { input_tokens: 10, output_tokens: 5 },
    }))
    const m = telemetry.snapshot()
    expect(m).toMatchObject({
      unpriced_calls: 2,
      cost_total_usd: 0,
      tokens: { input: 10, output: 5 },
    })
    expect(await telemetry.metricsText()).toMatch(
      /llm_unpriced_calls_total\{[^}]*nobody-prices-this[^}]*\} 1/,
    )
  })
})

function matches(
  actual: Readonly<Record<string, string>> | undefined,
  expected: Record<string, string>,
) {
  return (
    Object.entries(expected).every(([k, v]) => actual?.[k] === v) &&
    Object.keys(actual ?? {}).length === Object.keys(expected).length
  )
}
