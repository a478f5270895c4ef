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
