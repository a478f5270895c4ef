import type { McNemarResult } from '../stats/proportions.js'
import { mcnemarExact } from '../stats/proportions.js'
import { pairedTTest } from '../stats/tests.js'
import type { TEstimate } from '../stats/types.js'
import type { WilcoxonResult } from '../stats/wilcoxon.js'
import { wilcoxonSignedRank } from '../stats/wilcoxon.js'
import type { ABCase } from './types.js'
import { costValue, latencyValue, pairedMeans, passValue, scoreValue } from './cases.js'

/*
 * The per-metric analyses. Every one works on per-case means (the case is the unit; its
 * repeats are averaged), so the paired t-test on them is the cluster-robust test with cases
 * as clusters: with equal repeats its variance is the CR1 clustered variance exactly.
 */

/** A paired comparison B - A on per-case means: the means, the difference and its test. */
export interface PairedMetric {
  /** Cases compared (both variants measured). */
  readonly cases: number
  readonly meanA: number
  readonly meanB: number
  /** mean(B - A) with its two-sided t interval at 1 - alpha (df = cases - 1). */
  readonly difference: TEstimate
  /** Two-sided p-value of the paired t-test; 1 when the differences are all 0. */
  readonly pValue: number
  /** Sample SD of the per-case differences (NaN below two cases). */
  readonly sdDifference: number
}

/**
 * The pass-rate comparison. `pValue` is the decision's: exact McNemar when every case ran once
 * per variant (an exact test, its size never above alpha), the clustered paired t-test on per-
 * case pass shares when cases repeat (McNemar on majorities would discard the repeats).
 */
export interface PassRateMetric extends PairedMetric {
  /** The test behind `pValue`. */
  readonly test: 'mcnemar-exact' | 'clustered-t'
  /** Two-sided p-value of the clustered paired t-test, whichever test decides. */
  readonly clusteredPValue: number
  /** Exact McNemar on per-case majority outcomes (a case passes when > half its repeats do). */
  readonly mcnemar: McNemarResult & { readonly onlyA: number; readonly onlyB: number }
  /** Share of cases whose per-case pass shares differ between the variants. */
  readonly discordance: number
}

/** The judge-score comparison: paired t on per-case means, Wilcoxon signed-rank as a check. */
export interface ScoreMetric extends PairedMetric {
  readonly wilcoxon: WilcoxonResult
}

/** Paired t on per-case means of B against A; undefined below two cases. */
export function pairedMetric(
  a: readonly number[],
  b: readonly number[],
  alpha: number,
): PairedMetric | undefined {
  if (a.length < 2) return undefined
  const t = pairedTTest(b, a, { level: 1 - alpha })
  const d = t.difference
  const sd = d.se * Math.sqrt(a.length)
  return {
    cases: a.length,
    meanA: mean(a),
    meanB: mean(b),
    difference: d,
    pValue: Number.isNaN(t.pValue) ? 1 : t.pValue,
    sdDifference: sd,
  }
}

/** Pass rate of B against A over all cases; undefined below two cases. */
export function passRateMetric(
  cases: readonly ABCase[],
  alpha: number,
): PassRateMetric | undefined {
  const { a, b } = pairedMeans(cases, passValue)
  const base = pairedMetric(a, b, alpha)
  if (base === undefined) return undefined
  let onlyA = 0
  let onlyB = 0
  let discordant = 0
  a.forEach((x, i) => {
    const y = b[i]!
    if (x !== y) discordant += 1
    if (x > 0.5 && !(y > 0.5)) onlyA += 1
    if (y > 0.5 && !(x > 0.5)) onlyB += 1
  })
  const mcnemar = { ...mcnemarExact(onlyA, onlyB), onlyA, onlyB }
  const single = cases.every((c) => c.a.length === 1 && c.b.length === 1)
  return {
    ...base,
    test: single ? 'mcnemar-exact' : 'clustered-t',
    pValue: single ? mcnemar.pValue : base.pValue,
    clusteredPValue: base.pValue,
    mcnemar,
    discordance: discordant / a.length,
  }
}

/** Judge score of B against A over the cases both variants scored; undefined below two. */
export function scoreMetric(cases: readonly ABCase[], alpha: number): ScoreMetric | undefined {
  const { a, b } = pairedMeans(cases, scoreValue)
  const base = pairedMetric(a, b, alpha)
  if (base === undefined) return undefined
  return { ...base, wilcoxon: wilcoxonSignedRank(b, a) }
}

/** Cost as a guardrail: the winner's mean cost may exceed the other's by `margin` at most. */
export interface CostGuardrail {
  readonly cases: number
  /** Mean cost per case of the variant held to the guardrail and of the reference. */
  readonly meanTested: number
  readonly meanReference: number
  /** meanTested / meanReference (NaN when the reference costs nothing). */
  readonly ratio: number
  readonly margin: number
  /**
   * One-sided p-value of H0: mean(tested) >= margin · mean(reference), from the paired t-test
   * of tested[i] - margin · reference[i] (a test of the ratio of means, Fieller's construction).
   */
  readonly pValue: number
  /** pValue < alpha: the cost is shown to be within the margin. */
  readonly pass: boolean
}

/**
 * The non-inferiority test of cost: is `tested`'s mean cost below `margin` times the
 * reference's? Undefined below two cases with cost on both sides (then it does not block).
 */
export function costGuardrail(
  tested: readonly number[],
  reference: readonly number[],
  margin: number,
  alpha: number,
): CostGuardrail | undefined {
  if (tested.length < 2) return undefined
  const scaled = reference.map((x) => x * margin)
  const t = pairedTTest(tested, scaled, { alternative: 'less' })
  const allEqual = Number.isNaN(t.pValue)
  const pValue = allEqual ? 1 : t.pValue
  const meanTested = mean(tested)
  const meanReference = mean(reference)
  return {
    cases: tested.length,
    meanTested,
    meanReference,
    ratio: meanReference === 0 ? NaN : meanTested / meanReference,
    margin,
    pValue,
    pass: pValue < alpha,
  }
}

/** Per-case mean cost of both variants. */
export const pairedCosts = (cases: readonly ABCase[]) => pairedMeans(cases, costValue)

/** Latency per variant (means of per-case means) and the paired difference B - A. */
export function latencyMetric(cases: readonly ABCase[], alpha: number): PairedMetric | undefined {
  const { a, b } = pairedMeans(cases, latencyValue)
  return pairedMetric(a, b, alpha)
}

function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length
}
