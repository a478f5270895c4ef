import { afterAll, beforeAll, expect, it } from 'vitest'
import { createMetricSource } from '../../src/metric-sources/index.js'
import { promqlFor } from '../../src/metric-sources/prometheus/index.js'
import { judgeHistory } from '../../src/workflows/checks/monitor.js'
import { monitorSchema } from '../../src/config/deploy-schema.js'
import * as z from '../../src/utils/zod.js'
import { startPrometheus, type TestPrometheus } from '../helpers/prometheus.js'
import { freePort, requireService, waitFor } from '../helpers/services.js'
import { sendQueries, startAgent, type AgentService } from './agent-service.js'

const describePrometheus = requireService('Prometheus', 'prometheus')
const signal = new AbortController().signal

describePrometheus('the prometheus source against a real Prometheus 2.42', () => {
  let prometheus: TestPrometheus
  let agent: AgentService
  let port: number

  beforeAll(async () => {
    // One service for the suite, scraped from its start.
    port = await freePort()
    prometheus = await startPrometheus([`127.0.0.1:${port}`])
    agent = await startAgent(
      { RELEASE_ID: 'prom-1', FAULT_ERROR_RATE: '0.3' },
      { port, keep: true },
    )
  }, 30_000)
  afterAll(async () => {
    await agent?.stop()
    await prometheus?.stop()
  })

  it('reads known traffic: N requests, M faults; the same p95 as the endpoint source', async () => {
    const statuses = await sendQueries(agent.url, 30)
    const faults = statuses.filter((s) => s === 500).length
    expect(faults).toBeGreaterThan(0)
    await waitFor(
      async () =>
        (await prometheus.query('sum(http_server_requests_total{release="prom-1"})'))[0]?.value ===
        30,
      20_000,
      { what: 'Prometheus to scrape the traffic', intervalMs: 200 },
    )
    const source = createMetricSource(
      { type: 'prometheus', url: prometheus.url, selector: 'job="service"' },
      { targetUrl: null },
    )
    const total = { startMs: 0, endMs: Date.now() }
    const metrics = await source.read({ release: 'prom-1' }, total, signal)
    expect(metrics).toMatchObject({ requests: 30, errors: faults, errorRate: faults / 30 })
    expect(metrics.costPerRequestUsd).toBeGreaterThan(0)
    const endpoint = createMetricSource(
      { type: 'endpoint', format: 'prometheus' },
      { targetUrl: agent.url },
    )
    const scraped = await endpoint.read({ release: 'prom-1' }, total, signal)
    // Both compute histogram_quantile over the same buckets.
    expect(metrics.latencyP95Ms).toBeCloseTo(scraped.latencyP95Ms!, 6)
    expect(metrics.latencyAvgMs).toBeCloseTo(scraped.latencyAvgMs!, 6)
    expect(metrics.costPerRequestUsd).toBeCloseTo(scraped.costPerRequestUsd!, 12)
    // Another release has no series: no traffic, not an error.
    expect(await source.read({ release: 'nope' }, total, signal)).toMatchObject({
      requests: 0,
      errorRate: null,
      latencyP95Ms: null,
    })
  }, 40_000)

  it('measures a window with increase(), and extrapolates the cost per hour', async () => {
    // The window must hold scrapes from before the traffic as well as after it.
    const start = Date.now()
    await new Promise((r) => setTimeout(r, 2_500))
    await sendQueries(agent.url, 20, 'window')
    await waitFor(
      async () =>
        (await prometheus.query('sum(http_server_requests_total{release="prom-1"})'))[0]?.value ===
        50,
      20_000,
      { what: 'the second batch scraped', intervalMs: 200 },
    )
    await new Promise((r) => setTimeout(r, 1_500))
    const source = createMetricSource(
      { type: 'prometheus', url: prometheus.url, selector: '' },
      { targetUrl: null },
    )
    const metrics = await source.read(
      { release: 'prom-1' },
      { startMs: start, endMs: Date.now() },
      signal,
    )
    // increase() extrapolates to the window's edges: close to 20, not exact.
    expect(metrics.requests).toBeGreaterThan(14)
    expect(metrics.requests).toBeLessThan(27)
    expect(metrics.errorRate).toBeGreaterThan(0)
    expect(metrics.costPerHourUsd).toBeGreaterThan(0)
  }, 40_000)

  it('reads history with a range query: one interval per step, judged as the monitor would', async () => {
    // A quiet 2.5 s, traffic in two bursts 3 s apart, then the history since the quiet began
    // in 2 s steps (the earlier tests' traffic was scraped before it).
    const startMs = Date.now()
    await new Promise((r) => setTimeout(r, 2_500))
    await sendQueries(agent.url, 20, 'history-a')
    await new Promise((r) => setTimeout(r, 3_000))
    await sendQueries(agent.url, 20, 'history-b')
    await waitFor(
      async () =>
        (await prometheus.query('sum(http_server_requests_total{release="prom-1"})'))[0]?.value ===
        90,
      20_000,
      { what: 'the history traffic scraped', intervalMs: 200 },
    )
    await new Promise((r) => setTimeout(r, 1_500))
    const source = createMetricSource(
      { type: 'prometheus', url: prometheus.url, selector: '' },
      { targetUrl: null },
    )
    const endMs = Date.now()
    const steps = await source.readSeries!({ release: 'prom-1' }, { startMs, endMs }, 2_000, signal)
    expect(steps).toHaveLength(Math.floor((endMs - startMs) / 2_000))
    // Counter sums differenced at the step boundaries: the 40 requests exactly, in two steps.
    expect(steps.reduce((sum, m) => sum + m.requests, 0)).toBe(40)
    expect(steps.filter((m) => m.requests > 0).length).toBeGreaterThanOrEqual(2)
    const report = await judgeHistory({
      source,
      config: z.parse(monitorSchema, { minRequests: 5, interval: '2s' }),
      release: 'prom-1',
      baseline: null,
      sinceMs: endMs - startMs,
      endMs,
      signal,
    })
    expect(report.intervals).toHaveLength(steps.length)
    // FAULT_ERROR_RATE=0.3: the run's error rate is significantly over the 5% limit.
    expect(report.outcome).toBe('failed')
    expect(report.reason).toMatch(/^error rate [\d.]+% against the limit 5\.0% \(p [<=] /)
    expect(
      report.intervals.some((i) =>
        i.findings.some((f) => /error rate .* against the limit/.test(f)),
      ),
    ).toBe(true)
  }, 40_000)

  it('rejects with what Prometheus said, or that it is unreachable', async () => {
    const broken = createMetricSource(
      { type: 'prometheus', url: prometheus.url, selector: 'service=~"("' },
      { targetUrl: null },
    )
    await expect(broken.read({}, { startMs: 0, endMs: Date.now() }, signal)).rejects.toThrow(
      /^Prometheus at http:\/\/127\.0\.0\.1:\d+ rejected .*: bad_data: /,
    )
    const nowhere = `http://127.0.0.1:${await freePort()}`
    const missing = createMetricSource(
      { type: 'prometheus', url: nowhere, selector: '' },
      { targetUrl: null },
    )
    await expect(missing.read({}, { startMs: 0, endMs: Date.now() }, signal)).rejects.toThrow(
      `Prometheus at ${nowhere}: connection refused`,
    )
  })
})

it('writes PromQL with the release and the configured matchers', () => {
  const q = promqlFor({ release: 'r"1' }, { startMs: 1_000, endMs: 31_000 }, 'service="agent"')
  expect(q.requests).toBe(
    'sum(increase(http_server_requests_total{release="r\\"1",service="agent"}[30s]))',
  )
  expect(q.p95).toBe(
    'histogram_quantile(0.95, sum by (le) (rate(http_server_request_duration_seconds_bucket{release="r\\"1",service="agent"}[30s])))',
  )
  expect(promqlFor({}, { startMs: 0, endMs: 5 }, '').errors).toBe('sum(http_server_errors_total)')
})
