/**
 * Runs that several shard processes write together (`eval --shard i/n --run-id ID`), on any
 * machine that reaches the same store: each joins the run, resumes what an earlier attempt of
 * its shard stored, and ends its shard; the shard that ends the last ends the run, with
 * statistics rebuilt from every stored sample.
 */
import type { Clock } from '../../contracts/clock.js'
import type { Logger } from '../../contracts/logger.js'
import type { RunInfo, SampleResult, Shard } from '../../contracts/results.js'
import type { NewRun, Store, StoredCase } from '../../contracts/store.js'
import { formatShard, planHash, shardSamples } from '../../core/eval/shard.js'
import { usageError } from '../../errors.js'
import { alive, currentOwner, endStoredRun } from '../project/index.js'

/** What a run id may be: what CI systems' run ids and names are made of. */
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/

/** Refuses a `--run-id` without a shard, or one that is not a plain name. */
export function checkRunId(runId: string | undefined, shard: Shard | undefined): void {
  if (runId === undefined) return
  if (!RUN_ID.test(runId)) {
    throw usageError(
      `--run-id "${runId}" is not a run id`,
      'use letters, digits and . _ : - (at most 128), e.g. --run-id ${{ github.run_id }}',
    )
  }
  if (shard === undefined) {
    throw usageError(
      '--run-id joins the shards of one eval into one stored run: it needs --shard i/n',
      'pass --shard i/n on each of the n machines, with the same --run-id',
    )
  }
}

/** A shard in a run written by several: what it resumes, and which samples to skip. */
export interface JoinedShard {
  readonly shard: Shard
  /** Samples an earlier attempt of this shard stored: not run again. */
  readonly resumed: readonly SampleResult[]
  readonly skip: (suite: string, caseId: string, sample: number) => boolean
}

/**
 * Joins shard `shard` to the stored run `info.id`, recording it (with every planned case of
 * `whole`) if this shard is the first. Refused, as a usage error, when the shard is still
 * running in a live process of this host, or the stored run planned something else.
 */
export async function joinSharedRun(
  store: Store,
  info: RunInfo & { readonly shard: Shard },
  whole: { readonly suites: NewRun['suites']; readonly cases: readonly StoredCase[] },
  logger: Logger,
): Promise<JoinedShard> {
  const { shard: _shard, status: _status, finishedAt: _finishedAt, ...run } = info
  const { shard } = info
  const me = currentOwner()
  const name = `shard ${formatShard(shard)} of run ${info.id}`
  const before = (await store.runs.shards(info.id)).find((s) => s.index === shard.index)
  const owner = before?.status === 'running' ? before.owner : null
  if (owner !== null && owner.host === me.host && owner.pid !== me.pid && alive(owner.pid)) {
    throw usageError(
      `${name} is running in process ${owner.pid} on this machine`,
      'wait for it to end, or stop it, before running the shard again',
    )
  }
  const joined = await store.runs.joinShard({
    run: { ...run, suites: whole.suites, owner: null, shards: shard.count },
    shard,
    owner: me,
    cases: whole.cases,
    planHash: planHash(whole.suites, whole.cases),
  })
  if (!joined.ok) {
    throw usageError(
      `cannot join ${name}: ${joined.message}`,
      joined.reason === 'ended'
        ? 'give this eval a new --run-id'
        : 'run every shard of one --run-id at the same commit with the same config and flags',
    )
  }
  const previous = joined.previous
  if (previous === null) return { shard, resumed: [], skip: () => false }
  if (previous.status === 'running' && previous.owner !== null && previous.owner.host !== me.host) {
    logger.warn(
      `${name} was left running on ${previous.owner.host} (process ${previous.owner.pid}): taking it over`,
    )
  }
  const stored = shardSamples(await store.runs.samples(info.id), shard)
  logger.info(`${name}: resuming, ${stored.samples.length} samples stored by an earlier attempt`)
  return { shard, resumed: stored.samples, skip: stored.has }
}

/** How a shard's part ended; `complete` when it was the last and ended the run. */
export interface ShardEnd {
  readonly complete: boolean
}

/**
 * Ends this shard of the run; when every shard has now completed, ends the run too, with its
 * summary rebuilt from every stored case and sample (never from the shards' summaries).
 */
export async function endShard(
  store: Store,
  runId: string,
  shard: Shard,
  end: { readonly status: Exclude<RunInfo['status'], 'running'>; readonly finishedAt: string },
  clock: Clock,
  logger: Logger,
): Promise<ShardEnd> {
  const { complete } = await store.runs.finishShard(runId, shard.index, end)
  if (!complete) {
    const shards = await store.runs.shards(runId)
    const missing = shard.count - shards.filter((s) => s.status === 'completed').length
    logger.info(
      `run ${runId}: shard ${formatShard(shard)} ${end.status}; ${missing} of ${shard.count} shards still to complete`,
    )
    return { complete }
  }
  const run = await store.runs.get(runId)
  if (run === undefined) return { complete }
  await endStoredRun(store, run, 'completed', new Date(clock.now()))
  logger.info(`run ${runId}: every one of ${shard.count} shards completed; the run is complete`)
  return { complete }
}
