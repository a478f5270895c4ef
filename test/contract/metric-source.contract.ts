/**
 * The contract every metric source passes (src/contracts/metrics.ts), on real traffic: the
 * example agent service answers queries with injected faults, and the source reads it (through
 * a real Prometheus for `prometheus`). A release's counts are exact and its rates have the
 * promised shape; a release without traffic has zero counts and null rates (inconclusive, never
 * a pass); the source agrees with the service's own exposition of the same traffic; an
 * unreachable source rejects naming where it looked; an abort ends a read at once with the
 * signal's reason; history comes in one interval per step where the source can look back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MetricSource, ServiceMetrics } from '../../src/contracts/metrics.js'
import { createMetricSource, type builtinMetricSources } from '../../src/metric-sources/index.js'
import type { MetricSourceConfig } from '../../src/metric-sources/schemas.js'
import { startFakeServer, sleep, type FakeServer } from '../fakes/server.js'
import { freePort, type ServiceDescribe } from '../helpers/services.js'
import { sendQueries, startAgent, type AgentService } from '../metric-sources/agent-service.js'

/** One metric source under the contract. */
export interface MetricSourceHarness {
  readonly type: keyof typeof builtinMetricSources
  /** A guard for sources that need a service (`requireService`); plain `describe` otherwise. */
  readonly describe?: ServiceDescribe
  /**
   * Starts what the source reads through, for `agent`, which has served `requests` requests;
   * resolves with the source's config once the source can see all of them.
   */
  start(agent: AgentService, requests: number): Promise<MetricBench>
  /** The config of the same kind of source reading from `base` (nothing there, or a hang). */
  configAt(base: string): MetricSourceConfig
}

/** A started harness. */
export interface MetricBench {
  readonly config: MetricSourceConfig
  stop(): Promise<void>
}

/** The release the agent service runs, and its injected fault and latency. */
const RELEASE = 'contract-a'
const AGENT_ENV = { RELEASE_ID: RELEASE, FAULT_ERROR_RATE: '0.3', FAULT_LATENCY_MS: '5' }
const QUERIES = 30
/** A p95 from histogram buckets is as coarse as its buckets; an exact one may differ by that. */
const P95_FACTOR = 2

