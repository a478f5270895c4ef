import type { ShardJoin, ShardRefusal, StoredRun } from '../contracts/store.js'

/** What a stored run written by several shards must agree on with a shard that joins it. */
export interface JoinedRun extends Pick<StoredRun, 'id' | 'status' | 'shards' | 'git'> {
  readonly planHash: string | null
}

/**
 * Why the shard `join` may not join the stored run, or `undefined` when it may: the run must be
 * one written by shards, still running, of the same shard count, plan and commit. Every store
 * decides by this one rule.
 */
export function joinRefusal(stored: JoinedRun, join: ShardJoin): ShardRefusal | undefined {
  const id = stored.id
  const refuse = (reason: ShardRefusal['reason'], message: string): ShardRefusal => ({
    ok: false,
    reason,
    message,
  })
  if (stored.shards === undefined || stored.planHash === null) {
    return refuse('not-shared', `run ${id} exists and was not written by shards`)
  }
  if (stored.status !== 'running') {
    return refuse('ended', `run ${id} has ended (${stored.status}): every shard has finished`)
  }
  if (stored.shards !== join.shard.count) {
    return refuse(
      'different-count',
      `run ${id} is split into ${stored.shards} shards, this one into ${join.shard.count}`,
    )
  }
  const commit = join.run.git?.commit ?? null
  const storedCommit = stored.git?.commit ?? null
  if (commit !== storedCommit) {
    return refuse(
      'different-commit',
      `run ${id} was started at commit ${storedCommit ?? '(none)'}, this shard is at ${commit ?? '(none)'}`,
    )
  }
  if (stored.planHash !== join.planHash) {
    return refuse(
      'different-plan',
      `run ${id} planned other cases (another config, --suite, --tag or --repeat)`,
    )
  }
  return undefined
}
