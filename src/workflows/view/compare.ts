/**
 * The compare page: run B against run A (`?a=A&b=B`), or against its baseline (`?b=B`): the
 * newest completed run of the base branch (`?base=`, `main` unless given) started before B.
 * Both documents come from the results cache; the comparison is the compare stage's own. The
 * cases that changed are listed a page at a time, broken first.
 */
import type { CaseChange, Comparison } from '../../contracts/compare.js'
import type { ResultsDocument } from '../../contracts/results.js'
import {
  CHANGES_PER_PAGE,
  type CaseChangeKind,
  type ChangedCase,
  type CompareForm,
  type CompareView,
} from '../../contracts/view.js'
import { DEFAULT_BASELINE_BRANCH } from '../../core/gate/defaults.js'
import { usageError } from '../../errors.js'
import { compareResults } from '../compare/index.js'
import { pendingOf, storedBaseline } from '../results/index.js'
import { intParam, param, type Query } from './query.js'
import { runResults, type RunSource } from './run.js'

/** The changes the page lists, in the order it lists them. */
const KINDS: readonly CaseChangeKind[] = ['broken', 'fixed', 'flaky']

/** Loads the page the query asks for: the form alone until B is named. */
export async function loadCompareView(
  source: RunSource,
  query: Query,
  baseBranch = DEFAULT_BASELINE_BRANCH,
): Promise<CompareView> {
  const form = compareForm(query, baseBranch)
  if (form.b === undefined) {
    if (form.a !== undefined)
      throw usageError('name run B too: ?a=A&b=B', 'or only ?b=B to compare B with its baseline')
    return { form, compared: null }
  }
  const b = await runResults(source, form.b)
  let a: ResultsDocument
  if (form.a !== undefined) a = await runResults(source, form.a)
  else {
    const found = await storedBaseline(form.base, pendingOf(b), source.store)
    if (found === undefined)
      return {
        form,
        compared: null,
        why: `no baseline for ${b.run.id}: no completed run of its suites on branch "${form.base}" started before it`,
      }
    a = await source.results.get(found.id)
  }
  const comparison = compareResults(a, b)
  const all = changedCases(comparison, a, b)
  const counts = { broken: 0, fixed: 0, flaky: 0 }
  for (const x of all) counts[x.change]++
  const listed = form.change === undefined ? all : all.filter((x) => x.change === form.change)
  const pages = Math.max(1, Math.ceil(listed.length / CHANGES_PER_PAGE))
  const page = Math.min(form.page, pages)
  return {
    form: { ...form, page },
    compared: {
      a,
      b,
      comparison,
      baselineBranch: form.a === undefined ? form.base : null,
      changed: listed.slice((page - 1) * CHANGES_PER_PAGE, page * CHANGES_PER_PAGE),
      counts,
      pages,
    },
  }
}

function compareForm(query: Query, baseBranch: string): CompareForm {
  const change = param(query, 'change')
  if (change !== undefined && !KINDS.includes(change as CaseChangeKind))
    throw usageError(`unknown change "${change}"`, `use one of: ${KINDS.join(', ')}`)
  return {
    a: param(query, 'a'),
    b: param(query, 'b'),
    base: param(query, 'base') ?? baseBranch,
    change: change as CaseChangeKind | undefined,
    page: intParam(query, 'page', 1, 1, Number.MAX_SAFE_INTEGER),
  }
}

/** Every broken, fixed and flaky case with both runs' results: broken first, then suite order. */
function changedCases(c: Comparison, a: ResultsDocument, b: ResultsDocument): ChangedCase[] {
  const casesOf = (doc: ResultsDocument, suite: string) =>
    new Map(doc.suites.find((s) => s.name === suite)?.cases.map((x) => [x.id, x]))
  const found: ChangedCase[] = []
  for (const s of c.suites) {
    const before = casesOf(a, s.suite)
    const after = casesOf(b, s.suite)
    for (const diff of s.cases) {
      const then = before.get(diff.id)
      const now = after.get(diff.id)
      const change = diff.change
      if (isListed(change) && then !== undefined && now !== undefined)
        found.push({ suite: s.suite, change, diff, before: then, after: now })
    }
  }
  // Array.prototype.sort is stable: suite and declaration order stay within each kind.
  return found.sort((x, y) => KINDS.indexOf(x.change) - KINDS.indexOf(y.change))
}

function isListed(change: CaseChange): change is CaseChangeKind {
  return change !== 'unchanged'
}
