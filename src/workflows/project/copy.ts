import { EVERY_ROW, type Store, type StoreCopyReport } from '../../contracts/store.js'
import { openStore } from '../../stores/index.js'

/** Options of {@link copyStore}: two store locations, as `store:` or `SHIPGATE_DATABASE_URL`. */
export interface CopyStoreOptions {
  /** A SQLite path (relative to `cwd`), a `postgres://` URL, or `memory:`. */
  readonly from: string
  readonly to: string
  readonly cwd: string
}

/** Samples per write: what an eval's writer batches at most. */
const BATCH = 1_000

/**
 * `shipgate store copy FROM TO`: every run (cases, samples, provider batches, how it ended),
 * release, deployment and experiment event of one store into another, oldest first; what the
 * target already holds (by id) is left as it is, so a copy that stopped half-way can be run
 * again. Both stores are migrated first. A run is written in several transactions: one cut
 * short by a crash is left incomplete and `running` in the target, and a second copy skips it
 * (docs/stores.md).
 */
export async function copyStore(options: CopyStoreOptions): Promise<StoreCopyReport> {
  const from = await openStore(options.from, options.cwd)
  try {
    const to = await openStore(options.to, options.cwd)
    try {
      return {
        runs: await copyRuns(from, to),
        releases: await copyReleases(from, to),
        deployments: await copyDeployments(from, to),
        experimentEvents: await copyExperimentEvents(from, to),
      }
    } finally {
      await to.close()
    }
  } finally {
    await from.close()
  }
}

type Counts = StoreCopyReport['runs']

async function copyRuns(from: Store, to: Store): Promise<Counts> {
  const runs = (await from.runs.list({ limit: EVERY_ROW })).reverse()
  let copied = 0
  for (const run of runs) {
    if ((await to.runs.get(run.id)) !== undefined) continue
    const { status, finishedAt, summary, ...started } = run
    await to.runs.create(started, await from.runs.cases(run.id))
    const samples = await from.runs.samples(run.id)
    for (let i = 0; i < samples.length; i += BATCH) {
      await to.runs.appendSamples(run.id, samples.slice(i, i + BATCH))
    }
    for (const batch of await from.runs.batches(run.id)) await to.runs.addBatch(run.id, batch)
    if (status !== 'running' && finishedAt !== null && summary !== null) {
      await to.runs.finish(run.id, { status, finishedAt, summary })
    }
    copied += 1
  }
  return { copied, kept: runs.length - copied }
}

async function copyReleases(from: Store, to: Store): Promise<Counts> {
  const releases = (await from.releases.list({ limit: EVERY_ROW })).reverse()
  let copied = 0
  for (const release of releases) {
    if ((await to.releases.save(release)) === 'created') copied += 1
  }
  return { copied, kept: releases.length - copied }
}

async function copyDeployments(from: Store, to: Store): Promise<Counts> {
  const deployments = (await from.deployments.list({ limit: EVERY_ROW })).reverse()
  let copied = 0
  for (const deployment of deployments) {
    if ((await to.deployments.get(deployment.id)) !== undefined) continue
    // A running deployment whose target the destination already has running stays behind.
    if ((await to.deployments.begin(deployment)).ok) copied += 1
  }
  return { copied, kept: deployments.length - copied }
}

async function copyExperimentEvents(from: Store, to: Store): Promise<Counts> {
  let copied = 0
  let seen = 0
  for (const { experiment } of await from.experimentEvents.experiments()) {
    let batch = []
    for await (const event of from.experimentEvents.read(experiment)) {
      batch.push(event)
      if (batch.length === BATCH) {
        copied += (await to.experimentEvents.append(batch)).stored
        seen += batch.length
        batch = []
      }
    }
    copied += (await to.experimentEvents.append(batch)).stored
    seen += batch.length
  }
  return { copied, kept: seen - copied }
}
