// The inputs of the offline A/B analysis: samples of two variants on the same cases.

/** One sample (one repeat) of one case on one variant. */
export interface ABSample {
  /** Whether the sample passed its assertions. */
  readonly pass: boolean
  /** Judge score in [0, 1], when the suite has a judge. */
  readonly score?: number
  /** Cost of the sample in USD, when known. */
  readonly costUsd?: number
  /** Latency of the sample in milliseconds, when known. */
  readonly latencyMs?: number
}

/** One case with the samples of each variant; cases are the unit of analysis. */
export interface ABCase {
  readonly id: string
  /** Samples of variant A (the control), at least one. */
  readonly a: readonly ABSample[]
  /** Samples of variant B (the challenger), at least one. */
  readonly b: readonly ABSample[]
  /**
   * B's pairwise judge preference on this case, when judged: 1 when B's output was better in
   * both orders, 0 when A's was, 0.5 otherwise (a tie, or orders that disagreed).
   */
  readonly preference?: number
}

/** A sample labelled with its case and variant, as a run with variants stores it. */
export interface LabelledSample extends ABSample {
  readonly caseId: string
  readonly variant: string
}

/** The metric the decision rests on. */
export type PrimaryMetric = 'passRate' | 'score' | 'pairwise'

/** The metrics a next run can be planned for. */
export type PlannedMetric = Exclude<PrimaryMetric, 'pairwise'>
