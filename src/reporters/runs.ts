import type { PruneReport, StoreCopyReport, StoredRun } from '../contracts/store.js'
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

/** What `runs prune` deleted, or would delete on a dry run. */
export function renderPrune(report: PruneReport): string {
  const cutoff = report.startedBefore.replace('T', ' ').slice(0, 19)
  const verb = report.dryRun ? 'would delete' : 'deleted'
  if (report.runs.length === 0) return `no runs started before ${cutoff} UTC to delete\n`
  const count = `${report.runs.length} run${report.runs.length === 1 ? '' : 's'}`
  const list = report.runs.map((id) => `  ${id}\n`).join('')
  const kept = '(running runs and the newest completed run of each branch are kept)'
  return `${verb} ${count} started before ${cutoff} UTC ${kept}\n${list}`
}

/** What `store copy` copied, and what the target already had. */
export function renderStoreCopy(report: StoreCopyReport): string {
  const line = (kind: string, { copied, kept }: StoreCopyReport['runs']): string =>
    `${kind}: ${copied} copied${kept === 0 ? '' : `, ${kept} already there`}\n`
  return (
    line('runs', report.runs) +
    line('releases', report.releases) +
    line('deployments', report.deployments) +
    line('experiment events', report.experimentEvents)
  )
}
