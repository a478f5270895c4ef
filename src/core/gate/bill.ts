import type { BillGrouping, BillRow, CiBill } from '../../contracts/compare.js'
import type { StoredRun } from '../../contracts/store.js'

/** The key of a run's group: the UTC month it started, or its branch. */
function keyOf(run: StoredRun, by: BillGrouping): string {
  return by === 'month' ? run.startedAt.slice(0, 7) : (run.git?.branch ?? '(no git)')
}

/**
 * The CI bill of `runs` grouped `by` month or branch. A run counts with what its summary says
 * it cost: its model calls less the part priced on replayed answers (nothing was spent on
 * those), plus its judges. Runs still running or without a summary count as runs, not cost.
 */
export function ciBill(runs: readonly StoredRun[], by: BillGrouping, since: string | null): CiBill {
  const groups = new Map<string, BillRow>()
  let total = emptyRow('total')
  for (const run of runs) {
    const key = keyOf(run, by)
    const row = add(groups.get(key) ?? emptyRow(key), run)
    groups.set(key, row)
    total = add(total, run)
  }
  const rows = [...groups.values()].sort((a, b) =>
    by === 'month' ? a.key.localeCompare(b.key) : b.spentUsd - a.spentUsd,
  )
  return { by, since, rows, total }
}

function emptyRow(key: string): BillRow {
  return { key, runs: 0, modelUsd: 0, judgeUsd: 0, spentUsd: 0, replayedUsd: 0, unpriced: 0 }
}

function add(row: BillRow, run: StoredRun): BillRow {
  const summary = run.summary
  const cost = summary?.costUsd ?? null
  const judge = summary?.judgeCostUsd ?? null
  const replayed = summary?.replayed?.costUsd ?? 0
  const model = cost === null ? 0 : cost - replayed
  return {
    key: row.key,
    runs: row.runs + 1,
    modelUsd: row.modelUsd + model,
    judgeUsd: row.judgeUsd + (judge ?? 0),
    spentUsd: row.spentUsd + model + (judge ?? 0),
    replayedUsd: row.replayedUsd + (cost === null ? 0 : replayed),
    unpriced: row.unpriced + (summary !== null && cost === null && judge === null ? 1 : 0),
  }
}
