import type { SuiteDelta } from './gate.js'
import type { ResultsDocument } from './results.js'

/** How one case changed between two runs. */
export type CaseChange = 'fixed' | 'broken' | 'flaky' | 'unchanged'

/** One case of a comparison. */
export interface CaseDiff {
  readonly id: string
  readonly change: CaseChange
  /** Pass rate over its samples in A and in B. */
  readonly before: number
  readonly after: number
}

/** One suite of a comparison. */
export interface SuiteComparison {
  readonly suite: string
  readonly delta: SuiteDelta
  readonly cases: readonly CaseDiff[]
  /** Case ids only in A, only in B. */
  readonly removed: readonly string[]
  readonly added: readonly string[]
}

/** `shipgate compare A B`: B against A, suite by suite, cases paired by id. */
export interface Comparison {
  readonly a: { readonly id: string; readonly costUsd: number | null }
  readonly b: { readonly id: string; readonly costUsd: number | null }
  /** Relative cost change of B against A in %, `null` when unpriced. */
  readonly costChangePct: number | null
  readonly suites: readonly SuiteComparison[]
  /** Suites in only one of the runs. */
  readonly onlyInA: readonly string[]
  readonly onlyInB: readonly string[]
}

/** One suite's cost, before and after. */
export interface SuiteCost {
  readonly suite: string
  readonly baselinePerCase: number | null
  readonly currentPerCase: number | null
  readonly changePct: number | null
}

/** `shipgate cost`: the cost of a run against its baseline, and per day in production. */
export interface CostReport {
  readonly run: string
  readonly baseline: string | null
  readonly why?: string
  readonly total: { readonly baseline: number | null; readonly current: number | null }
  readonly perCase: { readonly baseline: number | null; readonly current: number | null }
  readonly changePct: number | null
  readonly suites: readonly SuiteCost[]
  /** Cost per request (one sample) and per day at `traffic.requestsPerDay`, when configured. */
  readonly projection: {
    readonly requestsPerDay: number
    readonly baselinePerDay: number | null
    readonly currentPerDay: number | null
  } | null
}

/** How `shipgate cost --by` groups the stored runs. */
export type BillGrouping = 'month' | 'branch' | 'suite'

/** One group of the CI bill: what its runs cost, by where the money went. */
export interface BillRow {
  /**
   * `2026-12` (UTC month the run started), the branch (`(no git)` without one), or the suite
   * (each suite of a run counts apart, with its own cost).
   */
  readonly key: string
  /** Runs in the group; by suite, the runs that planned the suite. */
  readonly runs: number
  /** Model calls actually made (a replayed answer's price is not counted). */
  readonly modelUsd: number
  /** Judge calls. */
  readonly judgeUsd: number
  /** Spent: model + judge. */
  readonly spentUsd: number
  /** The price of answers replayed from cassettes: what recording them cost once, not spent. */
  readonly replayedUsd: number
  /**
   * Ended runs (by suite: their runs of the suite) with no priced cost at all (an unpriced
   * model, no usage): not in the sums.
   */
  readonly unpriced: number
}

/** `shipgate cost --by month|branch|suite`: the CI bill over the stored runs. */
export interface CiBill {
  readonly by: BillGrouping
  /** Only runs started at or after this ISO time; null for all. */
  readonly since: string | null
  /** Oldest month first, or branches (suites) by spend, highest first. */
  readonly rows: readonly BillRow[]
  readonly total: BillRow
}

/** `shipgate report RUN`: a run and, when a baseline was named, the baseline and the comparison. */
export interface RunReport {
  readonly results: ResultsDocument
  readonly baseline?: {
    readonly results: ResultsDocument
    /** The run (B) against the baseline (A). */
    readonly comparison: Comparison
  }
}
