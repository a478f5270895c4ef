/**
 * The run page and the case page. A run's results document comes from the results cache (an
 * ended run is read from the store once); the page orders its cases failing, then flaky, then
 * passing, filters them by status, suite and text, and hands the renderer one page of them, so
 * a 2,000-case run costs what a 100-case one does to draw.
 */
import type { CaseResult, ResultsDocument } from '../../contracts/results.js'
import type { Store } from '../../contracts/store.js'
import {
  CASES_PER_PAGE,
  type CaseFilters,
  type CaseStatus,
  type CaseStatusFilter,
  type CaseView,
  type RunView,
  type SuiteCase,
} from '../../contracts/view.js'
import { usageError } from '../../errors.js'
import { caseStatus, orderCases } from '../../reporters/html/cases.js'
import type { ResultsCache } from './cache.js'
import { intParam, param, type Query } from './query.js'

/** What the run pages read: the store (to resolve a reference) and the results cache. */
export interface RunSource {
  /** Resolves run references (id, prefix, `latest`) and lists a branch's runs. */
  readonly store: Store
  /** The runs' results documents, an ended run read once. */
  readonly results: ResultsCache
}

const STATUSES: readonly CaseStatusFilter[] = ['all', 'fail', 'flaky', 'pass']

/** The run `ref` names (id, unique prefix or `latest`) with the page of cases `query` asks for. */
export async function loadRunView(source: RunSource, ref: string, query: Query): Promise<RunView> {
  const results = await runResults(source, ref)
  const filters = caseFilters(query, results)
  const found = orderedCases(results).filter(
    (x) =>
      (filters.suite === undefined || x.suite === filters.suite) && contains(x.case, filters.q),
  )
  const counts: Record<CaseStatus, number> = { fail: 0, flaky: 0, pass: 0 }
  for (const x of found) counts[caseStatus(x.case)]++
  const matching =
    filters.status === 'all' ? found : found.filter((x) => caseStatus(x.case) === filters.status)
  const pages = Math.max(1, Math.ceil(matching.length / CASES_PER_PAGE))
  const page = Math.min(filters.page, pages)
  const cases = matching.slice((page - 1) * CASES_PER_PAGE, page * CASES_PER_PAGE)
  return { results, filters: { ...filters, page }, cases, matched: matching.length, pages, counts }
}

/** One case of a run (`?suite=S&case=C`) with every sample. */
export async function loadCaseView(
  source: RunSource,
  ref: string,
  query: Query,
): Promise<CaseView> {
  const suite = param(query, 'suite')
  const id = param(query, 'case')
  if (suite === undefined || id === undefined)
    throw usageError('name the case: ?suite=SUITE&case=CASE', 'follow a case link on the run page')
  const results = await runResults(source, ref)
  const found = results.suites.find((s) => s.name === suite)?.cases.find((c) => c.id === id)
  if (found === undefined)
    throw usageError(`no case matches "${suite} › ${id}" in run ${results.run.id}`)
  return { run: results.run, suite, case: found }
}

/**
 * The results of the run `ref` names, from the cache: the reference is resolved first, so a
 * prefix or `latest` reaches the cached document of the run's id. An unknown run is a usage
 * error (404).
 */
export async function runResults(source: RunSource, ref: string): Promise<ResultsDocument> {
  const id = await source.store.runs.resolveId(ref)
  if (id === undefined)
    throw usageError(
      `no run matches "${ref}"`,
      'pick a run on the runs page; a prefix must match exactly one run',
    )
  return source.results.get(id)
}

function caseFilters(query: Query, results: ResultsDocument): CaseFilters {
  const status = param(query, 'status') ?? 'all'
  if (!STATUSES.includes(status as CaseStatusFilter))
    throw usageError(`unknown case status "${status}"`, `use one of: ${STATUSES.join(', ')}`)
  const suite = param(query, 'suite')
  if (suite !== undefined && !results.suites.some((s) => s.name === suite))
    throw usageError(`no suite matches "${suite}" in run ${results.run.id}`)
  return {
    status: status as CaseStatusFilter,
    suite,
    q: param(query, 'q'),
    page: intParam(query, 'page', 1, 1, Number.MAX_SAFE_INTEGER),
  }
}

/** Every case of the run, failing first, then flaky, then passing; suite then declaration order. */
function orderedCases(results: ResultsDocument): SuiteCase[] {
  const suiteOf = new Map<CaseResult, string>()
  for (const s of results.suites) for (const c of s.cases) suiteOf.set(c, s.name)
  return orderCases([...suiteOf.keys()]).map((c) => ({ suite: suiteOf.get(c) ?? '', case: c }))
}

/** Whether the case id, description, vars or one of the outputs contains `q`, ignoring case. */
function contains(c: CaseResult, q: string | undefined): boolean {
  if (q === undefined) return true
  const needle = q.toLowerCase()
  const has = (text: string | null | undefined) =>
    text !== null && text !== undefined && text.toLowerCase().includes(needle)
  return (
    has(c.id) ||
    has(c.description) ||
    Object.entries(c.vars).some(
      ([k, v]) => has(k) || has(typeof v === 'string' ? v : JSON.stringify(v)),
    ) ||
    c.samples.some((s) => has(s.output))
  )
}
