// The inputs and outputs of an online experiment's analysis. Inputs are per-arm sufficient
// statistics, cumulative since the start, so a store or an SDK's sink can feed them as totals.
import type { ExperimentDecisionView } from '../../contracts/experiment.js'
import type { AlwaysValidResult } from '../stats/always-valid.js'

/** A metric's totals in one arm: users counted, the sum of their values and of the squares. */
export interface MetricTotals {
  /** Users (or units) the metric was measured on. */
  readonly count: number
  /** Sum of the values; for a conversion metric, the number of successes. */
  readonly sum: number
  /** Sum of squared values; needed for `mean` and `ratio` metrics, ignored for `proportion` ones. */
  readonly sumSquares?: number
  /** For a `ratio` metric (Σ value / Σ denominator per user): the denominator's sum per arm. */
  readonly denominatorSum?: number
  /** For a `ratio` metric: the sum of squared per-user denominators. */
  readonly denominatorSumSquares?: number
  /** For a `ratio` metric: the sum of per-user value × denominator products. */
  readonly sumProducts?: number
}

/** One arm's cumulative data. */
export interface ArmData {
  readonly variant: string
  /** Users assigned and exposed to this arm so far (the SRM check counts these). */
  readonly users: number
  readonly metrics: Readonly<Record<string, MetricTotals>>
}

/**
 * A metric of the plan: a 0/1 rate per user (task success), a mean per user (cost, thumbs
 * score), or a ratio of per-user sums (cost per request: Σ cost / Σ requests, by the delta method).
 */
export interface MetricPlan {
  readonly name: string
  readonly kind: 'proportion' | 'mean' | 'ratio'
  /** Which direction is an improvement. */
  readonly better: 'higher' | 'lower'
}

/** The primary metric: the one a winner must improve, with significance. */
export interface PrimaryPlan extends MetricPlan {
  /**
   * The smallest effect worth detecting, as an absolute difference in the metric's units (0.02
   * for two points of task success). It is also the mixture scale τ of the always-valid test.
   */
  readonly effect: number
  /** Default `two-sided`; `one-sided` tests only for an improvement. */
  readonly sided?: 'two-sided' | 'one-sided'
}

/** A guardrail: the treatment must be shown not worse than control by more than `margin`. */
export interface GuardrailPlan extends MetricPlan {
  /** The allowed worsening: 0.1 with `relative` is "cost at most +10%". */
  readonly margin: number
  /** Default true: `margin` is a share of control's mean; false: in the metric's units. */
  readonly relative?: boolean
}

/** An experiment's plan: arms, allocation, metrics, and when it may be decided. */
export interface ExperimentPlan {
  readonly control: string
  /** Planned share of users per variant (weights; normalized). Names every arm. */
  readonly allocation: Readonly<Record<string, number>>
  readonly primary: PrimaryPlan
  readonly guardrails?: readonly GuardrailPlan[]
  /** Family-wise error rate of the primary test (Holm across treatments); default 0.05. */
  readonly alpha?: number
  /** Error rate of each guardrail family (Holm across guardrails); default 0.05. */
  readonly guardrailAlpha?: number
  /** The SRM check's alpha; default 0.001, strict since it is checked at every look. */
  readonly srmAlpha?: number
  /** Power the minimum detectable effect is reported at; default 0.8. */
  readonly power?: number
  /** Users every arm needs before a winner is named; default 0. */
  readonly minUsersPerArm?: number
  /** Days the experiment must run before a winner is named (weekly cycles); default 7. */
  readonly minDays?: number
  /** The planned end, in days: past it, no winner means "no detectable difference". */
  readonly plannedDays: number
}

/** The experiment's data at one look. */
export interface ExperimentData {
  readonly arms: readonly ArmData[]
  /** Days since the experiment started (whole or fractional). */
  readonly days: number
}

/** The sample-ratio-mismatch check: delivered users against the planned allocation. */
export interface SrmCheck {
  readonly statistic: number
  readonly df: number
  readonly pValue: number
  /** Users expected per arm under the allocation, in `arms` order. */
  readonly expected: readonly number[]
  readonly mismatch: boolean
}

/** One metric's comparison of a treatment with control (treatment − control). */
export interface MetricComparison {
  readonly metric: string
  readonly control: number
  readonly treatment: number
  /** The always-valid test and confidence sequence of the difference. */
  readonly test: AlwaysValidResult
  /** The p-value after Holm's adjustment within its family. */
  readonly adjustedP: number
  /** The fixed-sample test's p-value (two-proportion z or Welch), shown, never decided on. */
  readonly fixedSampleP: number
}

/** A treatment's comparisons with control. */
export interface TreatmentResult {
  readonly variant: string
  readonly primary: MetricComparison & {
    /** Significantly better (`better`), worse, or not yet either (`unclear`). */
    readonly verdict: 'better' | 'worse' | 'unclear'
    /** Smallest absolute difference detectable at `power` with this look's variance. */
    readonly mde: number
  }
  readonly guardrails: readonly (MetricComparison & {
    readonly margin: number
    readonly pass: boolean
  })[]
}

/** What to do with the experiment now (defined with the report, which carries it as is). */
export type ExperimentDecision = ExperimentDecisionView

/** The analysis of one look: the decision and the evidence behind it. */
export interface ExperimentAnalysis {
  readonly decision: ExperimentDecision
  /** The sample-ratio check; null before any user arrived. */
  readonly srm: SrmCheck | null
  /** Per treatment, its comparisons; empty when the decision was made without them (SRM, too few users). */
  readonly treatments: readonly TreatmentResult[]
}
