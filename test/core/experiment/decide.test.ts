// decideExperiment's rules on hand-made totals: SRM blocks, a winner needs significance,
// guardrails, minimum users and days; the planned end gives "no detectable difference" with
// the MDE, or "no winner" with reasons; bad plans and data are refused with the field named.
import { describe, expect, it } from 'vitest'
import {
  decideExperiment,
  type ArmData,
  type ExperimentPlan,
} from '../../../src/core/experiment/index.js'

const PLAN: ExperimentPlan = {
  control: 'A',
  allocation: { A: 1, B: 1 },
  primary: { name: 'success', kind: 'proportion', better: 'higher', effect: 0.02 },
  guardrails: [{ name: 'cost', kind: 'mean', better: 'lower', margin: 0.1 }],
  minUsersPerArm: 10_000,
  minDays: 7,
  plannedDays: 14,
}

/** An arm of `users` with a success rate and a cost mean (sd 0.7 × mean). */
function arm(variant: string, users: number, rate: number, cost = 0.002): ArmData {
  const sd = 0.7 * cost
  return {
    variant,
    users,
    metrics: {
      success: { count: users, sum: Math.round(users * rate) },
      cost: {
        count: users,
        sum: users * cost,
        sumSquares: (users - 1) * sd * sd + users * cost * cost,
      },
    },
  }
}

