import { describe, expect, it } from 'vitest'
import type { AssertionGrade, SampleResult, SuiteResult } from '../../../src/contracts/results.js'
import { buildResults } from '../../../src/core/eval/aggregate.js'
import {
  costPerCase,
  judgeScore,
  meanInterval,
  quantileEstimate,
  quantileRanks,
  trendPoint,
} from '../../../src/core/view/trend.js'
import { seededRandom } from '../../../src/utils/random.js'
import { normal } from '../../helpers/sampling.js'
import { completedRun, sampleResult, suiteInfo, judgedGrade } from '../../helpers/results.js'

const plain = (score: number): AssertionGrade => ({
  type: 'contains',
  pass: score === 1,
  score,
  reason: 'plain',
  weight: 1,
})

/** Suite `s` of the given samples (case ids from the samples), built as a run builds it. */
function suiteOf(samples: readonly SampleResult[], repeat = 1): SuiteResult {
  const ids = [...new Set(samples.map((s) => s.caseId))]
  const doc = buildResults({
    run: completedRun(),
    suites: [suiteInfo({ repeat })],
    cases: ids.map((id) => ({ suite: 's', id, vars: {}, tags: [] })),
    samples,
  })
  return doc.suites[0] as SuiteResult
}

describe('quantileRanks: order statistics bracketing the 95th percentile', () => {
  // Exact binomial arithmetic (rational numbers), computed apart from this code.
  it.each([
    [1, null, null, 1],
    [2, 1, null, 0.9975],
    [20, 17, null, 0.9840984739802364],
    [71, 63, null, 0.991205101618846],
    [72, 64, 72, 0.9654900479083739],
    [100, 90, 100, 0.9826070607121813],
    [200, 184, 197, 0.9671521638567258],
    [1000, 936, 964, 0.9580952682226541],
  ])('n = %i: ranks %s and %s, coverage %f', (n, lower, upper, coverage) => {
    const r = quantileRanks(n, 0.95)
    expect(r.lower).toBe(lower)
    expect(r.upper).toBe(upper)
    expect(r.coverage).toBeCloseTo(coverage, 9)
  })

  it('gives the p95 of 1..100 as 95.05 in [90, 100], and no upper end below 72 values', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1)
    expect(quantileEstimate(values, 0.95)).toEqual({ value: 95.05, lower: 90, upper: 100 })
    const few = Array.from({ length: 71 }, (_, i) => i + 1)
    expect(quantileEstimate(few, 0.95)).toEqual({ value: 67.5, lower: 63, upper: null })
    expect(quantileEstimate([42], 0.95)).toEqual({ value: 42, lower: 0, upper: null })
    expect(quantileEstimate([], 0.95)).toBeNull()
  })

  it('covers the true p95 of log-normal latencies as often as the binomial says (2,000 runs)', () => {
    // Latencies ~ LogNormal(μ = 6, σ = 0.5) ms: the true p95 is exp(μ + σ·z₀.₉₅).
    const mu = 6
    const sigma = 0.5
    const truth = Math.exp(mu + sigma * 1.6448536269514722)
    const runs = 2000
    for (const n of [72, 200]) {
      const random = seededRandom(0x7e4d + n)
      let held = 0
      for (let i = 0; i < runs; i++) {
        const sorted = Array.from({ length: n }, () => Math.exp(mu + sigma * normal(random))).sort(
          (a, b) => a - b,
        )
        const e = quantileEstimate(sorted, 0.95)
        if (e !== null && e.upper !== null && e.lower <= truth && truth <= e.upper) held += 1
      }
      const rate = held / runs
      const exact = quantileRanks(n, 0.95).coverage
      console.log(`p95 interval coverage at n = ${n}: ${rate} (exact ${exact.toFixed(4)})`)
      // Conservative: the guarantee is ≥ 0.95, and the binomial steps give more (0.965, 0.967).
      expect(exact).toBeGreaterThanOrEqual(0.95)
      expect(Math.abs(rate - exact)).toBeLessThan(4 * Math.sqrt((exact * (1 - exact)) / runs))
      expect(rate).toBeGreaterThanOrEqual(0.93)
      expect(rate).toBeLessThanOrEqual(0.98)
    }
  })
})

