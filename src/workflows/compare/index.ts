import type { Logger } from '../../contracts/logger.js'
import type { ResultsDocument } from '../../contracts/results.js'
import type {
  BillGrouping,
  CiBill,
  Comparison,
  CostReport,
  RunReport,
} from '../../contracts/compare.js'
import { EVERY_ROW, type Store, type StoredRun } from '../../contracts/store.js'
import { ciBill as billOf, runEntry, suiteSpend, type BillEntry } from '../../core/gate/bill.js'
import { compareRuns } from '../../core/gate/compare.js'
import { withConfigAndStore, withProjectStore, type StoreChoice } from '../project/index.js'
import {
  currentResults,
  findBaseline,
  loadRunResults,
  pendingOf,
  resultsOf,
} from '../results/index.js'

/** What {@link compare} and {@link costReport} need. */
export interface CompareOptions extends StoreChoice {
  readonly logger: Logger
}

/** `shipgate compare A B`: run or file B against run or file A. */
export async function compare(a: string, b: string, options: CompareOptions): Promise<Comparison> {
  return withConfigAndStore(options, async (_loaded, store) =>
    compareRuns(await resultsOf(a, store, options.cwd), await resultsOf(b, store, options.cwd)),
  )
}

/**
 * Run B against run A when both documents are already read (the viewer's compare page): the
 * comparison {@link compare} makes, paired case by case with the suites' deltas.
 */
export function compareResults(a: ResultsDocument, b: ResultsDocument): Comparison {
  return compareRuns(a, b)
}

/**
 * `shipgate report RUN [--baseline REF]`: the run (id, prefix, `latest`, a results file, or the
 * results themselves) and, when `baseline` names another one the same way, that run and the
 * comparison against it.
 */
export async function runReport(
  run: string | ResultsDocument,
  options: CompareOptions & { readonly baseline?: string },
): Promise<RunReport> {
  return withConfigAndStore(options, async (_loaded, store) => {
    const results = typeof run === 'string' ? await resultsOf(run, store, options.cwd) : run
    if (options.baseline === undefined) return { results }
    const base = await resultsOf(options.baseline, store, options.cwd)
    return { results, baseline: { results: base, comparison: compareRuns(base, results) } }
  })
}

/** Cost of the current run (latest, `run`, or a results file) against the baseline. */
export async function costReport(
  options: CompareOptions & { run?: string; results?: string; baseline?: string },
): Promise<CostReport> {
  return withConfigAndStore(options, async (loaded, store) => {
    const current = await currentResults(options, store)
    const ref = options.baseline ?? loaded.config.gate.baseline
    const found = await findBaseline(ref, pendingOf(current), store, options.cwd)
    const base = found.found?.results
    const perCase = (r: ResultsDocument | undefined) =>
      r === undefined || r.summary.costUsd === null || r.summary.cases === 0
        ? null
        : r.summary.costUsd / r.summary.cases
    const perSample = (r: ResultsDocument | undefined) =>
      r === undefined || r.summary.costUsd === null || r.summary.samples === 0
        ? null
        : r.summary.costUsd / r.summary.samples
    const pct = (now: number | null, then: number | null) =>
      now === null || then === null || then === 0 ? null : ((now - then) / then) * 100
    const suites = current.suites.map((s) => {
      const old = base?.suites.find((x) => x.name === s.name)
      const before = old?.stats.costUsd.perCase ?? null
      return {
        suite: s.name,
        baselinePerCase: before,
        currentPerCase: s.stats.costUsd.perCase,
        changePct: pct(s.stats.costUsd.perCase, before),
      }
    })
    const traffic = loaded.config.traffic
    const daily = (r: ResultsDocument | undefined) => {
      const each = perSample(r)
      return each === null || traffic === undefined ? null : each * traffic.requestsPerDay
    }
    return {
      run: current.run.id,
      baseline: base?.run.id ?? null,
      ...(base === undefined ? { why: found.why } : {}),
      total: { baseline: base?.summary.costUsd ?? null, current: current.summary.costUsd },
      perCase: { baseline: perCase(base), current: perCase(current) },
      changePct: pct(perCase(current), perCase(base)),
      suites,
      projection:
        traffic === undefined
          ? null
          : {
              requestsPerDay: traffic.requestsPerDay,
              baselinePerDay: daily(base),
              currentPerDay: daily(current),
            },
    }
  })
}

/** Options of {@link ciBill}. */
export interface CiBillOptions extends StoreChoice {
  readonly by: BillGrouping
  /** Only runs started at or after this time. */
  readonly since?: Date
}

/**
 * `shipgate cost --by month|branch|suite`: what CI spent on the stored runs, per month, branch
 * or suite, with replayed answers and judges apart. By suite, each ended run's results are
 * rebuilt from its samples, since only they hold each suite's cost.
 */
export async function ciBill(options: CiBillOptions): Promise<CiBill> {
  const { by } = options
  const since = options.since?.toISOString()
  const entries = await withProjectStore(options, async (store) => {
    const runs = await store.runs.list({ limit: EVERY_ROW, since })
    if (by !== 'suite') return runs.map((run) => runEntry(run, by))
    const entries: BillEntry[] = []
    for (const run of runs) entries.push(...(await suiteEntries(store, run)))
    return entries
  })
  return billOf(entries, by, since ?? null)
}

/** A run's lines by suite: one per suite it planned, with what that suite cost once it ended. */
async function suiteEntries(store: Store, run: StoredRun): Promise<BillEntry[]> {
  if (run.summary === null) return run.suites.map((s) => ({ key: s.name, spend: null }))
  const results = await loadRunResults(store, run.id)
  return results.suites.map((s) => ({ key: s.name, spend: suiteSpend(s.stats) }))
}
