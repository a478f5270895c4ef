import { describe, expect, it } from 'vitest'
import type { MonitorOutcome } from '../../../src/contracts/checks.js'
import type { TrafficWindow } from '../../../src/contracts/metrics.js'
import {
  analyzeMonitor,
  intervalVerdict,
  runOutcome,
  type MonitorAnalysis,
  type MonitorRules,
  type MonitorWindow,
} from '../../../src/core/rollout/monitor.js'

const rules: MonitorRules = {
  alpha: 0.05,
  minRequests: 100,
  thresholds: { errorRate: 0.05, latencyP95Ms: 5_000 },
  compare: { errorRatePoints: 0.02, latencyIncreasePct: 50, costPerRequestIncreasePct: 30 },
}

const BOUNDS = [0.1, 0.5, 1, 5, Infinity]

/** A traffic window: requests, errors, and optionally a histogram and spend. */
const traffic = (requests: number, errors: number, extra: Partial<TrafficWindow> = {}) => ({
  requests,
  errors,
  ...extra,
})
const alone = (w: TrafficWindow): MonitorWindow => ({ release: w, previous: null })
const times = <T>(n: number, make: (i: number) => T): T[] =>
  Array.from({ length: n }, (_, i) => make(i))

describe('analyzeMonitor', () => {
  it('is inconclusive below minRequests over the run, never passing, whatever the figures', () => {
    const analysis = analyzeMonitor([alone(traffic(40, 1)), alone(traffic(40, 0))], null, rules)
    expect(analysis.outcome).toBe('inconclusive')
    expect(analysis.reason).toBe('80 requests, fewer than the 100 the monitor needs to pass')
    expect(intervalVerdict(analysis)).toEqual({
      outcome: 'inconclusive',
      findings: [analysis.reason],
    })
  })

  it('does not fail on a point estimate: one interval at 6% errors against a 5% limit', () => {
    const analysis = analyzeMonitor([alone(traffic(100, 6))], null, rules)
    expect(analysis.outcome).toBe('passing')
    expect(analysis.tests).toMatchObject([{ metric: 'error-limit', against: 'limit', value: 0.06 }])
  })

  it('fails an error rate significantly above the limit, saying so with its p-value', () => {
    const analysis = analyzeMonitor(
      times(3, () => alone(traffic(100, 20))),
      null,
      rules,
    )
    expect(analysis.outcome).toBe('failed')
    expect(analysis.reason).toMatch(
      /^error rate 20\.0% against the limit 5\.0% \(p (< 0\.001|= 0\.0\d\d)\)$/,
    )
    expect(intervalVerdict(analysis).outcome).toBe('failed')
  })

  it('fails against the saved baseline only beyond the margin in points, the baseline taken as a sample', () => {
    const baseline = traffic(20_000, 200) // 1%
    const within = times(10, () => alone(traffic(200, 5))) // 2.5%: within +2 points
    expect(analyzeMonitor(within, baseline, rules).outcome).toBe('passing')
    const beyond = times(10, () => alone(traffic(200, 12))) // 6%: 5 points above
    const failed = analyzeMonitor(beyond, baseline, rules)
    expect(failed.outcome).toBe('failed')
    expect(failed.tests.find((t) => t.metric === 'error-rate')).toMatchObject({
      against: 'baseline',
      failed: true,
      reference: 0.01,
    })
    // Against a baseline of 30 requests without an error it is not evidence: its rate is unsure.
    const small = analyzeMonitor(beyond, traffic(30, 0), rules)
    expect(small.tests.find((t) => t.metric === 'error-rate')?.failed).toBe(false)
  })

  it('compares with the previous release side by side while it serves, as the canary does', () => {
    const windows = times(5, () => ({ release: traffic(500, 20), previous: traffic(500, 5) }))
    const analysis = analyzeMonitor(windows, traffic(10_000, 100), rules)
    const errors = analysis.tests.filter((t) => t.metric === 'error-rate')
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({
      against: 'concurrent',
      failed: true,
      value: 0.04,
      reference: 0.01,
    })
  })

  it('tests the p95 limit and the previous release’s p95 on the duration histogram', () => {
    // The previous release: 5% of requests above 1 s. The new one: 30% above 1 s, 10% above 5 s.
    const before = traffic(10_000, 0, {
      latency: { bounds: BOUNDS, counts: [5000, 3000, 1500, 400, 100] },
    })
    const slow = { bounds: BOUNDS, counts: [20, 30, 20, 20, 10] }
    const analysis = analyzeMonitor(
      times(4, () => alone(traffic(100, 0, { latency: slow }))),
      before,
      rules,
    )
    const limit = analysis.tests.find((t) => t.metric === 'latency-limit')
    expect(limit).toMatchObject({ failed: true, value: 0.1, reference: 0.05 })
    expect(limit?.detail).toBe(
      '10.0% of requests slower than 5 s, against the 5% a p95 limit of 5,000 ms allows',
    )
    const latency = analysis.tests.find((t) => t.metric === 'latency')
    expect(latency).toMatchObject({
      against: 'baseline',
      failed: true,
      value: 0.3,
      reference: 0.05,
    })
  })

  it('tests cost per request against the limit and the baseline once it has three intervals', () => {
    const withLimit = { ...rules, thresholds: { ...rules.thresholds, costPerRequestUsd: 0.002 } }
    const baseline = traffic(10_000, 0, { costUsd: 20 }) // $0.002 a request
    const pricey = (n: number) =>
      times(n, (i) => alone(traffic(100, 0, { costUsd: 0.4 + i * 0.01 }))) // about $0.004
    const two = analyzeMonitor(pricey(2), baseline, withLimit)
    expect(two.tests.filter((t) => t.metric.startsWith('cost')).map((t) => t.pValue)).toEqual([
      1, 1,
    ])
    const six = analyzeMonitor(pricey(6), baseline, withLimit)
    expect(six.tests.find((t) => t.metric === 'cost-limit')?.failed).toBe(true)
    expect(six.tests.find((t) => t.metric === 'cost')).toMatchObject({
      against: 'baseline',
      failed: true,
    })
  })
})