describe('meanInterval', () => {
  it('is the Student t interval (as scipy.stats.t.interval(0.95, 4, 3, sem))', () => {
    const e = meanInterval([1, 2, 3, 4, 5])
    expect(e?.value).toBe(3)
    expect(e?.lower).toBeCloseTo(1.0367568385224393, 9)
    expect(e?.upper).toBeCloseTo(4.963243161477561, 9)
  })

  it('clips at the floor, leaves one value unbounded above, and has nothing for none', () => {
    expect(meanInterval([0.001, 0.001, 0.01], 0)?.lower).toBe(0)
    expect(meanInterval([0.5], 0)).toEqual({ value: 0.5, lower: 0.5, upper: null })
    expect(meanInterval([])).toBeNull()
  })
})

describe('a run’s trend point', () => {
  it('averages only the grades a judge made, by case, on the 0–1 scale', () => {
    const suite = suiteOf([
      sampleResult({ caseId: 'a', grades: [judgedGrade(0.8), plain(1)] }),
      sampleResult({ caseId: 'b', grades: [judgedGrade(0.6), plain(0)] }),
      sampleResult({ caseId: 'c', grades: [judgedGrade(1), plain(1)] }),
      sampleResult({ caseId: 'd', grades: [plain(1)] }),
    ])
    const e = judgeScore(suite)
    expect(e?.value).toBeCloseTo(0.8, 12)
    expect(e?.lower).toBeLessThan(0.8)
    expect(e?.upper).toBeGreaterThan(0.8)
    expect(e?.upper).toBeLessThanOrEqual(1)
    expect(judgeScore(suiteOf([sampleResult({ caseId: 'a', grades: [plain(1)] })]))).toBeNull()
  })

  it('leaves out a judge grade that could not decide', () => {
    const undecided: AssertionGrade = { ...judgedGrade(0), error: true }
    const suite = suiteOf([
      sampleResult({ caseId: 'a', grades: [judgedGrade(0.9), undecided] }),
      sampleResult({ caseId: 'b', grades: [judgedGrade(0.7)] }),
    ])
    expect(judgeScore(suite)?.value).toBeCloseTo(0.8, 12)
  })

  it('sums cost per case over its samples, and has none when nothing was priced', () => {
    const suite = suiteOf(
      [
        sampleResult({ caseId: 'a', sample: 0, costUsd: 0.01 }),
        sampleResult({ caseId: 'a', sample: 1, costUsd: 0.03 }),
        sampleResult({ caseId: 'b', sample: 0, costUsd: 0.02 }),
        sampleResult({ caseId: 'b', sample: 1, costUsd: 0.02 }),
        sampleResult({ caseId: 'c', sample: 0, costUsd: 0.05 }),
        sampleResult({ caseId: 'c', sample: 1, costUsd: null }),
      ],
      2,
    )
    const e = costPerCase(suite)
    // Cases cost 0.04, 0.04 and 0.05: the suite's own perCase figure.
    expect(e?.value).toBeCloseTo(suite.stats.costUsd.perCase ?? NaN, 12)
    expect(e?.value).toBeCloseTo(0.043333333333, 9)
    const t = meanInterval([0.04, 0.04, 0.05], 0)
    expect(e?.lower).toBeCloseTo(t?.lower ?? NaN, 12)
    expect(e?.upper).toBeCloseTo(t?.upper ?? NaN, 12)
    expect(costPerCase(suiteOf([sampleResult({ caseId: 'a' })]))).toBeNull()
  })

  it('takes the pass rate from the suite statistics and the p95 from the samples', () => {
    const samples = Array.from({ length: 100 }, (_, i) =>
      sampleResult({ caseId: `c${i}`, latencyMs: i + 1, pass: i % 4 !== 0 }),
    )
    const suite = suiteOf(samples)
    const run = completedRun({
      id: 'r9',
      git: { commit: 'abcdef1234', branch: 'main', dirty: false },
    })
    const point = trendPoint(run, suite)
    expect(point).toMatchObject({ runId: 'r9', commit: 'abcdef1234', branch: 'main', cases: 100 })
    expect(point.passRate).toEqual({
      value: 0.75,
      lower: suite.stats.passRate.lower,
      upper: suite.stats.passRate.upper,
    })
    expect(point.latencyP95).toEqual({ value: suite.stats.latencyMs.p95, lower: 90, upper: 100 })
    expect(point.judgeScore).toBeNull()
    expect(point.costPerCase).toBeNull()
  })
})
