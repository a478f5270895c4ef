// Offline A/B analysis: two variants (prompt or model versions) run on the same cases, with
// repeats; paired tests per metric and one decision. Pure functions; see docs/ab.md.
import { checkOpenUnit, checkPositive } from '../stats/validate.js'
import { checkCases } from './cases.js'
import type { ABDecision } from './decide.js'
import { decide } from './decide.js'
import type { CostGuardrail, PairedMetric, PassRateMetric, ScoreMetric } from './metrics.js'
import {
  costGuardrail,
  latencyMetric,
  pairedCosts,
  passRateMetric,
  scoreMetric,
} from './metrics.js'
import { preferenceMetric, type PreferenceMetric } from './preference.js'
import type { ABCase, PrimaryMetric } from './types.js'

export { pairByCase } from './cases.js'
export type { ABDecision, DecisionMetric } from './decide.js'
export type { CostGuardrail, PairedMetric, PassRateMetric, ScoreMetric } from './metrics.js'
export { planAB } from './plan.js'
export { preferenceMetric, preferenceOf, signTest } from './preference.js'
export type { PreferenceMetric } from './preference.js'
export type { ABPlan, ABPlanOption, ABPlanOptions } from './plan.js'
export type * from './types.js'

/** Options of {@link analyzeAB}. */
export interface ABOptions {
  /** The metric the decision rests on; default `passRate`. */
  readonly primary?: PrimaryMetric
  /** Two-sided significance level of the primary test (one-sided for the guardrail); 0.05. */
  readonly alpha?: number
  /** Power for the minimum detectable effect and the cases needed; default 0.8. */
  readonly power?: number
  /** The winner's mean cost may be at most this multiple of the other's; default 1.1. */
  readonly costMargin?: number
  /** Cases the plan called for: no winner below it. */
  readonly plannedCases?: number
  /**
   * The effect asked on the primary metric (B - A; for `pairwise`, B's share - 1/2), for
   * `decision.casesNeeded`.
   */
  readonly effect?: number
}

/** Everything the analysis found. */
export interface ABAnalysis {
  readonly cases: number
  readonly passRate: PassRateMetric | undefined
  readonly score: ScoreMetric | undefined
  readonly latency: PairedMetric | undefined
  /** B's pairwise judge preference, over the cases that carry one. */
  readonly pairwise: PreferenceMetric | undefined
  /** Mean cost per case of each variant, over cases with cost on both. */
  readonly cost:
    { readonly meanA: number; readonly meanB: number; readonly cases: number } | undefined
  /** The cost guardrail of B against A (of the winner, when A wins). */
  readonly costGuardrail: CostGuardrail | undefined
  readonly decision: ABDecision
}

/**
 * Analyses variant B against A on cases paired by id. With `primary: 'pairwise'` the decision
 * rests on the cases' judge `preference` (the exact sign test, B's share for the direction).
 * Throws a RangeError on a case without
 * samples of both variants, a score outside [0, 1], a negative cost or a bad option.
 */
export function analyzeAB(cases: readonly ABCase[], options: ABOptions = {}): ABAnalysis {
  checkCases('analyzeAB', cases)
  const { alpha, power, margin } = resolveOptions(options)
  const primaryName = options.primary ?? 'passRate'
  const passRate = passRateMetric(cases, alpha)
  const score = scoreMetric(cases, alpha)
  const pairwise = preferenceMetric(cases)
  const costs = pairedCosts(cases)
  const guardrail = (winner: 'A' | 'B') =>
    winner === 'B'
      ? costGuardrail(costs.b, costs.a, margin, alpha)
      : costGuardrail(costs.a, costs.b, margin, alpha)
  const primary = { passRate, score, pairwise: pairwise?.cases === 1 ? undefined : pairwise }
  const decision = decide({
    primary: primary[primaryName],
    primaryName: PRIMARY_NAMES[primaryName],
    guardrail,
    exact: primaryName === 'passRate' && passRate?.test === 'mcnemar-exact',
    alpha,
    power,
    plannedCases: options.plannedCases,
    effect: options.effect,
  })
  return {
    cases: cases.length,
    passRate,
    score,
    latency: latencyMetric(cases, alpha),
    pairwise,
    cost:
      costs.a.length === 0
        ? undefined
        : { meanA: mean(costs.a), meanB: mean(costs.b), cases: costs.a.length },
    costGuardrail: guardrail(decision.winner ?? 'B'),
    decision,
  }
}

/** The primary metrics by the name the decision's reasons use. */
const PRIMARY_NAMES = {
  passRate: 'pass rate',
  score: 'judge score',
  pairwise: 'pairwise preference',
} as const satisfies Record<PrimaryMetric, string>

/** The options with their defaults; throws a RangeError naming a bad one. */
function resolveOptions(options: ABOptions) {
  const alpha = options.alpha ?? 0.05
  const power = options.power ?? 0.8
  const margin = options.costMargin ?? 1.1
  checkOpenUnit('analyzeAB: alpha', alpha)
  checkOpenUnit('analyzeAB: power', power)
  checkPositive('analyzeAB: costMargin', margin)
  const primary: string = options.primary ?? 'passRate'
  if (!Object.hasOwn(PRIMARY_NAMES, primary))
    throw new RangeError(
      `analyzeAB: primary must be 'passRate', 'score' or 'pairwise', got ${JSON.stringify(primary)}`,
    )
  if (options.effect !== undefined) checkPositive('analyzeAB: |effect|', Math.abs(options.effect))
  const planned = options.plannedCases
  if (planned !== undefined && !(Number.isInteger(planned) && planned > 0))
    throw new RangeError(`analyzeAB: plannedCases must be a positive integer, got ${planned}`)
  return { alpha, power, margin }
}

function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length
}
