import { loadRunResults } from '../../workflows/results/runs.js'
import { openProjectStore } from '../../workflows/project/store.js'
import type { RunStatus } from '../../contracts/results.js'
import type { StoredRun } from '../../contracts/store.js'
import { usageError } from '../../errors.js'
import { formatMs, formatUsd, table } from '../../reporters/format.js'
import { renderJson } from '../../reporters/json.js'
import { renderSummary } from '../../reporters/terminal.js'
import { EXIT, type CommandIO } from '../io.js'
import type { RunsListFlags, RunsShowFlags } from '../program.js'
import { outputReporters } from '../outputs.js'

const STATUSES: readonly RunStatus[] = ['running', 'completed', 'interrupted', 'failed']

/** `shipgate runs list`: recorded runs, newest first. */
export async function runRunsList(flags: RunsListFlags, io: CommandIO): Promise<number> {
  if (flags.status !== undefined && !STATUSES.includes(flags.status as RunStatus)) {
    throw usageError(`unknown status "${flags.status}"`, `use one of: ${STATUSES.join(', ')}`)
  }
  const store = await openProjectStore({
    cwd: io.cwd,
    env: io.env,
    ...(flags.config === undefined ? {} : { configFile: flags.config }),
  })
  try {
    const runs = await store.runs.list({
      limit: flags.limit,
      ...(flags.suite === undefined ? {} : { suite: flags.suite }),
      ...(flags.branch === undefined ? {} : { branch: flags.branch }),
      ...(flags.status === undefined ? {} : { status: flags.status as RunStatus }),
    })
    io.stdout(flags.json === true ? `${JSON.stringify(runs, null, 2)}\n` : listText(runs))
    return EXIT.ok
  } finally {
    await store.close()
  }
}

function listText(runs: readonly StoredRun[]): string {
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
  return `${table([['id', 'status', 'started (UTC)', 'branch', 'commit', 'suites', 'passed', 'cost', 'duration'], ...rows])}\n`
}

/** `shipgate runs show ID`: one run's summary and failures, or its results document. */
export async function runRunsShow(
  ref: string,
  flags: RunsShowFlags,
  io: CommandIO,
): Promise<number> {
  const reporters = outputReporters(flags.output ?? [], io.cwd)
  const store = await openProjectStore({
    cwd: io.cwd,
    env: io.env,
    ...(flags.config === undefined ? {} : { configFile: flags.config }),
  })
  try {
    const results = await loadRunResults(store, ref)
    for (const reporter of reporters) await reporter.onRunEnd?.(results)
    io.stdout(flags.json === true ? renderJson(results) : renderSummary(results, 50))
    return EXIT.ok
  } finally {
    await store.close()
  }
}
