import { hostname } from 'node:os'
import type { RunStatus } from '../../contracts/results.js'
import type { RunOwner, Store, StoredRun } from '../../contracts/store.js'
import { buildResults } from '../../core/eval/aggregate.js'
import { pidAlive } from '../../utils/processes.js'

/** This process, as the owner of the runs it starts. */
export function currentOwner(): RunOwner {
  return { host: hostname(), pid: process.pid }
}

/**
 * Whether a process of this host is still alive: it exists and is not a zombie (a killed
 * process whose parent died lingers as one where PID 1 does not reap, and has stopped all the
 * same).
 */
export function alive(pid: number): boolean {
  return pidAlive(pid)
}

/**
 * Ends a stored run with `status`, its summary rebuilt from the cases and samples the store holds
 * (a crashed run's, or a run that several shards wrote).
 */
export async function endStoredRun(
  store: Store,
  run: StoredRun,
  status: Exclude<RunStatus, 'running'>,
  at: Date,
): Promise<void> {
  const [cases, samples] = await Promise.all([store.runs.cases(run.id), store.runs.samples(run.id)])
  const finishedAt = at.toISOString()
  const { summary } = buildResults({
    run: { ...run, status, finishedAt },
    suites: run.suites,
    cases,
    samples,
  })
  await store.runs.finish(run.id, { status, finishedAt, summary })
}

/**
 * Marks as `interrupted` every run left `running` by a process of this host that no longer
 * exists (killed, crashed, machine rebooted), with a summary of the samples it had stored.
 * Runs of other hosts are left alone: from here nobody can tell whether they still run.
 * Returns the ids it recovered.
 */
export async function recoverAbandonedRuns(
  store: Store,
  now: () => Date = () => new Date(),
): Promise<string[]> {
  const me = currentOwner()
  const running = await store.runs.list({ status: 'running', limit: 1000 })
  const abandoned = running.filter(
    (r) =>
      r.owner !== null && r.owner.host === me.host && r.owner.pid !== me.pid && !alive(r.owner.pid),
  )
  for (const run of abandoned) await endStoredRun(store, run, 'interrupted', now())
  return abandoned.map((r) => r.id)
}
