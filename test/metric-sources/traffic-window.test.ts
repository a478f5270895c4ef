/**
 * `readWindow` of both metric sources: one release's requests, errors, duration buckets and
 * spend over a window, told apart from another release serving at the same time. Two instances
 * of the example agent service (the real runtime SDK) serve two releases; the endpoint source
 * reads their exposition, a real Prometheus 2.42 scrapes them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TargetInstance } from '../../src/contracts/deploy.js'
import type { TrafficWindow } from '../../src/contracts/metrics.js'
import { createMetricSource } from '../../src/metric-sources/index.js'
import { trafficPromql } from '../../src/metric-sources/prometheus/traffic.js'
import { startPrometheus, type TestPrometheus } from '../helpers/prometheus.js'
import { freePort, requireService, waitFor } from '../helpers/services.js'
import { sendQueries, startAgent, type AgentService } from './agent-service.js'

const signal = new AbortController().signal
/** The runtime SDK's request-duration buckets (OpenTelemetry's advice), then +Inf. */
const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, Infinity]
const CANARY = { RELEASE_ID: 'canary-1', FAULT_ERROR_RATE: '0.3' }
const STABLE = { RELEASE_ID: 'stable-1' }

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0)
const faultsOf = (statuses: readonly number[]): number => statuses.filter((s) => s === 500).length

/** Checks the histogram's shape and that it holds `requests` requests. */
function expectHistogram(traffic: TrafficWindow, requests: number): void {
  expect(traffic.latency?.bounds).toEqual(BOUNDS)
  expect(traffic.latency?.counts).toHaveLength(BOUNDS.length)
  expect(traffic.latency?.counts.every((n) => n >= 0)).toBe(true)
  expect(sum(traffic.latency?.counts ?? [])).toBe(requests)
}

describe('readWindow of the endpoint source (Prometheus text), two releases side by side', () => {
  it('counts each release exactly from the previous call, apart from read()', async () => {
    const [canary, stable] = await Promise.all([startAgent(CANARY), startAgent(STABLE)])
    const instances: TargetInstance[] = [
      { releaseId: 'canary-1', url: canary.url, weight: 10 },
      { releaseId: 'stable-1', url: stable.url, weight: 90 },
    ]
    const source = createMetricSource(
      { type: 'endpoint', format: 'prometheus' },
      { targetUrl: null, instances: () => Promise.resolve(instances) },
    )
    const window = { startMs: Date.now(), endMs: Date.now() }
    await sendQueries(canary.url, 4, 'before')
    // The first call of each release primes.
    for (const release of ['canary-1', 'stable-1']) {
      expect((await source.readWindow!({ release }, window, signal)).requests).toBe(0)
    }
    const canaryStatuses = await sendQueries(canary.url, 25, 'c')
    const stableStatuses = await sendQueries(stable.url, 40, 's')
    // read() keeps its own previous scrape: it does not take readWindow's delta.
    await source.read({ release: 'canary-1' }, window, signal)
    const c = await source.readWindow!({ release: 'canary-1' }, window, signal)
    const s = await source.readWindow!({ release: 'stable-1' }, window, signal)
    expect(faultsOf(canaryStatuses)).toBeGreaterThan(0)
    expect(c).toMatchObject({ requests: 25, errors: faultsOf(canaryStatuses) })
    expect(s).toMatchObject({ requests: 40, errors: faultsOf(stableStatuses) })
    expectHistogram(c, 25)
    expectHistogram(s, 40)
    expect(c.costUsd).toBeGreaterThan(0)
    expect(s.costUsd).toBeGreaterThan(0)
    // Nothing since.
    expect(await source.readWindow!({ release: 'canary-1' }, window, signal)).toMatchObject({
      requests: 0,
      errors: 0,
      costUsd: 0,
    })
    // From the start: everything the release served.
    const total = await source.readWindow!(
      { release: 'canary-1' },
      { startMs: 0, endMs: 1 },
      signal,
    )
    expect(total.requests).toBe(29)
  })

  it('selects a release by its label on one metrics URL', async () => {
    const agent = await startAgent(STABLE)
    const source = createMetricSource(
      { type: 'endpoint', format: 'prometheus' },
      { targetUrl: agent.url },
    )
    await sendQueries(agent.url, 3)
    const all = { startMs: 0, endMs: Date.now() }
    expect((await source.readWindow!({ release: 'stable-1' }, all, signal)).requests).toBe(3)
    const other = await source.readWindow!({ release: 'canary-1' }, all, signal)
    expect(other).toEqual({ requests: 0, errors: 0, latency: undefined, costUsd: 0 })
  })

  it('has no readWindow in its JSON form, which has no counts', () => {
    const source = createMetricSource(
      { type: 'endpoint', format: 'json', url: 'http://127.0.0.1:1/metrics' },
      { targetUrl: null },
    )
    expect(source.readWindow).toBeUndefined()
  })
})

