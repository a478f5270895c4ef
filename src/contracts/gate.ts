import type { Estimate, GitInfo, SourceLocation } from './results.js'

/**
 * How one gate check came out. Only `failed` fails the gate; `warned` is reported (a `::warning`
 * in GitHub Actions) and passes.
 */
export type CheckStatus = 'passed' | 'failed' | 'warned' | 'approved' | 'skipped'

/** Where a check's rule comes from. */
export type CheckKind = 'absolute' | 'baseline' | 'external' | 'budget'

/** One check of the gate: a rule, what was measured, and the outcome. */
export interface GateCheck {
  /** Stable id, e.g. `suite.code-review.pass-rate`, `cost-increase`, `coverage`. */
  readonly id: string
  readonly kind: CheckKind
  /** What is checked, for people: "pass rate", "cost increase vs main". */
  readonly name: string
  /** The suite it concerns; absent for checks of the whole run. */
  readonly suite?: string
  readonly status: CheckStatus
  /** The measured value (a rate, USD, ms, a % change, a count); `null` when not measurable. */
  readonly actual: number | null
  /** The limit it was held to, in the same unit. */
  readonly limit: number | null
  /** One line saying what was found, e.g. "cost per run +104% vs main (limit +20%)". */
  readonly message: string
  /** The key that approves this check when it fails (`cost`, `quality`, `latency`, ...). */
  readonly approval?: string
}

/** The run a gate compared against. */
export interface BaselineInfo {
  readonly runId: string
  /** How it was found. */
  readonly source: 'store' | 'file' | 'run'
  /** The branch it was looked up on, for `source: store`. */
  readonly branch?: string
  /** The file it was read from, for `source: file`. */
  readonly file?: string
  readonly git: GitInfo | null
  readonly startedAt: string
}

/** A case that passed in the baseline and fails now. */
export interface NewlyFailingCase {
  readonly suite: string
  readonly caseId: string
  readonly source?: SourceLocation
  /** The first failing reason of the current run. */
  readonly reason: string
}

/** How one suite moved against the baseline. */
export interface SuiteDelta {
  readonly suite: string
  /** Cases present in both runs, paired by id. */
  readonly pairedCases: number
  readonly passRate: {
    readonly baseline: number
    readonly current: number
    /** Current minus baseline, paired by case, with its interval. */
    readonly difference: Estimate
    /** Exact McNemar test of the pass/fail pairs. */
    readonly pValue: number
  }
  readonly score: {
    readonly baseline: number
    readonly current: number
    readonly difference: Estimate
  }
  readonly costPerCase: {
    readonly baseline: number | null
    readonly current: number | null
    /** Relative change in %, `null` when either side is unpriced or the baseline is 0. */
    readonly changePct: number | null
  }
  readonly latencyP95: {
    readonly baseline: number | null
    readonly current: number | null
    readonly changePct: number | null
  }
}

/** The gate's verdict: a value every report is rendered from (`shipgate gate -o verdict.json`). */
export interface GateVerdict {
  readonly schemaVersion: 1
  /** No check failed. */
  readonly pass: boolean
  readonly run: { readonly id: string; readonly git: GitInfo | null; readonly startedAt: string }
  readonly baseline: BaselineInfo | null
  readonly checks: readonly GateCheck[]
  readonly suites: readonly SuiteDelta[]
  readonly newlyFailing: readonly NewlyFailingCase[]
  /** Approval keys in force and where each came from (flag, environment, a PR label). */
  readonly approvals: readonly { readonly key: string; readonly from: string }[]
  /** The month's CI spend against `gate.budget`; absent when no budget is set. */
  readonly budget?: BudgetStanding
}

/**
 * The month's CI spend against `gate.budget`: what the stored runs of the month (UTC) and the
 * gated run spent, and its run-rate projection to the month's end.
 */
export interface BudgetStanding {
  /** `2026-12`. */
  readonly month: string
  readonly monthlyUsd: number
  /** The share of the budget the projection warns from. */
  readonly warnAt: number
  /** Spent this month: models and judges, replayed answers not counted; the gated run included. */
  readonly spentUsd: number
  /** The gated run's part of `spentUsd`. */
  readonly currentUsd: number
  /** Runs counted: the month's stored runs and the gated run, once. */
  readonly runs: number
  /** Days since the month began (fractional). */
  readonly daysElapsed: number
  readonly daysInMonth: number
  /**
   * Spent plus, for each day left, the mean spend of the month's completed weekdays (weekend
   * days: of its completed weekend days).
   */
  readonly projectedUsd: number
  /**
   * The projection with the weekday mean at its one-sided 95% lower bound; `null` before two
   * weekdays of the month have completed.
   */
  readonly projectedLowUsd: number | null
  /**
   * `over`: spent, or the projection's lower bound, reaches the budget; `warn`: the projection
   * reaches `warnAt` of it; `under` otherwise.
   */
  readonly outcome: 'under' | 'warn' | 'over'
}
