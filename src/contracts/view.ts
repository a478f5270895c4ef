/**
 * What the viewer's pages show (`shipgate view`): the data a stage loads from the store and a
 * reporter draws, one type per page.
 */
import type { CaseDiff, Comparison } from './compare.js'
import type { CaseResult, ResultsDocument, RunInfo, RunStatus } from './results.js'
import type { StoredRun } from './store.js'

/** How many runs a page of the runs page shows unless `limit` says otherwise. */
export const RUNS_PER_PAGE = 50

/** The runs page's filters, as its form shows them back. */
export interface RunFilters {
  readonly branch?: string
  readonly suite?: string
  readonly status?: RunStatus
  /** `YYYY-MM-DD`, inclusive. */
  readonly from?: string
  /** `YYYY-MM-DD`, inclusive. */
  readonly to?: string
  readonly limit: number
}

/** One page of runs and the cursors of the pages either side (`null` at an end). */
export interface RunsView {
  readonly filters: RunFilters
  readonly runs: readonly StoredRun[]
  readonly newer: string | null
  readonly older: string | null
  readonly statuses: readonly RunStatus[]
}

/** How many cases a page of the run page shows. */
export const CASES_PER_PAGE = 100

/** What a case came to over its samples, as the run page filters it. */
export type CaseStatus = 'fail' | 'flaky' | 'pass'

/** The run page's status filter: one status, or every case. */
export type CaseStatusFilter = CaseStatus | 'all'

/** The run page's filters, as its form shows them back. */
export interface CaseFilters {
  /** Only cases of this status; `all` by default. */
  readonly status: CaseStatusFilter
  /** Only this suite's cases. */
  readonly suite?: string
  /** Text the case id, description, vars or an output contains (case-insensitive). */
  readonly q?: string
  /** 1-based, within the last page. */
  readonly page: number
}

/** A case with the suite it belongs to. */
export interface SuiteCase {
  /** The suite's name in the run. */
  readonly suite: string
  /** The case with its samples. */
  readonly case: CaseResult
}

/** The run page: the run, its suites' statistics, and one page of its cases. */
export interface RunView {
  /**
   * The run's results document: the header and each suite's statistics are drawn from it.
   * Its cases are not drawn; `cases` are, and only they.
   */
  readonly results: ResultsDocument
  /** The filters in force, the page clamped to the last. */
  readonly filters: CaseFilters
  /** This page's cases: failing, then flaky, then passing; declaration order within each. */
  readonly cases: readonly SuiteCase[]
  /** Cases the filters match, over every page. */
  readonly matched: number
  /** Pages of matching cases; at least 1. */
  readonly pages: number
  /** Cases of each status under the suite and text filters (the status filter aside). */
  readonly counts: Readonly<Record<CaseStatus, number>>
}

/** The case page: one case of a run with all its samples, outputs whole. */
export interface CaseView {
  /** The run the case belongs to. */
  readonly run: RunInfo
  /** The suite's name in the run. */
  readonly suite: string
  /** The case with every sample. */
  readonly case: CaseResult
}

/** How many changed cases a page of the compare page shows. */
export const CHANGES_PER_PAGE = 50

/** The compare page's form: the runs named, and the branch a baseline is looked for on. */
export interface CompareForm {
  /** Run A (id, unique prefix or `latest`); B's baseline when absent. */
  readonly a?: string
  /** Run B, the one compared; the page is the form alone until it is named. */
  readonly b?: string
  /** The branch whose newest completed run before B is A when `a` is not given. */
  readonly base: string
  /** Only cases that changed this way; all three when absent. */
  readonly change?: CaseChangeKind
  /** 1-based, within the last page. */
  readonly page: number
}

/** The ways a case can have changed that the compare page lists. */
export type CaseChangeKind = 'broken' | 'fixed' | 'flaky'

/** A changed case with both runs' results of it. */
export interface ChangedCase {
  /** The suite's name in both runs. */
  readonly suite: string
  /** How it changed from A to B. */
  readonly change: CaseChangeKind
  /** The comparison's entry for the case: its pass rate in A and in B. */
  readonly diff: CaseDiff
  /** The case in run A. */
  readonly before: CaseResult
  /** The case in run B. */
  readonly after: CaseResult
}

/** Two runs compared: B against A, with one page of the cases that changed. */
export interface ComparedView {
  /** Run A: the one named, or B's baseline. */
  readonly a: ResultsDocument
  /** Run B. */
  readonly b: ResultsDocument
  /** B against A, suite by suite (the compare stage's own). */
  readonly comparison: Comparison
  /** Set when A was not named but found: B's baseline on this branch. */
  readonly baselineBranch: string | null
  /** This page's changed cases: broken, then fixed, then flaky. */
  readonly changed: readonly ChangedCase[]
  /** Changed cases of each kind over every page. */
  readonly counts: Readonly<Record<CaseChangeKind, number>>
  /** Pages of the listed kind(s) of changed cases; at least 1. */
  readonly pages: number
}

/** The compare page: the form, and the comparison once two runs are known. */
export interface CompareView {
  /** What the form shows back, the page clamped to the last. */
  readonly form: CompareForm
  /** The comparison; null until B is named, or when B has no baseline. */
  readonly compared: ComparedView | null
  /** Why there is no comparison although B was named (no baseline in the store). */
  readonly why?: string
}