describe("a run's outcome", () => {
  const analysis = (
    outcome: MonitorAnalysis['outcome'],
    reason: string = outcome,
  ): MonitorAnalysis => ({
    outcome,
    tests: [],
    requests: 0,
    reason,
  })
  const run = (a: MonitorAnalysis | null, outcomes: MonitorOutcome[]) => runOutcome(a, outcomes)

  it('fails, and stops, as soon as a test failed', () => {
    expect(run(analysis('failed', 'error rate 20%'), ['passed', 'failed'])).toEqual({
      outcome: 'failed',
      reason: 'error rate 20%',
      stop: true,
    })
  })

  it('is never passed without enough traffic, and says unreadable intervals', () => {
    expect(run(null, [])).toMatchObject({
      outcome: 'inconclusive',
      reason: 'no interval completed',
    })
    expect(run(analysis('inconclusive', 'too few'), ['inconclusive'])).toMatchObject({
      outcome: 'inconclusive',
      reason: 'too few',
    })
    expect(run(analysis('passing', 'fine'), ['passed', 'error', 'passed'])).toEqual({
      outcome: 'passed',
      reason: 'fine; 1 of 3 intervals unreadable',
      stop: false,
    })
  })

  it('gives up with error when the source keeps failing', () => {
    expect(run(null, ['error', 'error'])).toMatchObject({ outcome: 'error', stop: false })
    expect(run(analysis('passing'), ['passed', 'error', 'error', 'error'])).toEqual({
      outcome: 'error',
      reason: 'metrics could not be read for 3 intervals in a row',
      stop: true,
    })
  })
})