describe('decideExperiment', () => {
  it('names B when its lift is significant, guardrails pass, and the minimums are met', () => {
    const result = decideExperiment(
      { arms: [arm('A', 50_000, 0.6), arm('B', 50_000, 0.62)], days: 14 },
      PLAN,
    )
    expect(result.decision).toEqual({ outcome: 'winner', variant: 'B' })
    const b = result.treatments[0]
    expect(b?.primary.verdict).toBe('better')
    expect(b?.primary.test.lower).toBeGreaterThan(0)
    expect(b?.primary.fixedSampleP).toBeLessThan(1e-9)
    expect(b?.guardrails[0]?.pass).toBe(true)
  })

  it('keeps running before the minimum days even with a clear lift, and says what is missing', () => {
    const { decision } = decideExperiment(
      { arms: [arm('A', 50_000, 0.6), arm('B', 50_000, 0.62)], days: 3 },
      PLAN,
    )
    expect(decision.outcome).toBe('keep-running')
    expect(decision.outcome === 'keep-running' && decision.missing).toEqual([
      '4 more day(s) (minimum 7)',
    ])
  })

  it('keeps running below the minimum users, naming the arm', () => {
    const { decision } = decideExperiment(
      { arms: [arm('A', 4_000, 0.6), arm('B', 4_000, 0.6)], days: 8 },
      PLAN,
    )
    expect(decision.outcome === 'keep-running' && decision.missing.join('\n')).toMatch(
      /6000 more users in 'A'[\s\S]*6000 more users in 'B'[\s\S]*success not yet significantly different/,
    )
  })

  it('reports no detectable difference at the planned end, with the MDE at the sample reached', () => {
    const { decision, treatments } = decideExperiment(
      { arms: [arm('A', 50_000, 0.6), arm('B', 50_000, 0.601)], days: 14 },
      PLAN,
    )
    expect(decision.outcome).toBe('no-detectable-difference')
    const mde = decision.outcome === 'no-detectable-difference' ? (decision.mde.B as number) : NaN
    // Wider than the fixed-sample MDE (2.80 SE), the price of looking every day.
    const se = Math.sqrt(treatments[0]?.primary.test.variance as number)
    expect(mde / se).toBeGreaterThan(2.8)
    expect(mde / se).toBeLessThan(5.5)
  })

  it('names no winner when the cost guardrail fails, and says which', () => {
    const { decision } = decideExperiment(
      { arms: [arm('A', 50_000, 0.6), arm('B', 50_000, 0.62, 0.0025)], days: 14 },
      PLAN,
    )
    expect(decision.outcome).toBe('no-winner')
    expect(decision.outcome === 'no-winner' && decision.reasons).toEqual([
      expect.stringMatching(/^'B': guardrail cost not yet shown within its margin/),
    ])
  })

  it('lets a lower-is-better primary win by falling, and never names a worse treatment', () => {
    const plan: ExperimentPlan = { ...PLAN, primary: { ...PLAN.primary, better: 'lower' } }
    const down = decideExperiment(
      { arms: [arm('A', 50_000, 0.6), arm('B', 50_000, 0.58)], days: 14 },
      plan,
    )
    expect(down.decision).toEqual({ outcome: 'winner', variant: 'B' })
    const up = decideExperiment(
      { arms: [arm('A', 50_000, 0.6), arm('B', 50_000, 0.62)], days: 14 },
      plan,
    )
    expect(up.decision.outcome === 'no-winner' && up.decision.reasons[0]).toMatch(
      /significantly worse/,
    )
  })

  it('blocks on a sample ratio mismatch whatever the metrics say', () => {
    const { decision, srm } = decideExperiment(
      { arms: [arm('A', 48_000, 0.6), arm('B', 52_000, 0.62)], days: 14 },
      PLAN,
    )
    expect(srm?.mismatch).toBe(true)
    expect(decision.outcome === 'invalid' && decision.reasons[0]).toMatch(
      /^sample ratio mismatch: A 48000 \(planned 50000\), B 52000 \(planned 50000\)/,
    )
  })

  it('compares several treatments with Holm and names the best significant one', () => {
    const plan: ExperimentPlan = { ...PLAN, allocation: { A: 2, B: 1, C: 1 } }
    const { decision, treatments, srm } = decideExperiment(
      { arms: [arm('C', 25_000, 0.63), arm('A', 50_000, 0.6), arm('B', 25_000, 0.62)], days: 10 },
      plan,
    )
    expect(srm?.df).toBe(2)
    expect(treatments.map((t) => t.variant)).toEqual(['B', 'C'])
    for (const t of treatments)
      expect(t.primary.adjustedP).toBeGreaterThanOrEqual(t.primary.test.pValue)
    expect(decision).toEqual({ outcome: 'winner', variant: 'C' })
  })

  it('keeps running while an arm has no users or no outcomes yet', () => {
    const none = decideExperiment({ arms: [arm('A', 0, 0), arm('B', 0, 0)], days: 0 }, PLAN)
    expect(none.srm).toBeNull()
    expect(none.decision.outcome).toBe('keep-running')
    const noCost: ArmData = {
      variant: 'B',
      users: 100,
      metrics: { success: { count: 100, sum: 50 } },
    }
    const { decision, treatments } = decideExperiment(
      { arms: [arm('A', 100, 0.5), noCost], days: 1 },
      PLAN,
    )
    expect(treatments).toEqual([])
    expect(decision).toEqual({
      outcome: 'keep-running',
      missing: ["at least 2 users with cost in 'B' (has 0)"],
    })
  })

  it('decides on a mean primary metric (cost, lower is better), one-sided', () => {
    const plan: ExperimentPlan = {
      ...PLAN,
      primary: { name: 'cost', kind: 'mean', better: 'lower', effect: 0.0002, sided: 'one-sided' },
      guardrails: [
        { name: 'success', kind: 'proportion', better: 'higher', margin: 0.03, relative: false },
      ],
    }
    const cheaper = decideExperiment(
      { arms: [arm('A', 20_000, 0.6), arm('B', 20_000, 0.6, 0.0019)], days: 9 },
      plan,
    )
    expect(cheaper.decision).toEqual({ outcome: 'winner', variant: 'B' })
    expect(cheaper.treatments[0]?.primary.test).toMatchObject({
      alternative: 'less',
      lower: -Infinity,
    })
    expect(cheaper.treatments[0]?.primary.test.upper).toBeLessThan(0)
    // Dearer: one-sided, so never "significantly worse", just no detectable improvement.
    const dearer = decideExperiment(
      { arms: [arm('A', 20_000, 0.6), arm('B', 20_000, 0.6, 0.0021)], days: 14 },
      plan,
    )
    expect(dearer.decision.outcome).toBe('no-detectable-difference')
  })

  it('guards cost per request, a ratio of per-user sums, by the delta method', () => {
    // Per user: requests with mean 3 and variance 2; cost = rate × requests + noise (sd 0.001).
    const ratioTotals = (users: number, rate: number) => {
      const my = 3
      const vy = 2
      const sx = (users - 1) * (rate * rate * vy + 1e-6)
      return {
        count: users,
        sum: users * rate * my,
        sumSquares: sx + users * (rate * my) ** 2,
        denominatorSum: users * my,
        denominatorSumSquares: (users - 1) * vy + users * my * my,
        sumProducts: (users - 1) * rate * vy + users * rate * my * my,
      }
    }
    const withRatio = (a: ArmData, rate: number): ArmData => ({
      ...a,
      metrics: { ...a.metrics, cost_per_request: ratioTotals(a.users, rate) },
    })
    const plan: ExperimentPlan = {
      ...PLAN,
      guardrails: [{ name: 'cost_per_request', kind: 'ratio', better: 'lower', margin: 0.1 }],
    }
    const same = decideExperiment(
      {
        arms: [withRatio(arm('A', 50_000, 0.6), 0.001), withRatio(arm('B', 50_000, 0.62), 0.001)],
        days: 14,
      },
      plan,
    )
    expect(same.decision).toEqual({ outcome: 'winner', variant: 'B' })
    expect(same.treatments[0]?.guardrails[0]?.control).toBeCloseTo(0.001, 12)
    const dearer = decideExperiment(
      {
        arms: [withRatio(arm('A', 50_000, 0.6), 0.001), withRatio(arm('B', 50_000, 0.62), 0.00125)],
        days: 14,
      },
      plan,
    )
    expect(dearer.decision.outcome === 'no-winner' && dearer.decision.reasons[0]).toMatch(
      /guardrail cost_per_request not yet shown within its margin/,
    )
    const missing = { ...withRatio(arm('B', 100, 0.5), 0.001) }
    const partial: ArmData = {
      ...missing,
      metrics: { ...missing.metrics, cost_per_request: { count: 100, sum: 1 } },
    }
    expect(() =>
      decideExperiment({ arms: [withRatio(arm('A', 100, 0.5), 0.001), partial], days: 1 }, plan),
    ).toThrow(
      /a ratio metric needs sumSquares, denominatorSum, denominatorSumSquares and sumProducts/,
    )
  })

  it('refuses plans and data it cannot decide, naming the field', () => {
    const data = { arms: [arm('A', 100, 0.5), arm('B', 100, 0.5)], days: 1 }
    expect(() => decideExperiment(data, { ...PLAN, control: 'Z' })).toThrow(
      /control 'Z' is not in the allocation/,
    )
    expect(() =>
      decideExperiment(data, { ...PLAN, primary: { ...PLAN.primary, effect: 0 } }),
    ).toThrow(/primary.effect must be > 0/)
    expect(() => decideExperiment(data, { ...PLAN, plannedDays: 5 })).toThrow(
      /minDays \(7\) must not exceed plannedDays \(5\)/,
    )
    expect(() => decideExperiment(data, { ...PLAN, srmAlpha: 1 })).toThrow(
      /srmAlpha must be between 0 and 1/,
    )
    expect(() => decideExperiment({ ...data, arms: [arm('A', 100, 0.5)] }, PLAN)).toThrow(
      /no data for planned arm 'B'/,
    )
    expect(() => decideExperiment({ ...data, arms: [...data.arms, arm('X', 1, 0)] }, PLAN)).toThrow(
      /arm 'X' is not in the plan/,
    )
    const bad = {
      ...data,
      arms: [
        arm('A', 100, 0.5),
        {
          ...arm('B', 100, 0.5),
          metrics: {
            success: { count: 100, sum: 150 },
            cost: { count: 100, sum: 1, sumSquares: 1 },
          },
        },
      ],
    }
    expect(() => decideExperiment(bad, PLAN)).toThrow(/successes <= count/)
  })
})
