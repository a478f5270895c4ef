import { describe, expect, it } from 'vitest'
import {
  analyzeCanary,
  DEFAULT_CANARY_RULES,
  type CanaryWindow,
} from '../../../src/core/rollout/canary.js'

const BOUNDS = [0.1, 0.5, 1, Infinity]

/** An interval: canary and stable requests and errors, and optionally histograms and cost. */
function win(
  canary: [number, number],
  stable: [number, number],
  extra: Partial<{ canaryLatency: number[]; stableLatency: number[]; cost: [number, number] }> = {},
): CanaryWindow {
  return {
    canary: {
      requests: canary[0],
      errors: canary[1],
      ...(extra.canaryLatency ? { latency: { bounds: BOUNDS, counts: extra.canaryLatency } } : {}),
      ...(extra.cost ? { costUsd: extra.cost[0] } : {}),
    },
    stable: {
      requests: stable[0],
      errors: stable[1],
      ...(extra.stableLatency ? { latency: { bounds: BOUNDS, counts: extra.stableLatency } } : {}),
      ...(extra.cost ? { costUsd: extra.cost[1] } : {}),
    },
  }
}

describe('analyzeCanary', () => {
  it('is inconclusive, never passing, below the minimum canary traffic', () => {
    const analysis = analyzeCanary([win([40, 0], [760, 8]), win([40, 1], [760, 7])])
    expect(analysis.outcome).toBe('inconclusive')
    expect(analysis.reason).toBe('80 canary requests, fewer than the 100 the analysis needs')
  })

  it('passes a canary no worse than stable once it has the traffic', () => {
    const windows = Array.from({ length: 5 }, () => win([100, 1], [1900, 19]))
    const analysis = analyzeCanary(windows)
    expect(analysis.outcome).toBe('passing')
    expect(analysis.metrics.map((m) => m.metric)).toEqual(['error-rate'])
    expect(analysis.metrics[0]).toMatchObject({ canary: 0.01, stable: 0.01, failed: false })
  })

  it('fails a canary with significantly more errors, saying what and with what p-value', () => {
    const windows = Array.from({ length: 5 }, () => win([100, 8], [1900, 19]))
    const analysis = analyzeCanary(windows)
    expect(analysis.outcome).toBe('failed')
    expect(analysis.reason).toMatch(
      /^error rate 8\.0% on the canary against 1\.0% on stable \(margin ×1\) \(p (< 0\.001|= 0\.0\d\d)\)$/,
    )
  })

  it('does not fail on a point estimate: 2 errors in 100 against 1% is not evidence', () => {
    const analysis = analyzeCanary([win([100, 2], [1900, 19])])
    expect(analysis.metrics[0]?.canary).toBe(0.02)
    expect(analysis.outcome).toBe('passing')
  })

  it('tests latency on the histogram: the share slower than stable’s p95 bucket', () => {
    const stable = [900, 600, 400, 100]
    const slow = [10, 20, 30, 40]
    const windows = Array.from({ length: 3 }, () =>
      win([100, 0], [2000, 0], { canaryLatency: slow, stableLatency: stable }),
    )
    const analysis = analyzeCanary(windows)
    const latency = analysis.metrics.find((m) => m.metric === 'latency')
    expect(latency?.failed).toBe(true)
    expect(latency?.detail).toContain('slower than 1 s')
  })

  it('tests cost only once each arm has three priced intervals', () => {
    const pricey = (n: number) =>
      Array.from({ length: n }, (_, i) => win([100, 0], [1900, 0], { cost: [0.5 + i * 0.01, 3.8] }))
    expect(analyzeCanary(pricey(2)).metrics.find((m) => m.metric === 'cost')?.pValue).toBe(1)
    const analysis = analyzeCanary(pricey(6))
    expect(analysis.metrics.find((m) => m.metric === 'cost')).toMatchObject({ failed: true })
  })

  it('checks an absolute error limit as “significantly above”, when one is set', () => {
    const rules = { ...DEFAULT_CANARY_RULES, limits: { errorRate: 0.05 } }
    const near = Array.from({ length: 3 }, () => win([100, 6], [1900, 114]))
    expect(analyzeCanary(near, rules).outcome).toBe('passing')
    const far = Array.from({ length: 3 }, () => win([100, 20], [1900, 380]))
    const analysis = analyzeCanary(far, rules)
    expect(analysis.metrics.find((m) => m.metric === 'error-limit')?.failed).toBe(true)
    expect(analysis.metrics.find((m) => m.metric === 'error-rate')?.failed).toBe(false)
  })
})
