/**
 * `shipgate ab A B`: variant B's run against variant A's on the cases both ran, paired by case
 * (docs/ab.md). The report the CLI renders and `--json` prints.
 */
import type { Estimate } from './results.js'

/** One run of the comparison. */
export interface AbSide {
  /** The run id (or the results file's run id). */
  readonly run: string
  /** Where the run was read from: a run id, `latest`, or a results file. */
  readonly ref: string
}

/** One paired metric: B - A over the cases both variants have it on. */
export interface AbMetricRow {
  readonly metric: 'pass rate' | 'judge score' | 'latency (ms)'
  readonly cases: number
  readonly meanA: number
  readonly meanB: number
  /** B - A, with its interval. */
  readonly difference: Estimate
  readonly pValue: number
  /** The test behind `pValue`, e.g. `exact McNemar`, `paired t`. */
  readonly test: string
  /** A second test's p-value, reported as a check (Wilcoxon for scores, McNemar with repeats). */
  readonly check?: { readonly test: string; readonly pValue: number }
}

/** The analysis's decision. */
export interface AbDecisionView {
  readonly primary: 'pass rate' | 'judge score'
  readonly winner: 'A' | 'B' | null
  readonly verdict: 'winner' | 'no-difference' | 'blocked'
  readonly reasons: readonly string[]
  /** The smallest effect on the primary metric this many cases detect at 80% power. */
  readonly mde: number
  /** Cases needed for the effect asked (`--effect`), when asked. */
  readonly casesNeeded?: number
}

/** The cases and repeats a next run needs for an effect, from this run's variance. */
export interface AbPlanView {
  readonly metric: 'pass rate' | 'judge score'
  readonly effect: number
  readonly power: number
  readonly options: readonly {
    readonly repeats: number
    readonly cases: number
    readonly samples: number
  }[]
  readonly recommended: { readonly repeats: number; readonly cases: number }
  /** Whether the recommended plan fits in the cases the suite has. */
  readonly reachable: boolean
}

export interface AbReport {
  readonly a: AbSide
  readonly b: AbSide
  /** Cases both runs have (`suite/case`). */
  readonly cases: number
  /** Cases only one run has: left out of the analysis. */
  readonly onlyA: readonly string[]
  readonly onlyB: readonly string[]
  readonly metrics: readonly AbMetricRow[]
  /** Mean cost per sample of each variant, over the cases with cost on both. */
  readonly cost: { readonly meanA: number; readonly meanB: number; readonly cases: number } | null
  /** The winner's (else B's) mean cost held to at most `margin` × the other's. */
  readonly costGuardrail: {
    readonly ratio: number
    readonly margin: number
    readonly pValue: number
    readonly pass: boolean
  } | null
  readonly decision: AbDecisionView
  /** With `--plan`. */
  readonly plan: AbPlanView | null
}
