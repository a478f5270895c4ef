import { describe, expect, it } from 'vitest'
import type { ServiceMetrics } from '../../../src/contracts/metrics.js'
import type { MonitorOutcome } from '../../../src/contracts/checks.js'
import { judgeInterval, runOutcome, type MonitorRules } from '../../../src/core/rollout/monitor.js'

const rules: MonitorRules = {
  minRequests: 20,
  failAfter: 1,
  thresholds: { errorRate: 0.05, latencyP95Ms: 5_000 },
  compare: { errorRatePoints: 0.02, latencyIncreasePct: 50, costPerRequestIncreasePct: 30 },
}

const metrics = (m: Partial<ServiceMetrics> = {}): ServiceMetrics => ({
  requests: 100,
  errors: 1,
  errorRate: 0.01,
  latencyAvgMs: 300,
  latencyP95Ms: 800,
  costPerRequestUsd: 0.002,
  costPerHourUsd: 1.2,
  ...m,
})

describe('judging one interval', () => {
  it('passes healthy figures, with and without a baseline', () => {
    expect(judgeInterval(metrics(), null, rules)).toEqual({ outcome: 'passed', findings: [] })
    expect(judgeInterval(metrics(), metrics(), rules)).toEqual({ outcome: 'passed', findings: [] })
  })

  it('is inconclusive below the minimum traffic, however bad the figures', () => {
    expect(judgeInterval(metrics({ requests: 19, errorRate: 1 }), null, rules)).toEqual({
      outcome: 'inconclusive',
      findings: ['19 requests, fewer than 20'],
    })
    expect(judgeInterval(metrics({ requests: 20 }), null, rules).outcome).toBe('passed')
  })

  it('fails figures above the absolute limits, saying which', () => {
    const judged = judgeInterval(
      metrics({ errorRate: 0.2, latencyP95Ms: 5_200, costPerRequestUsd: 0.02 }),
      null,
      { ...rules, thresholds: { ...rules.thresholds, costPerRequestUsd: 0.01 } },
    )
    expect(judged).toEqual({
      outcome: 'failed',
      findings: [
        'error rate 20.0% above the limit 5.0%',
        'p95 latency 5,200 ms above the limit 5,000 ms',
        'cost per request $0.0200 above the limit $0.0100',
      ],
    })
    expect(judgeInterval(metrics({ errorRate: 0.05 }), null, rules).outcome).toBe('passed')
  })

  it('fails rises over the previous release beyond the seed tolerances', () => {
    const base = metrics({ errorRate: 0.01, latencyP95Ms: 1_000, costPerRequestUsd: 0.001 })
    const judged = judgeInterval(
      metrics({ errorRate: 0.04, latencyP95Ms: 1_600, costPerRequestUsd: 0.0014 }),
      base,
      rules,
    )
    expect(judged.findings).toEqual([
      "error rate 4.0% is 3.0 points above the previous release's 1.0% (allowed +2.0 points)",
      "p95 latency 1,600 ms is 60% above the previous release's 1,000 ms (allowed +50%)",
      "cost per request $0.00140 is 40% above the previous release's $0.00100 (allowed +30%)",
    ])
    // At the tolerance exactly: still passes.
    const edge = metrics({ errorRate: 0.03, latencyP95Ms: 1_500, costPerRequestUsd: 0.0013 })
    expect(judgeInterval(edge, base, rules)).toEqual({ outcome: 'passed', findings: [] })
  })

  it('ignores p95 rises under 100 ms and baselines without enough traffic', () => {
    const fast = metrics({ latencyP95Ms: 40 })
    expect(judgeInterval(metrics({ latencyP95Ms: 120 }), fast, rules).outcome).toBe('passed')
    expect(judgeInterval(metrics({ latencyP95Ms: 141 }), fast, rules).outcome).toBe('failed')
    const quiet = metrics({ requests: 3, errorRate: 0 })
    expect(judgeInterval(metrics({ errorRate: 0.04 }), quiet, rules).outcome).toBe('passed')
  })
})

describe("a run's outcome", () => {
  const run = (outcomes: MonitorOutcome[], failAfter = 1) => runOutcome(outcomes, failAfter)

  it('fails, and stops, as soon as failAfter intervals failed', () => {
    expect(run(['passed', 'failed'])).toEqual({
      outcome: 'failed',
      reason: '1 of 2 intervals failed',
      stop: true,
    })
    expect(run(['failed', 'passed'], 2)).toMatchObject({ outcome: 'passed', stop: false })
    expect(run(['failed', 'passed', 'failed'], 2)).toMatchObject({ outcome: 'failed', stop: true })
  })

  it('is never passed without an interval that passed', () => {
    expect(run([])).toMatchObject({ outcome: 'inconclusive', reason: 'no interval completed' })
    expect(run(['inconclusive', 'inconclusive'])).toMatchObject({
      outcome: 'inconclusive',
      reason: 'no interval had enough traffic to judge',
    })
    expect(run(['inconclusive', 'passed', 'error'])).toEqual({
      outcome: 'passed',
      reason: '1 of 3 intervals passed; 1 unreadable, 1 without enough traffic',
      stop: false,
    })
  })

  it('gives up with error when the source keeps failing', () => {
    expect(run(['error', 'error'])).toMatchObject({ outcome: 'error', stop: false })
    expect(run(['passed', 'error', 'error', 'error'])).toEqual({
      outcome: 'error',
      reason: 'metrics could not be read for 3 intervals in a row',
      stop: true,
    })
    expect(run(['error', 'error', 'passed'])).toMatchObject({ outcome: 'passed' })
  })
})
