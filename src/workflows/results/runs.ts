import type { ResultsDocument, RunStatus } from '../../contracts/results.js'
import type { PruneReport, Store, StoredRun } from '../../contracts/store.js'
import { buildResults } from '../../core/eval/aggregate.js'
import { usageError } from '../../errors.js'
import { withProjectStore, type StoreChoice } from '../project/index.js'

/** The statuses a run can have, for filters. */
export const RUN_STATUSES: readonly RunStatus[] = ['running', 'completed', 'interrupted', 'failed']

/** Options of {@link listRuns}: which recorded runs, newest first. */
export interface ListRunsOptions extends StoreChoice {
  readonly limit?: number
  readonly suite?: string
  readonly branch?: string
  readonly status?: string
  /** Only runs started at or after this time. */
  readonly since?: Date
}

/** Options of {@link pruneRuns}: the retention rule. */
export interface PruneRunsOptions extends StoreChoice {
  /** Runs older than this many milliseconds go (but see the store's `runs.prune`). */
  readonly olderThanMs: number
  /** Say what would go, delete nothing. */
  readonly dryRun?: boolean
  /** The time to count back from; now unless given (tests). */
  readonly now?: Date
}

/** `shipgate runs list`: recorded runs, newest first. An unknown status is a usage error. */
export async function listRuns(options: ListRunsOptions): Promise<StoredRun[]> {
  const status = options.status
  if (status !== undefined && !RUN_STATUSES.includes(status as RunStatus)) {
    throw usageError(`unknown status "${status}"`, `use one of: ${RUN_STATUSES.join(', ')}`)
  }
  return withProjectStore(options, (store) =>
    store.runs.list({
      limit: options.limit ?? 20,
      suite: options.suite,
      branch: options.branch,
      status: status as RunStatus | undefined,
      since: options.since?.toISOString(),
    }),
  )
}

/**
 * `shipgate runs prune`: deletes runs older than the retention period, with their cases and
 * samples, in one transaction; a running run and the newest completed run of each branch (the
 * baseline `gate` reads) are kept however old.
 */
export async function pruneRuns(options: PruneRunsOptions): Promise<PruneReport> {
  if (!(options.olderThanMs > 0)) {
    throw usageError('the retention period must be positive', 'write it as 30d, 12h or 90m')
  }
  const now = options.now ?? new Date()
  const startedBefore = new Date(now.getTime() - options.olderThanMs).toISOString()
  const dryRun = options.dryRun === true
  const runs = await withProjectStore(options, (store) =>
    store.runs.prune({ startedBefore, dryRun }),
  )
  return { startedBefore, runs, dryRun }
}

/** `shipgate runs show REF`: a recorded run's results document (id, unique prefix or latest). */
export async function showRun(
  options: StoreChoice & { readonly ref: string },
): Promise<ResultsDocument> {
  return withProjectStore(options, (store) => loadRunResults(store, options.ref))
}

/** The results document of a stored run, rebuilt from its cases and samples. */
export async function loadRunResults(store: Store, ref: string): Promise<ResultsDocument> {
  const id = await store.runs.resolveId(ref)
  const run = id === undefined ? undefined : await store.runs.get(id)
  if (run === undefined) {
    throw usageError(
      `no run matches "${ref}"`,
      'list runs with `shipgate runs list`; a prefix must match exactly one',
    )
  }
  const [cases, samples] = await Promise.all([store.runs.cases(run.id), store.runs.samples(run.id)])
  return buildResults({ run: runInfoOf(run), suites: run.suites, cases, samples })
}

function runInfoOf(run: StoredRun): ResultsDocument['run'] {
  const { suites: _suites, summary: _summary, owner: _owner, ...info } = run
  return info
}
