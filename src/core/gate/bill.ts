import type { BillGrouping, BillRow, CiBill } from '../../contracts/compare.js'
import type { ResultsDocument, SuiteStats } from '../../contracts/results.js'
import type { StoredRun } from '../../contracts/store.js'

/** What a run, or one suite of a run, cost as the bill counts it. */
export interface Spend {
  /** Model calls actually made: the priced cost less the part priced on replayed answers. */
  readonly modelUsd: number
  readonly judgeUsd: number
  /** The price of answers replayed from cassettes: not spent. */
  readonly replayedUsd: number
  /** Nothing at all was priced (an unpriced model, no usage). */
  readonly unpriced: boolean
}

/** One line of the bill: the group it falls in, and its spend (`null`: the run has not ended). */
export interface BillEntry {
  readonly key: string
  readonly spend: Spend | null
}

/** Spent: model calls plus judges; the replayed part is not in it. */
export function spentUsd(spend: Spend | null): number {
  return spend === null ? 0 : spend.modelUsd + spend.judgeUsd
}

/** What a run's summary says it cost; `null` for a run still running (no summary). */
export function runSpend(summary: ResultsDocument['summary'] | null): Spend | null {
  if (summary === null) return null
  return spendOf(summary.costUsd, summary.replayed?.costUsd ?? 0, summary.judgeCostUsd)
}

/** What one suite of an ended run cost. */
export function suiteSpend(stats: SuiteStats): Spend {
  return spendOf(stats.costUsd.total, stats.costUsd.replayed, stats.judge.costUsd)
}

function spendOf(cost: number | null, replayed: number, judge: number | null): Spend {
  return {
    modelUsd: cost === null ? 0 : cost - replayed,
    judgeUsd: judge ?? 0,
    replayedUsd: cost === null ? 0 : replayed,
    unpriced: cost === null && judge === null,
  }
}

/** A run's line of the bill by month (the UTC month it started) or by branch. */
export function runEntry(run: StoredRun, by: Exclude<BillGrouping, 'suite'>): BillEntry {
  const key = by === 'month' ? run.startedAt.slice(0, 7) : (run.git?.branch ?? '(no git)')
  return { key, spend: runSpend(run.summary) }
}

/**
 * The CI bill of `entries` grouped `by` month, branch or suite: per group the runs and what
 * they spent. Entries without a spend (runs still running) count as runs, not cost. Months come
 * oldest first; branches and suites by what they spent, highest first.
 */
export function ciBill(
  entries: readonly BillEntry[],
  by: BillGrouping,
  since: string | null,
): CiBill {
  const groups = new Map<string, BillRow>()
  let total = emptyRow('total')
  for (const entry of entries) {
    groups.set(entry.key, add(groups.get(entry.key) ?? emptyRow(entry.key), entry.spend))
    total = add(total, entry.spend)
  }
  const rows = [...groups.values()].sort((a, b) =>
    by === 'month' ? a.key.localeCompare(b.key) : b.spentUsd - a.spentUsd,
  )
  return { by, since, rows, total }
}

function emptyRow(key: string): BillRow {
  return { key, runs: 0, modelUsd: 0, judgeUsd: 0, spentUsd: 0, replayedUsd: 0, unpriced: 0 }
}

function add(row: BillRow, spend: Spend | null): BillRow {
  return {
    key: row.key,
    runs: row.runs + 1,
    modelUsd: row.modelUsd + (spend?.modelUsd ?? 0),
    judgeUsd: row.judgeUsd + (spend?.judgeUsd ?? 0),
    spentUsd: row.spentUsd + spentUsd(spend),
    replayedUsd: row.replayedUsd + (spend?.replayedUsd ?? 0),
    unpriced: row.unpriced + (spend?.unpriced === true ? 1 : 0),
  }
}