const describePrometheus = requireService('Prometheus', 'prometheus')

describePrometheus('readWindow of the prometheus source against a real Prometheus 2.42', () => {
  let prometheus: TestPrometheus
  let canary: AgentService
  let stable: AgentService

  beforeAll(async () => {
    const ports = [await freePort(), await freePort()]
    prometheus = await startPrometheus(ports.map((p) => `127.0.0.1:${p}`))
    ;[canary, stable] = await Promise.all([
      startAgent(CANARY, { port: ports[0], keep: true }),
      startAgent(STABLE, { port: ports[1], keep: true }),
    ])
  }, 30_000)
  afterAll(async () => {
    await Promise.all([canary?.stop(), stable?.stop()])
    await prometheus?.stop()
  })

  it('counts each release exactly over a window whose edges fall between scrapes', async () => {
    // No extrapolation: the sums at the window's start and end, differenced.
    const warm = { canary: await warmUp(canary.url, true), stable: await warmUp(stable.url, false) }
    await scraped('canary-1', warm.canary)
    await scraped('stable-1', warm.stable)
    const startMs = Date.now()
    const endpoint = createMetricSource(
      { type: 'endpoint', format: 'prometheus' },
      { targetUrl: null, instances: () => Promise.resolve(instancesOf(canary, stable)) },
    )
    for (const release of ['canary-1', 'stable-1'])
      await endpoint.readWindow!({ release }, w0, signal)
    const canaryStatuses = await sendQueries(canary.url, 30, 'c')
    const stableStatuses = await sendQueries(stable.url, 45, 's')
    await scraped('canary-1', warm.canary + 30)
    await scraped('stable-1', warm.stable + 45)
    const window = { startMs, endMs: Date.now() }
    const source = createMetricSource(
      { type: 'prometheus', url: prometheus.url, selector: 'job="service"' },
      { targetUrl: null },
    )
    const cases = [
      { release: 'canary-1', requests: 30, statuses: canaryStatuses },
      { release: 'stable-1', requests: 45, statuses: stableStatuses },
    ]
    for (const { release, requests, statuses } of cases) {
      const traffic = await source.readWindow!({ release }, window, signal)
      expect(traffic).toMatchObject({ requests, errors: faultsOf(statuses) })
      expectHistogram(traffic, requests)
      // The same buckets and spend as the service's own exposition of the same traffic.
      const own = await endpoint.readWindow!({ release }, w0, signal)
      expect(traffic.latency).toEqual(own.latency)
      expect(traffic.costUsd).toBeCloseTo(own.costUsd ?? Number.NaN, 12)
      // Windows that share an edge count every request once: the halves add up to the whole.
      const middle = Math.round((window.startMs + window.endMs) / 2)
      const halves = await Promise.all([
        source.readWindow!({ release }, { startMs: window.startMs, endMs: middle }, signal),
        source.readWindow!({ release }, { startMs: middle, endMs: window.endMs }, signal),
      ])
      expect(halves[0].requests + halves[1].requests).toBe(requests)
    }
    expect(faultsOf(canaryStatuses)).toBeGreaterThan(0)
    // A release that served nothing: zero counts, no histogram.
    const none = await source.readWindow!(
      { release: 'nope' },
      { startMs: Date.now() - 60_000, endMs: Date.now() },
      signal,
    )
    expect(none).toEqual({ requests: 0, errors: 0, latency: undefined, costUsd: 0 })
  }, 60_000)

  const w0 = { startMs: 1, endMs: 1 }

  /** Sends a dozen queries, among them (on the canary, seeded) successes and faults. */
  async function warmUp(url: string, faults: boolean): Promise<number> {
    const statuses = await sendQueries(url, 12, 'warm')
    expect(faultsOf(statuses) > 0).toBe(faults)
    return statuses.length
  }

  async function scraped(release: string, requests: number): Promise<void> {
    await waitFor(
      async () =>
        (await prometheus.query(`sum(http_server_requests_total{release="${release}"})`))[0]
          ?.value === requests,
      20_000,
      { what: `Prometheus to scrape ${requests} requests of ${release}`, intervalMs: 200 },
    )
  }
})

function instancesOf(canary: AgentService, stable: AgentService): TargetInstance[] {
  return [
    { releaseId: 'canary-1', url: canary.url, weight: 10 },
    { releaseId: 'stable-1', url: stable.url, weight: 90 },
  ]
}

it("sums each counter over the release's series, by le for the buckets", () => {
  const q = trafficPromql({ release: 'c' }, 'job="a"')
  expect(q.requests).toBe('sum(http_server_requests_total{release="c",job="a"})')
  expect(q.buckets).toBe(
    'sum by (le) (http_server_request_duration_seconds_bucket{release="c",job="a"})',
  )
  expect(trafficPromql({}, '').cost).toBe('sum(llm_cost_usd_total)')
})
