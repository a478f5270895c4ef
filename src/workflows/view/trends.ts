/**
 * The trends page: a suite's last completed runs (of one branch, when asked), one point each
 * with its intervals. A run's points are computed once from its results document and kept:
 * an ended run never changes, and a point is a few numbers where the document is every sample.
 */
import type { Store, StoredRun } from '../../contracts/store.js'
import { TREND_RUNS, type TrendPoint, type TrendsView } from '../../contracts/view.js'
import { trendPoint } from '../../core/view/trend.js'
import { usageError } from '../../errors.js'
import type { ResultsCache } from './cache.js'
import { intParam, param, type Query } from './query.js'

/** How many recent runs the suite picker looks at. */
const PICKER_RUNS = 200

/** How many runs' results are read at once. */
const PARALLEL = 4

/** How many runs' points are kept (a few numbers per suite each). */
const KEEP_RUNS = 10_000

/** Points of ended runs by run id, then suite name; the oldest looked-at go first. */
export class TrendPoints {
  private readonly byRun = new Map<string, ReadonlyMap<string, TrendPoint>>()

  constructor(private readonly results: ResultsCache) {}

  /** The point of `suite` in the ended run `id`; `undefined` when the run has no such suite. */
  async of(id: string, suite: string): Promise<TrendPoint | undefined> {
    let points = this.byRun.get(id)
    if (points === undefined) {
      const doc = await this.results.get(id)
      points = new Map(doc.suites.map((s) => [s.name, trendPoint(doc.run, s)]))
      if (doc.run.status === 'running') return points.get(suite)
      this.byRun.set(id, points)
      if (this.byRun.size > KEEP_RUNS) this.byRun.delete(this.byRun.keys().next().value ?? '')
    } else {
      this.byRun.delete(id)
      this.byRun.set(id, points)
    }
    return points.get(suite)
  }
}

/** Loads the page the query asks for; a suite no completed run has is a usage error (404). */
export async function loadTrendsView(
  store: Store,
  points: TrendPoints,
  query: Query,
): Promise<TrendsView> {
  const filters = {
    suite: param(query, 'suite'),
    branch: param(query, 'branch'),
    runs: intParam(query, 'runs', TREND_RUNS.default, 1, TREND_RUNS.max),
  }
  const suites = await recentSuites(store, filters.suite)
  if (filters.suite === undefined) return { filters, suites, points: [] }
  const suite = filters.suite
  const runs = await store.runs.list({
    suite,
    branch: filters.branch,
    status: 'completed',
    limit: filters.runs,
  })
  const found = (await pointsOf(runs, (run) => points.of(run.id, suite))).reverse()
  if (found.length === 0)
    throw usageError(
      `no completed run matches suite "${suite}"${filters.branch === undefined ? '' : ` on branch "${filters.branch}"`}`,
      'pick a suite from the list on /trends, or clear the branch',
    )
  return { filters, suites, points: found }
}

/** The suites the recent runs planned, by name; `also` (the one asked for) among them. */
async function recentSuites(store: Store, also: string | undefined): Promise<string[]> {
  const runs = await store.runs.list({ limit: PICKER_RUNS })
  const names = new Set(runs.flatMap((r) => r.suites.map((s) => s.name)))
  if (also !== undefined) names.add(also)
  return [...names].sort()
}

/** The points of `runs` (newest first, kept in order), read a few runs at a time. */
async function pointsOf(
  runs: readonly StoredRun[],
  point: (run: StoredRun) => Promise<TrendPoint | undefined>,
): Promise<TrendPoint[]> {
  const out: TrendPoint[] = []
  for (let i = 0; i < runs.length; i += PARALLEL) {
    const batch = await Promise.all(runs.slice(i, i + PARALLEL).map(point))
    for (const p of batch) if (p !== undefined) out.push(p)
  }
  return out
}
