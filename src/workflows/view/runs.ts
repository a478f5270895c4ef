/**
 * The runs page: stored runs newest first, filtered by branch, suite, status and start date,
 * a page at a time. Paging is by cursor (the last run's start time and id), so the hundredth
 * page costs what the first does however many runs the store holds.
 */
import type { RunStatus } from '../../contracts/results.js'
import type { RunCursor, RunQuery, Store, StoredRun } from '../../contracts/store.js'
import { RUNS_PER_PAGE, type RunFilters, type RunsView } from '../../contracts/view.js'
import { usageError } from '../../errors.js'
import { RUN_STATUSES } from '../results/index.js'
import { dayParam, intParam, param, type Query } from './query.js'

/** Loads the page the query asks for. A bad filter is a usage error. */
export async function loadRunsView(store: Store, query: Query): Promise<RunsView> {
  const status = param(query, 'status')
  if (status !== undefined && !RUN_STATUSES.includes(status as RunStatus))
    throw usageError(`unknown status "${status}"`, `use one of: ${RUN_STATUSES.join(', ')}`)
  const filters: RunFilters = {
    branch: param(query, 'branch'),
    suite: param(query, 'suite'),
    status: status as RunStatus | undefined,
    from: param(query, 'from'),
    to: param(query, 'to'),
    limit: intParam(query, 'limit', RUNS_PER_PAGE, 1, 500),
  }
  const base: RunQuery = {
    branch: filters.branch,
    suite: filters.suite,
    status: filters.status,
    since: dayParam(query, 'from'),
    until: dayParam(query, 'to', 1),
  }
  const olderThan = cursorParam(query, 'older')
  const newerThan = olderThan === undefined ? cursorParam(query, 'newer') : undefined
  // One more than a page says whether there is another beyond it.
  const page = await store.runs.list({ ...base, olderThan, newerThan, limit: filters.limit + 1 })
  const more = page.length > filters.limit
  const runs = newerThan === undefined ? page.slice(0, filters.limit) : page.slice(-filters.limit)
  const first = runs[0]
  const last = runs.at(-1)
  const exists = async (q: RunQuery) => (await store.runs.list({ ...q, limit: 1 })).length > 0
  // Read upward from a cursor, `more` says whether newer runs remain; read downward, older.
  const hasNewer =
    first !== undefined &&
    (newerThan !== undefined
      ? more
      : olderThan !== undefined && (await exists({ ...base, newerThan: cursorOf(first) })))
  const hasOlder =
    last !== undefined &&
    (newerThan === undefined ? more : await exists({ ...base, olderThan: cursorOf(last) }))
  return {
    filters,
    runs,
    newer: hasNewer && first !== undefined ? formatCursor(cursorOf(first)) : null,
    older: hasOlder && last !== undefined ? formatCursor(cursorOf(last)) : null,
    statuses: RUN_STATUSES,
  }
}

function cursorOf(run: StoredRun): RunCursor {
  return { startedAt: run.startedAt, id: run.id }
}

/** `startedAt~id`: what the page links carry. */
export function formatCursor(cursor: RunCursor): string {
  return `${cursor.startedAt}~${cursor.id}`
}

function cursorParam(query: Query, name: string): RunCursor | undefined {
  const value = param(query, name)
  if (value === undefined) return undefined
  const at = value.indexOf('~')
  if (at <= 0 || at === value.length - 1)
    throw usageError(
      `"${name}" is not a page cursor: "${value}"`,
      'follow the Newer and Older links',
    )
  return { startedAt: value.slice(0, at), id: value.slice(at + 1) }
}
