import { createServer } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MonitorInterval } from '../../../src/contracts/checks.js'
import {
  checkOnce,
  monitorPassed,
  readBaseline,
  runMonitor,
} from '../../../src/workflows/checks/monitor.js'
import { monitorSchema, type MonitorConfig } from '../../../src/config/deploy-schema.js'
import type {
  MetricSelector,
  MetricSource,
  MetricWindow,
  ServiceMetrics,
  TrafficWindow,
} from '../../../src/contracts/metrics.js'
import { createLogger } from '../../../src/logger.js'
import { createMetricSource } from '../../../src/metric-sources/index.js'
import * as z from '../../../src/utils/zod.js'
import { FakeClock } from '../../helpers/clock.js'
import { startPrometheus, type TestPrometheus } from '../../helpers/prometheus.js'
import { freePort, requireService } from '../../helpers/services.js'
import { sendQueries, startAgent, type AgentService } from '../../metric-sources/agent-service.js'

const silent = createLogger({ write: () => {} })
const config = (input: z.input<typeof monitorSchema> = {}): MonitorConfig =>
  z.parse(monitorSchema, { duration: '5m', interval: '1m', minRequests: 10, ...input })

const good: ServiceMetrics = {
  requests: 50,
  errors: 0,
  errorRate: 0,
  latencyAvgMs: 100,
  latencyP95Ms: 200,
  costPerRequestUsd: 0.001,
  costPerHourUsd: 0.5,
}
const bad = { ...good, errors: 25, errorRate: 0.5 }
const quiet = { ...good, requests: 1 }

/** A source answering from a script, one entry per read (after the priming read). */
function scripted(script: (ServiceMetrics | Error)[]) {
  const reads: { selector: MetricSelector; window: MetricWindow }[] = []
  const source: MetricSource = {
    type: 'scripted',
    read(selector, window) {
      reads.push({ selector, window })
      if (reads.length === 1) return Promise.resolve(good)
      const next = script[reads.length - 2] ?? good
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next)
    },
  }
  return { source, reads }
}

async function monitor(
  script: (ServiceMetrics | Error)[],
  input: z.input<typeof monitorSchema> = {},
  extra: { baseline?: ServiceMetrics; abortAfter?: number; source?: MetricSource } = {},
) {
  const clock = new FakeClock()
  const scriptedSource = scripted(script)
  const { reads } = scriptedSource
  const source = extra.source ?? scriptedSource.source
  const seen: MonitorInterval[] = []
  const controller = new AbortController()
  const report = await clock.run(
    runMonitor({
      source,
      config: config(input),
      release: 'r-2',
      previousRelease: 'r-1',
      baseline: extra.baseline ?? null,
      signal: controller.signal,
      logger: silent,
      clock,
      sleep: (ms, signal) => clock.sleep(ms, signal),
      onInterval: (interval) => {
        seen.push(interval)
        if (seen.length === extra.abortAfter) controller.abort()
      },
    }),
  )
  return { report, reads, seen, clock }
}

