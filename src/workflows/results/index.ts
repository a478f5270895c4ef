/**
 * Results as the other stages read them: a stored run rebuilt from its cases and samples, a
 * results file, the baseline of a run, and shard files merged into one run.
 */
export {
  listRuns,
  loadRunResults,
  pruneRuns,
  RUN_STATUSES,
  showRun,
  type ListRunsOptions,
  type PruneRunsOptions,
} from './runs.js'
export type { PruneReport } from '../../contracts/store.js'
export {
  baselineBeforeRun,
  currentResults,
  findBaseline,
  pendingOf,
  readResults,
  resultsOf,
  storedBaseline,
  type FoundBaseline,
  type PendingRun,
  type RunChoice,
} from './baseline.js'
export { mergeResultsFiles, type MergeFilesOptions, type MergeFilesResult } from './merge.js'
