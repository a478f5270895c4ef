import type { StoredRun } from '../contracts/store.js'
import { formatMs, formatUsd, table } from './format.js'

/** Recorded runs as a table, newest first. */
export function renderRunList(runs: readonly StoredRun[]): string {
  if (runs.length === 0) return 'no runs recorded yet: run `shipgate eval`\n'
  const rows = runs.map((r) => [
    r.id,
    r.status,
    r.startedAt.replace('T', ' ').slice(0, 19),
    r.git?.branch ?? '-',
    r.git?.commit?.slice(0, 8) ?? '-',
    r.suites.map((s) => s.name).join(','),
    r.summary === null ? '-' : `${r.summary.passed}/${r.summary.samples}`,
    r.summary === null ? '-' : formatUsd(r.summary.costUsd),
    r.summary === null ? '-' : formatMs(r.summary.durationMs),
  ])
  const head = ['id', 'status', 'started (UTC)', 'branch', 'commit', 'suites', 'passed', 'cost']
  return `${table([[...head, 'duration'], ...rows])}\n`
}
