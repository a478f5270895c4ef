import { describe, expect, it } from 'vitest'
import type { CanaryAnalysis } from '../../../src/core/rollout/canary.js'
import {
  canaryPlan,
  decideAnalysis,
  DEFAULT_CANARY_STEPS,
  describeStep,
  weightBefore,
  type CanaryStep,
} from '../../../src/core/rollout/canary-plan.js'

const analysis = (outcome: CanaryAnalysis['outcome'], reason = 'why'): CanaryAnalysis => ({
  outcome,
  reason,
  metrics: [],
  canaryRequests: 0,
  stableRequests: 0,
})

const step = { durationMs: 600_000 }
const rules = { onInconclusive: 'rollback' as const, maxExtensions: 2 }

describe('canaryPlan', () => {
  it('is the seed’s plan by default: 5%, 15 minutes of analysis every minute, then 100%', () => {
    expect(canaryPlan(DEFAULT_CANARY_STEPS).map(describeStep)).toEqual([
      "set the canary's weight to 5%",
      'analyze for 15m, every 1m',
      "set the canary's weight to 100%",
    ])
  })

  it('promotes at the end of a plan that stops short of 100%', () => {
    const steps: CanaryStep[] = [
      { kind: 'weight', percent: 10 },
      { kind: 'pause', durationMs: null },
    ]
    expect(canaryPlan(steps).at(-1)).toEqual({ kind: 'weight', percent: 100 })
    expect(describeStep(steps[1] as CanaryStep)).toBe('pause until promoted')
  })

  it('refuses weights outside 0–100, a shrinking weight, and an analysis with no canary', () => {
    expect(() => canaryPlan([{ kind: 'weight', percent: 0 }])).toThrow(/step 1: .*0–100%, got 0/)
    expect(() =>
      canaryPlan([
        { kind: 'weight', percent: 20 },
        { kind: 'weight', percent: 10 },
      ]),
    ).toThrow('step 2: weight 10% is lower than the 20% before it')
    expect(() => canaryPlan([{ kind: 'analysis', durationMs: 60_000, intervalMs: 1 }])).toThrow(
      /no canary to judge/,
    )
    expect(() =>
      canaryPlan([
        { kind: 'weight', percent: 5 },
        { kind: 'analysis', durationMs: 60_000, intervalMs: 120_000 },
      ]),
    ).toThrow(/interval must fit/)
  })

  it('knows the weight in force before each step', () => {
    const plan = canaryPlan(DEFAULT_CANARY_STEPS)
    expect([0, 1, 2, 3].map((i) => weightBefore(plan, i))).toEqual([0, 5, 5, 100])
  })
})

describe('decideAnalysis', () => {
  it('aborts at once on a failed analysis, whatever the time', () => {
    const decision = decideAnalysis(analysis('failed', 'errors'), step, 60_000, rules)
    expect(decision).toEqual({ action: 'abort', reason: 'errors' })
  })

  it('keeps watching until the step’s time is up, then moves on if passing', () => {
    const at = (elapsedMs: number) =>
      decideAnalysis(analysis('passing'), step, elapsedMs, rules).action
    expect(at(540_000)).toBe('watch')
    // A real clock never lands on the duration exactly: any time past it ends the step.
    expect(at(600_000)).toBe('next')
    expect(at(600_001)).toBe('next')
    expect(at(663_456)).toBe('next')
  })

  it('follows onInconclusive at the end: roll back, pause, or extend up to the limit', () => {
    const end = 601_234
    const low = analysis('inconclusive', '12 canary requests')
    expect(decideAnalysis(low, step, end, rules)).toEqual({
      action: 'abort',
      reason: 'inconclusive: 12 canary requests',
    })
    expect(decideAnalysis(low, step, end, { ...rules, onInconclusive: 'pause' }).action).toBe(
      'pause',
    )
    const extend = { ...rules, onInconclusive: 'extend' as const }
    expect(decideAnalysis(low, step, end, extend).action).toBe('watch')
    expect(decideAnalysis(low, step, 1_234_567, extend).action).toBe('watch')
    expect(decideAnalysis(low, step, 1_800_001, extend)).toEqual({
      action: 'abort',
      reason: 'inconclusive: 12 canary requests, after 2 extensions',
    })
  })
})