describe('runMonitor with a scripted source and a virtual clock', () => {
  it('reads every interval until the duration and passes a healthy release', async () => {
    const { report, reads, seen, clock } = await monitor([])
    expect(report).toMatchObject({
      outcome: 'passed',
      reason: 'nothing significantly worse over 5 intervals and 250 requests (alpha 0.05)',
    })
    expect(report.tests.map((t) => [t.metric, t.against, t.failed])).toEqual([
      ['error-limit', 'limit', false],
    ])
    expect(seen.map((i) => [i.index, i.startMs, i.endMs, i.outcome])).toEqual([
      [0, 0, 60_000, 'passed'],
      [1, 60_000, 120_000, 'passed'],
      [2, 120_000, 180_000, 'passed'],
      [3, 180_000, 240_000, 'passed'],
      [4, 240_000, 300_000, 'passed'],
    ])
    // A priming read at the start, then one per interval, for the release watched (a source
    // without per-release counts is not asked for the previous release's).
    expect(reads).toHaveLength(6)
    expect(reads[0]).toEqual({ selector: { release: 'r-2' }, window: { startMs: 0, endMs: 0 } })
    expect(clock.now()).toBe(300_000)
  })

  it('fails as soon as a test over the run so far fails, and stops there', async () => {
    const { report, reads, clock } = await monitor([good, bad, bad, bad, good])
    expect(report.outcome).toBe('failed')
    expect(report.reason).toMatch(/^error rate \d+\.\d% against the limit 5\.0% \(p /)
    const failedAt = report.intervals.findIndex((i) => i.outcome === 'failed')
    expect(failedAt).toBeGreaterThanOrEqual(1)
    expect(report.intervals).toHaveLength(failedAt + 1)
    expect(report.intervals[failedAt]?.findings).toEqual([report.reason])
    expect(reads).toHaveLength(failedAt + 2)
    expect(clock.now()).toBe((failedAt + 1) * 60_000)
  })

  it('compares with the baseline as a sample, with the margin in points', async () => {
    const baseline = { ...good, requests: 10_000, errors: 100, errorRate: 0.01 }
    const worse = { ...good, errors: 10, errorRate: 0.2 }
    const lenientLimit = { thresholds: { errorRate: 0.5 } }
    const { report } = await monitor([worse, worse, worse], lenientLimit, { baseline })
    expect(report.outcome).toBe('failed')
    expect(report.baseline).toEqual(baseline)
    expect(report.reason).toMatch(
      /^error rate 20\.0% against the previous release's 1\.0% before the deploy \(margin \+2\.0 points\) \(p /,
    )
  })

  it('compares side by side with the previous release while it still serves', async () => {
    const windows = {
      'r-2': { requests: 500, errors: 20 },
      'r-1': { requests: 500, errors: 5 },
    } as Record<string, TrafficWindow>
    const asked: (string | undefined)[] = []
    const source: MetricSource = {
      type: 'counting',
      read: () => Promise.reject(new Error('not used')),
      readWindow(selector) {
        asked.push(selector.release)
        return Promise.resolve(windows[selector.release ?? ''] ?? { requests: 0, errors: 0 })
      },
    }
    const { report } = await monitor([], {}, { source })
    expect(asked.slice(0, 4)).toEqual(['r-2', 'r-1', 'r-2', 'r-1'])
    expect(report.outcome).toBe('failed')
    expect(report.tests.find((t) => t.metric === 'error-rate')).toMatchObject({
      against: 'concurrent',
      failed: true,
      value: 0.04,
      reference: 0.01,
    })
  })

  it('is inconclusive when the run had too little traffic, and passes only if told to', async () => {
    const { report } = await monitor([quiet, quiet, quiet, quiet, quiet])
    expect(report.outcome).toBe('inconclusive')
    expect(report.reason).toBe('5 requests, fewer than the 10 the monitor needs to pass')
    expect(report.intervals.map((i) => i.outcome)).toEqual(Array(5).fill('inconclusive'))
    expect(monitorPassed(report, config())).toBe(false)
    expect(monitorPassed(report, config({ onInconclusive: 'pass' }))).toBe(true)
    expect(monitorPassed({ outcome: 'failed' }, config({ onInconclusive: 'pass' }))).toBe(false)
  })

  it('records read failures as error intervals, and gives up after three in a row', async () => {
    const down = new Error('metrics endpoint http://x/metrics: connection refused')
    const { report } = await monitor([good, down, down, down, good])
    expect(report.outcome).toBe('error')
    expect(report.intervals.map((i) => i.outcome)).toEqual(['passed', 'error', 'error', 'error'])
    expect(report.intervals[1]).toMatchObject({ metrics: null, findings: [down.message] })
    const once = await monitor([good, down, good, good, good])
    expect(once.report.outcome).toBe('passed')
  })

  it('stops when aborted and reports what it saw', async () => {
    const { report, clock } = await monitor([good, good], {}, { abortAfter: 2 })
    expect(report.outcome).toBe('passed')
    expect(report.reason).toBe(
      'interrupted after 2 of 5 intervals: nothing significantly worse over 2 intervals and 100 requests (alpha 0.05)',
    )
    expect(clock.now()).toBe(120_000)
  })

  it('ends the last interval at the duration when it is not a multiple', async () => {
    const { seen } = await monitor([], { duration: '150s' })
    expect(seen.map((i) => i.endMs)).toEqual([60_000, 120_000, 150_000])
  })
})

describe('the monitor on the example agent service', () => {
  it('fails a version with FAULT_ERROR_RATE=0.2 within two intervals', async () => {
    const agent = await startAgent({ RELEASE_ID: 'bad', FAULT_ERROR_RATE: '0.2' })
    const report = await watchUnderLoad(
      agent,
      createMetricSource({ type: 'endpoint', format: 'prometheus' }, { targetUrl: agent.url }),
    )
    expect(report.outcome).toBe('failed')
    expect(report.intervals.length).toBeLessThanOrEqual(2)
    expect(report.intervals.at(-1)?.findings.join()).toMatch(
      /error rate \d+\.\d% against the limit 5\.0% \(p /,
    )
  }, 30_000)

  it('passes a good version under the same load', async () => {
    const agent = await startAgent({ RELEASE_ID: 'good' })
    const report = await watchUnderLoad(
      agent,
      createMetricSource({ type: 'endpoint', format: 'prometheus' }, { targetUrl: agent.url }),
      2,
    )
    expect(report.outcome, report.reason).toBe('passed')
    expect(report.intervals).toHaveLength(2)
    expect(report.intervals.every((i) => (i.metrics?.requests ?? 0) >= 10)).toBe(true)
  }, 30_000)

  it('checkOnce: healthy and within budget, then over a budget set below the spend', async () => {
    const agent = await startAgent({ RELEASE_ID: 'once' })
    await sendQueries(agent.url, 10)
    const source = createMetricSource(
      { type: 'endpoint', format: 'json' },
      { targetUrl: agent.url },
    )
    const base = {
      baseUrl: agent.url,
      source,
      release: null,
      signal: new AbortController().signal,
      logger: silent,
    }
    const fine = await checkOnce({
      ...base,
      config: config({ thresholds: { costPerHourUsd: 1_000 } }),
    })
    expect(fine).toMatchObject({ outcome: 'passed', health: { passed: true, status: 200 } })
    expect(fine.costPerHourUsd).toBeGreaterThan(0)
    const over = await checkOnce({
      ...base,
      config: config({ thresholds: { costPerHourUsd: 1e-9 } }),
    })
    expect(over.outcome).toBe('failed')
    expect(over.reason).toMatch(/^spend \$\S+\/hour above the limit \$1\.00e-9\/hour$/)
    await agent.stop()
    const down = await checkOnce({ ...base, config: config() })
    expect(down).toMatchObject({ outcome: 'failed', reason: 'GET /health: connection refused' })
  }, 30_000)
})

describe('checkOnce on a degraded service', () => {
  it('passes its health by default (degraded is still 200) and fails it with failOn: degraded', async () => {
    const server = createServer((req, res) => {
      res.writeHead(req.url === '/health' ? 200 : 404, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ status: 'degraded' }))
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
    try {
      const base = {
        baseUrl: url,
        source: createMetricSource({ type: 'endpoint', format: 'json' }, { targetUrl: url }),
        release: null,
        signal: new AbortController().signal,
        logger: silent,
      }
      const lenient = await checkOnce({ ...base, config: config() })
      expect(lenient.health.passed).toBe(true)
      expect(lenient.outcome).toBe('error') // the fake has no metrics
      const strict = await checkOnce({ ...base, config: config({ failOn: 'degraded' }) })
      expect(strict).toMatchObject({
        outcome: 'failed',
        reason: 'GET /health: status is "degraded", expected "healthy"',
      })
    } finally {
      await new Promise((r) => server.close(r))
    }
  })
})

/** Watches `agent` in 1.5 s intervals while a loopback load of ~25 requests a second runs. */
async function watchUnderLoad(agent: AgentService, source: MetricSource, intervals = 4) {
  const controller = new AbortController()
  let sent = 0
  const load = (async () => {
    while (!controller.signal.aborted) {
      await sendQueries(agent.url, 5, `load-${sent}`)
      sent += 5
      await new Promise((r) => setTimeout(r, 100))
    }
  })()
  try {
    return await runMonitor({
      source,
      config: config({ minRequests: 10 }),
      release: null,
      baseline: null,
      durationMs: intervals * 1_500,
      intervalMs: 1_500,
      signal: new AbortController().signal,
      logger: silent,
    })
  } finally {
    controller.abort()
    await load
  }
}

const describePrometheus = requireService('Prometheus', 'prometheus')

describePrometheus('a Prometheus-backed monitor', () => {
  let prometheus: TestPrometheus
  let agent: AgentService
  beforeAll(async () => {
    const port = await freePort()
    prometheus = await startPrometheus([`127.0.0.1:${port}`])
    agent = await startAgent(
      { RELEASE_ID: 'bad-prom', FAULT_ERROR_RATE: '0.2' },
      { port, keep: true },
    )
  }, 30_000)
  afterAll(async () => {
    await agent?.stop()
    await prometheus?.stop()
  })

  it('catches the same bad service, and reads its baseline', async () => {
    const source = createMetricSource(
      { type: 'prometheus', url: prometheus.url, selector: 'job="service"' },
      { targetUrl: null },
    )
    const controller = new AbortController()
    const load = (async () => {
      for (let i = 0; !controller.signal.aborted; i++) {
        await sendQueries(agent.url, 5, `p-${i}`)
        await new Promise((r) => setTimeout(r, 100))
      }
    })()
    try {
      // Intervals of 4 s: several scrapes each, so increase() has samples to work with.
      const report = await runMonitor({
        source,
        config: config({ minRequests: 10 }),
        release: 'bad-prom',
        baseline: null,
        durationMs: 16_000,
        intervalMs: 4_000,
        signal: new AbortController().signal,
        logger: silent,
      })
      expect(report.outcome).toBe('failed')
      expect(report.intervals.length).toBeLessThanOrEqual(2)
      expect(report.intervals.at(-1)?.findings.join()).toMatch(
        /error rate .* against the limit 5\.0%/,
      )
    } finally {
      controller.abort()
      await load
    }
    const baseline = await readBaseline(source, 'bad-prom', new AbortController().signal)
    expect(baseline?.requests).toBeGreaterThan(20)
    expect(await readBaseline(source, 'never-deployed', new AbortController().signal)).toBeNull()
  }, 40_000)
})
