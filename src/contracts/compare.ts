import type { SuiteDelta } from './gate.js'

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
