/**
 * `shipgate ab A B`: variant B against variant A on the cases both ran, paired by case: two
 * runs, or two variants of one run (docs/ab.md). The report the CLI renders and `--json` prints.
 */
import type { Estimate } from './results.js'

/** One side of the comparison: a run, or a variant of a run. */
export interface AbSide {
  /** The run id (or the results file's run id). */
  readonly run: string
  /** Where the run was read from: a run id, `latest`, or a results file. */
  readonly ref: string
  /** The variant (`suite[variant]` in the run) when both sides are variants of one run. */
  readonly variant?: string
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

/** The primary metric of a decision, as reported. */
export type AbPrimaryName = 'pass rate' | 'judge score' | 'pairwise preference'

/**
 * A pairwise judge's preference (`--pairwise`): per case the judge compared A's and B's first
 * samples in both orders; B better in both is a win, A better in both a loss, else a tie.
 */
export interface AbPairwiseView {
  /** `type:model` of the judge. */
  readonly judge: string
  /** The standard the judge was asked to compare by; `null`: the built-in one. */
  readonly criteria: string | null
  /** Cases judged in both orders. */
  readonly cases: number
  readonly wins: number
  readonly losses: number
  readonly ties: number
  /** Cases left out because a judge call failed (or answered malformed twice). */
  readonly failed: number
  /** The first few failures' messages. */
  readonly errors: readonly string[]
  /** B's share: (wins + ties / 2) / cases, with its 95% Wilson interval. */
  readonly share: Estimate
  /** Two-sided exact sign test of wins against losses, ties excluded. */
  readonly pValue: number
  /** Judge calls made (two per case, plus retries and re-asks) and what they cost. */
  readonly calls: number
  /** `null` when a call had no price. */
  readonly costUsd: number | null
}

/** The analysis's decision. */
export interface AbDecisionView {
  readonly primary: AbPrimaryName
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
  readonly metric: Exclude<AbPrimaryName, 'pairwise preference'>
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

/** The comparison's report. */
export interface AbReport {
  readonly a: AbSide
  readonly b: AbSide
  /** The suites compared (their configured names when comparing variants). */
  readonly suites: readonly string[]
  /** Cases both sides have (`suite/case`). */
  readonly cases: number
  /** Cases only one side has: left out of the analysis. */
  readonly onlyA: readonly string[]
  readonly onlyB: readonly string[]
  readonly metrics: readonly AbMetricRow[]
  /** With `--pairwise`. */
  readonly pairwise: AbPairwiseView | null
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