/** Runs the contract against the sources `harness` makes. */
export function metricSourceContract(name: string, harness: MetricSourceHarness): void {
  ;(harness.describe ?? describe)(`${name} (metric source contract)`, () => {
    let agent: AgentService
    let bench: MetricBench
    let faults = 0
    let hanging: FakeServer
    beforeAll(async () => {
      agent = await startAgent(AGENT_ENV, { port: await freePort(), keep: true })
      faults = (await sendQueries(agent.url, QUERIES, 'contract')).filter((s) => s === 500).length
      bench = await harness.start(agent, QUERIES)
      hanging = await startFakeServer(({ signal }) => sleep(60_000, signal))
    }, 40_000)
    afterAll(async () => {
      await Promise.all([bench?.stop(), agent?.stop(), hanging?.close()])
    })
    const source = (config = bench.config): MetricSource =>
      createMetricSource(config, { targetUrl: null })
    const everything = () => ({ startMs: 0, endMs: Date.now() })

    it('is its builtin', () => {
      expect(source().type).toBe(harness.type)
    })

    it("reads a release's traffic: exact counts, rates of the promised shape", async () => {
      const metrics = expectShape(await source().read({ release: RELEASE }, everything(), live()))
      expect(faults).toBeGreaterThan(0)
      expect(metrics).toMatchObject({
        requests: QUERIES,
        errors: faults,
        errorRate: faults / QUERIES,
      })
      expect(metrics.latencyAvgMs).toBeGreaterThan(5)
      expect(metrics.latencyP95Ms).toBeGreaterThan(5)
      expect(metrics.costPerRequestUsd).toBeGreaterThan(0)
    })

    it('gives a release without traffic zero counts and no rates', async () => {
      const metrics = await source().read({ release: 'not-deployed' }, everything(), live())
      expect(expectShape(metrics)).toEqual({
        requests: 0,
        errors: 0,
        errorRate: null,
        latencyAvgMs: null,
        latencyP95Ms: null,
        costPerRequestUsd: null,
        costPerHourUsd: null,
      })
    })

    it("agrees with the service's own exposition of the same traffic", async () => {
      const exposition = source({ type: 'endpoint', format: 'prometheus', url: metricsOf(agent) })
      const [own, reference] = await Promise.all(
        [source(), exposition].map((s) => s.read({ release: RELEASE }, everything(), live())),
      )
      expect(own?.requests).toBe(reference?.requests)
      expect(own?.errors).toBe(reference?.errors)
      expect(own?.latencyAvgMs).toBeCloseTo(reference?.latencyAvgMs ?? Number.NaN, 6)
      expect(own?.costPerRequestUsd).toBeCloseTo(reference?.costPerRequestUsd ?? Number.NaN, 12)
      const ratio = (own?.latencyP95Ms ?? 0) / (reference?.latencyP95Ms ?? Number.NaN)
      expect(ratio).toBeGreaterThan(1 / P95_FACTOR)
      expect(ratio).toBeLessThan(P95_FACTOR)
    })

    it('rejects, naming where it looked, when its source is unreachable', async () => {
      const nowhere = `127.0.0.1:${await freePort()}`
      const read = source(harness.configAt(`http://${nowhere}`)).read({}, everything(), live())
      await expect(read).rejects.toThrow(new RegExp(`${nowhere}.*: connection refused`))
    })

    it("ends a read at once with the signal's reason when it aborts", async () => {
      const controller = new AbortController()
      const read = source(harness.configAt(hanging.url)).read({}, everything(), controller.signal)
      await waitForRequest(hanging)
      const aborted = Date.now()
      controller.abort(new Error('monitor stopped'))
      await expect(read).rejects.toThrow('monitor stopped')
      expect(Date.now() - aborted).toBeLessThan(1_000)
    })

    it('reads nothing with a signal aborted before the read', async () => {
      const before = hanging.requests.length
      const controller = new AbortController()
      controller.abort(new Error('monitor stopped'))
      const read = source(harness.configAt(hanging.url)).read({}, everything(), controller.signal)
      await expect(read).rejects.toThrow('monitor stopped')
      expect(hanging.requests.length).toBe(before)
    })

    it('gives history as one interval per step, where it can look back', async (context) => {
      const history = source().readSeries
      if (history === undefined) {
        context.skip('it cannot look back: it only reads the present')
        return
      }
      const endMs = Date.now()
      const steps = await history(
        { release: RELEASE },
        { startMs: endMs - 4_000, endMs },
        2_000,
        live(),
      )
      expect(steps).toHaveLength(2)
      for (const step of steps) expectShape(step)
    })
  })
}

const live = (): AbortSignal => new AbortController().signal

/** The agent service's metrics URL. */
export function metricsOf(agent: AgentService): string {
  return `${agent.url}/metrics`
}

async function waitForRequest(server: FakeServer): Promise<void> {
  const count = server.requests.length
  for (let i = 0; i < 200 && server.requests.length === count; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  expect(server.requests.length).toBeGreaterThan(count)
}

/** Checks the shape every reading has, and returns it. */
function expectShape(metrics: ServiceMetrics): ServiceMetrics {
  expect(Number.isInteger(metrics.requests) && metrics.requests >= 0).toBe(true)
  expect(Number.isInteger(metrics.errors) && metrics.errors >= 0).toBe(true)
  expect(metrics.errors).toBeLessThanOrEqual(metrics.requests)
  if (metrics.requests === 0) expect(metrics.errorRate).toBeNull()
  else expect(metrics.errorRate).toBe(metrics.errors / metrics.requests)
  for (const figure of [
    metrics.latencyAvgMs,
    metrics.latencyP95Ms,
    metrics.costPerRequestUsd,
    metrics.costPerHourUsd,
  ]) {
    if (figure === null) continue
    expect(Number.isFinite(figure)).toBe(true)
    expect(figure).toBeGreaterThanOrEqual(0)
  }
  return metrics
}
