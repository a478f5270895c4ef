// The pairwise preference of the offline A/B analysis: the sign test and the share's interval
// against SciPy 1.17 (binomtest; the Wilson formula for shares with ties), and the decision
// resting on it with `primary: 'pairwise'`.
import { describe, expect, it } from 'vitest'
import type { ABCase } from '../../../src/core/ab/index.js'
import { analyzeAB, preferenceMetric, signTest } from '../../../src/core/ab/index.js'

function close(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(expected)))
}

/** `wins` cases preferring B, `losses` A, `ties` neither; each with one passing sample. */
function judged(wins: number, losses: number, ties: number, cost?: { a: number; b: number }) {
  const prefs = [
    ...Array<number>(wins).fill(1),
    ...Array<number>(losses).fill(0),
    ...Array<number>(ties).fill(0.5),
  ]
  return prefs.map((preference, i): ABCase => ({
    id: `c${i}`,
    a: [{ pass: true, ...(cost === undefined ? {} : { costUsd: cost.a * (1 + (i % 3) / 10) }) }],
    b: [{ pass: true, ...(cost === undefined ? {} : { costUsd: cost.b * (1 + (i % 3) / 10) }) }],
    preference,
  }))
}

describe('the sign test against SciPy binomtest(wins, wins + losses).pvalue', () => {
  const reference: [number, number, number][] = [
    [140, 60, 1.507061557352626e-8],
    [7, 3, 0.34375],
    [10, 0, 0.001953125],
    [55, 45, 0.36820161732669615],
    [30, 12, 0.007915897334896727],
    [1, 0, 1],
  ]
  for (const [wins, losses, p] of reference) {
    it(`${wins} wins, ${losses} losses`, () => {
      close(signTest(wins, losses), p)
      close(signTest(losses, wins), p)
    })
  }
  it('is 1 without a win or a loss', () => expect(signTest(0, 0)).toBe(1))
})

describe('the preference share', () => {
  it('without ties is the Wilson interval of binomtest(...).proportion_ci("wilson")', () => {
    const reference: [number, number, number, number][] = [
      [14, 20, 0.4810271816464766, 0.8545227551323957],
      [140, 200, 0.6332093162728073, 0.759252553176286],
      [0, 5, 0, 0.43448246478317476],
      [5, 5, 0.5655175352168251, 1],
    ]
    for (const [wins, n, lower, upper] of reference) {
      const m = preferenceMetric(judged(wins, n - wins, 0))!
      close(m.share.value, wins / n)
      close(m.share.lower, lower)
      close(m.share.upper, upper)
      expect(m.share.level).toBe(0.95)
    }
  })

  it('counts a tie as half a win in the share and leaves it out of the test', () => {
    const m = preferenceMetric(judged(30, 12, 8))!
    expect([m.cases, m.wins, m.losses, m.ties]).toEqual([50, 30, 12, 8])
    close(m.share.value, 34 / 50)
    // The Wilson formula at p = 0.68, n = 50 (SciPy's norm.ppf(0.975)).
    close(m.share.lower, 0.5418970269185592)
    close(m.share.upper, 0.7924178373934316)
    close(m.pValue, 0.007915897334896727)
    close(m.difference.value, 0.18)
    close(m.difference.lower, 0.5418970269185592 - 0.5)
  })

  it('is absent when no case was judged, and refuses a preference outside [0, 1]', () => {
    expect(preferenceMetric(judged(0, 0, 0))).toBeUndefined()
    expect(preferenceMetric([{ id: 'x', a: [{ pass: true }], b: [{ pass: true }] }])).toBe(
      undefined,
    )
    expect(() =>
      analyzeAB([{ id: 'x', a: [{ pass: true }], b: [{ pass: true }], preference: 2 }]),
    ).toThrow(/case x has a preference 2 outside \[0, 1\]/)
  })
})

describe('the decision on the pairwise preference', () => {
  it('names B when the sign test favours B, and reports the preference beside pass rate', () => {
    const r = analyzeAB(judged(30, 12, 8), { primary: 'pairwise' })
    expect(r.decision).toMatchObject({ winner: 'B', verdict: 'winner' })
    expect(r.decision.reasons[0]).toMatch(/^pairwise preference favours B: p = 0\.00792 < 0\.05/)
    expect(r.pairwise?.wins).toBe(30)
    // Reported, not deciding, under the default primary: the pass rates are equal.
    const byPassRate = analyzeAB(judged(30, 12, 8))
    expect(byPassRate.decision.verdict).toBe('no-difference')
    expect(byPassRate.pairwise?.pValue).toBe(r.pairwise?.pValue)
  })

  it('names A when the sign test favours A, and no one when it is not significant', () => {
    expect(analyzeAB(judged(12, 30, 8), { primary: 'pairwise' }).decision.winner).toBe('A')
    const none = analyzeAB(judged(7, 3, 5), { primary: 'pairwise' }).decision
    expect(none).toMatchObject({ winner: null, verdict: 'no-difference' })
    expect(none.mde).toBeGreaterThan(0)
  })

  it('is blocked when the preferred variant fails the cost guardrail', () => {
    const r = analyzeAB(judged(40, 5, 5, { a: 0.01, b: 0.02 }), { primary: 'pairwise' })
    expect(r.decision.verdict).toBe('blocked')
    expect(r.decision.reasons.join('\n')).toMatch(/cost guardrail failed: B costs 2\.00 ×/)
  })

  it('needs two judged cases to decide', () => {
    const r = analyzeAB(judged(1, 0, 0), { primary: 'pairwise' })
    expect(r.decision.reasons).toEqual([
      'pairwise preference was not measured on two cases or more',
    ])
  })
})
