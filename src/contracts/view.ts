/**
 * What the viewer's pages show (`shipgate view`): the data a stage loads from the store and a
 * reporter draws, one type per page.
 */
import type { Deployment, DeploymentStatus, DeploymentStep, SentAlert } from './deploy.js'
import type { ReleaseManifest } from './release.js'
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

/** How many runs the trends page charts unless `runs` says otherwise, and the most it will. */
export const TREND_RUNS = { default: 50, max: 500 } as const

/** A value with its 95% interval; `upper` is `null` when the data cannot bound it (too few). */
export interface TrendEstimate {
  readonly value: number
  readonly lower: number
  readonly upper: number | null
}

/** One completed run of a suite, as the trends page charts it. */
export interface TrendPoint {
  readonly runId: string
  /** ISO time: the charts' x axis. */
  readonly startedAt: string
  readonly commit: string | null
  readonly branch: string | null
  /** Cases that ran, and their samples. */
  readonly cases: number
  readonly samples: number
  /** Share of samples that passed (the suite's statistics). */
  readonly passRate: TrendEstimate
  /** Mean score (0–1) of the grades a judge made; `null` when no judge graded. */
  readonly judgeScore: TrendEstimate | null
  /** Cost (USD) per case; `null` when no sample had a price. */
  readonly costPerCase: TrendEstimate | null
  /** 95th percentile of the samples' latencies (ms); `null` when none was measured. */
  readonly latencyP95: TrendEstimate | null
}

/** The trends page's form, as it shows it back. */
export interface TrendFilters {
  readonly suite?: string
  readonly branch?: string
  readonly runs: number
}

/** The trends page: the suites to pick from and, once one is picked, its points oldest first. */
export interface TrendsView {
  readonly filters: TrendFilters
  /** Suites of recent runs, by name. */
  readonly suites: readonly string[]
  readonly points: readonly TrendPoint[]
}

// The releases and deployments pages.

/** How many releases or deployments a list shows unless `limit` says otherwise. */
export const DEPLOYS_PER_PAGE = 50

/** The longest list `limit` may ask for. */
export const DEPLOYS_MAX_LIMIT = 500

/** Every status a deployment can have, in the order the filter offers them. */
export const DEPLOYMENT_STATUSES = [
  'running',
  'succeeded',
  'failed',
  'rolled_back',
  'rollback_failed',
] as const satisfies readonly DeploymentStatus[]

/** Where a release was deployed: the latest deployment of it on one target. */
export interface TargetState {
  readonly target: string
  readonly deploymentId: string
  readonly status: DeploymentStatus
  readonly startedAt: string
}

/** One release in the releases list. */
export interface ReleaseItem {
  readonly manifest: ReleaseManifest
  /** The latest deployment of the release per target, newest first. */
  readonly targets: readonly TargetState[]
}

/** The releases page: newest first, `limit` of them. */
export interface ReleasesView {
  readonly releases: readonly ReleaseItem[]
  readonly limit: number
  /** The `limit` that shows more; `null` when every release is shown. */
  readonly more: number | null
}

/** One release's page: its manifest and its deployments, newest first. */
export interface ReleaseView {
  readonly manifest: ReleaseManifest
  readonly deployments: readonly DeploymentItem[]
  /** Whether the release has more deployments than are shown. */
  readonly moreDeployments: boolean
}

/** A deployment in a list, with how long it took (`null` while it runs). */
export interface DeploymentItem {
  readonly deployment: Deployment
  readonly durationMs: number | null
}

/** The deployments page's filters, as its form shows them back. */
export interface DeploymentFilters {
  readonly target?: string
  readonly status?: DeploymentStatus
  readonly limit: number
}

/** The deployments page: newest first, filtered. */
export interface DeploymentsView {
  readonly filters: DeploymentFilters
  readonly deployments: readonly DeploymentItem[]
  /** The `limit` that shows more; `null` when every match is shown. */
  readonly more: number | null
  readonly statuses: readonly DeploymentStatus[]
}

/**
 * One step of a canary rollout, read back from the canary step's recorded detail (the lines
 * `i/n <action>: <outcome>` the deploy writes). `null` fields were not in the record.
 */
export interface CanaryStepRecord {
  /** 1-based position in the plan, and the plan's length; `null` for a promotion by hand. */
  readonly index: number | null
  readonly total: number | null
  /** The step in words: `set the canary's weight to 25%`, `analyze for 5m, every 1m`. */
  readonly action: string
  readonly kind: 'weight' | 'pause' | 'analysis' | 'promote' | 'other'
  /** The canary's share of the traffic while the step ran (after it, for a weight step). */
  readonly weight: number | null
  readonly status: 'running' | 'passed' | 'failed' | 'paused'
  /** What came of it: an analysis step's verdict, a shift's output, a failure's reason. */
  readonly outcome: string
}

/** A recorded step of a deployment, as the timeline shows it. */
export interface TimelineStep {
  readonly step: DeploymentStep
  /** From start to end; `null` while it runs. */
  readonly durationMs: number | null
  /** A canary step's rollout steps; empty for other steps or when the detail has none. */
  readonly canary: readonly CanaryStepRecord[]
  /** The detail lines the canary steps do not account for (a failure's reason). */
  readonly note: string
}

/** A rollback: by `shipgate rollback`, or a failed deploy putting the previous release back. */
export interface RollbackRecord {
  readonly kind: 'command' | 'automatic'
  /** The release rolled away from; `null` when not recorded. */
  readonly fromReleaseId: string | null
  /** The release it returned to; `null` when a first deploy was stopped (nothing to return to). */
  readonly toReleaseId: string | null
  /** How the rollback step ended; `null` when no rollback step was recorded. */
  readonly status: DeploymentStep['status'] | null
  readonly detail: string
}

/** One deployment's page. */
export interface DeploymentView {
  readonly deployment: Deployment
  readonly durationMs: number | null
  /** The release deployed, and the one it replaced; `null` when not in the store. */
  readonly release: ReleaseManifest | null
  readonly previous: ReleaseManifest | null
  readonly timeline: readonly TimelineStep[]
  readonly rollback: RollbackRecord | null
  /** The alerts sent about the deployment, oldest first. */
  readonly alerts: readonly SentAlert[]
}

/** How many cases a page of the run page shows. */
export const CASES_PER_PAGE = 50

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
