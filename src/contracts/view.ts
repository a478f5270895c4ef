/**
 * What the viewer's pages show (`shipgate view`): the data a stage loads from the store and a
 * reporter draws, one type per page.
 */
import type { RunStatus } from './results.js'
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
