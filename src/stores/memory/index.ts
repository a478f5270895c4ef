import type { SampleResult } from '../../contracts/results.js'
import type {
  NewRun,
  PruneRule,
  RunEnd,
  RunCursor,
  RunQuery,
  RunRepository,
  ShardJoin,
  ShardRefusal,
  Store,
  StoredBatch,
  StoredCase,
  StoredRun,
  StoredShard,
} from '../../contracts/store.js'
import { ShipgateError } from '../../errors.js'
import { prunable } from '../retention.js'
import { joinRefusal } from '../shared-runs.js'
import { MemoryDeploymentRepository } from './deployments.js'
import { MemoryReleaseRepository } from './releases.js'
import { MemoryExperimentEventRepository } from './experiment-events.js'

/** A store in process memory: for unit tests and throwaway runs. Passes the store contract. */
export function openMemoryStore(): Store {
  return {
    runs: new MemoryRunRepository(),
    releases: new MemoryReleaseRepository(),
    deployments: new MemoryDeploymentRepository(),
    experimentEvents: new MemoryExperimentEventRepository(),
    migrate: () => Promise.resolve(),
    close: () => Promise.resolve(),
  }
}

interface Entry {
  run: StoredRun
  cases: StoredCase[]
  samples: Map<string, SampleResult>
  /** The provider batches it submitted, in the order they were added. */
  batches: StoredBatch[]
  /** Set on a run written by shards: what they planned, and each shard by index. */
  shared?: { planHash: string; shards: Map<number, StoredShard> }
}

class MemoryRunRepository implements RunRepository {
  private readonly runs = new Map<string, Entry>()

  create(run: NewRun, cases: readonly StoredCase[]): Promise<void> {
    if (this.runs.has(run.id))
      return Promise.reject(new ShipgateError('internal', `run ${run.id} already exists`))
    const stored: StoredRun = { ...run, status: 'running', finishedAt: null, summary: null }
    this.runs.set(run.id, {
      run: clone(stored),
      cases: clone([...cases]),
      samples: new Map(),
      batches: [],
    })
    return Promise.resolve()
  }

  joinShard(join: ShardJoin): Promise<{ ok: true; previous: StoredShard | null } | ShardRefusal> {
    const { run, shard, owner } = join
    let entry = this.runs.get(run.id)
    if (entry === undefined) {
      const stored: StoredRun = { ...run, status: 'running', finishedAt: null, summary: null }
      entry = {
        run: clone(stored),
        cases: clone([...join.cases]),
        samples: new Map(),
        batches: [],
        shared: { planHash: join.planHash, shards: new Map() },
      }
      this.runs.set(run.id, entry)
    } else {
      const refusal = joinRefusal({ ...entry.run, planHash: entry.shared?.planHash ?? null }, join)
      if (refusal !== undefined) return Promise.resolve(refusal)
    }
    const shards = (entry.shared as NonNullable<Entry['shared']>).shards
    const previous = shards.get(shard.index) ?? null
    shards.set(shard.index, {
      index: shard.index,
      status: 'running',
      startedAt: run.startedAt,
      finishedAt: null,
      owner: { ...owner },
    })
    return Promise.resolve({ ok: true, previous: previous === null ? null : clone(previous) })
  }

  finishShard(
    runId: string,
    index: number,
    end: { readonly status: Exclude<StoredRun['status'], 'running'>; readonly finishedAt: string },
  ): Promise<{ complete: boolean }> {
    const entry = this.runs.get(runId)
    if (entry?.run.status !== 'running') {
      return Promise.reject(
        new ShipgateError('internal', `run ${runId} is unknown or already ended`),
      )
    }
    const shard = entry.shared?.shards.get(index)
    if (shard !== undefined) {
      entry.shared?.shards.set(index, { ...shard, status: end.status, finishedAt: end.finishedAt })
    }
    const done = [...(entry.shared?.shards.values() ?? [])].filter((s) => s.status === 'completed')
    return Promise.resolve({ complete: done.length >= (entry.run.shards ?? Infinity) })
  }

  shards(runId: string): Promise<StoredShard[]> {
    const shards = [...(this.runs.get(runId)?.shared?.shards.values() ?? [])]
    return Promise.resolve(clone(shards.sort((a, b) => a.index - b.index)))
  }

  addBatch(runId: string, batch: StoredBatch): Promise<void> {
    const entry = this.runs.get(runId)
    if (entry === undefined)
      return Promise.reject(new ShipgateError('internal', `run ${runId} is unknown`))
    if (!entry.batches.some((b) => b.id === batch.id)) entry.batches.push(clone(batch))
    return Promise.resolve()
  }

  batches(runId: string): Promise<StoredBatch[]> {
    return Promise.resolve(clone(this.runs.get(runId)?.batches ?? []))
  }

  appendSamples(runId: string, samples: readonly SampleResult[]): Promise<void> {
    if (samples.length === 0) return Promise.resolve()
    const entry = this.runs.get(runId)
    if (entry === undefined)
      return Promise.reject(new ShipgateError('internal', `run ${runId} is unknown`))
    const planned = new Set(entry.cases.map((c) => `${c.suite}/${c.id}`))
    const unplanned = samples.find((s) => !planned.has(`${s.suite}/${s.caseId}`))
    if (unplanned !== undefined) {
      const name = `${unplanned.suite}/${unplanned.caseId}`
      return Promise.reject(
        new ShipgateError('internal', `case ${name} was not planned in run ${runId}`),
      )
    }
    const keys = samples.map(sampleKey)
    const duplicate = keys.find((k, i) => entry.samples.has(k) || keys.indexOf(k) !== i)
    if (duplicate !== undefined) {
      return Promise.reject(
        new ShipgateError('internal', `sample ${duplicate} of run ${runId} already stored`),
      )
    }
    samples.forEach((s, i) => entry.samples.set(keys[i] as string, clone(s)))
    return Promise.resolve()
  }

  finish(runId: string, end: RunEnd): Promise<void> {
    const entry = this.runs.get(runId)
    if (entry?.run.status !== 'running') {
      return Promise.reject(
        new ShipgateError('internal', `run ${runId} is unknown or already ended`),
      )
    }
    entry.run = {
      ...entry.run,
      status: end.status,
      finishedAt: end.finishedAt,
      summary: clone(end.summary),
    }
    return Promise.resolve()
  }

  get(runId: string): Promise<StoredRun | undefined> {
    const entry = this.runs.get(runId)
    return Promise.resolve(entry === undefined ? undefined : clone(entry.run))
  }

  resolveId(ref: string): Promise<string | undefined> {
    const ids = [...this.runs.values()].sort(newestFirst).map((e) => e.run.id)
    if (ref === 'latest') return Promise.resolve(ids[0])
    if (this.runs.has(ref)) return Promise.resolve(ref)
    const matches = ids.filter((id) => id.startsWith(ref))
    return Promise.resolve(matches.length === 1 ? matches[0] : undefined)
  }

  list(query: RunQuery = {}): Promise<StoredRun[]> {
    const runs = [...this.runs.values()]
      .sort(newestFirst)
      .map((e) => e.run)
      .filter((r) => query.status === undefined || r.status === query.status)
      .filter((r) => query.branch === undefined || r.git?.branch === query.branch)
      .filter(
        (r) => query.suite === undefined || r.suites.some((s) => ofSuite(s.name, query.suite)),
      )
      .filter((r) => query.since === undefined || r.startedAt >= query.since)
      .filter((r) => query.until === undefined || r.startedAt < query.until)
      .filter((r) => query.olderThan === undefined || follows(r, query.olderThan))
      .filter((r) => query.newerThan === undefined || follows(query.newerThan, r))
    const limit = query.limit ?? 50
    // Just newer than a cursor: the last `limit` of the newest-first list above it.
    const page =
      query.newerThan === undefined
        ? runs.slice(0, limit)
        : runs.slice(Math.max(0, runs.length - limit))
    return Promise.resolve(clone(page))
  }

  prune(rule: PruneRule): Promise<string[]> {
    const entries = [...this.runs.values()].sort((a, b) => newestFirst(b, a))
    const ids = prunable(
      entries.map(({ run }) => ({
        id: run.id,
        status: run.status,
        branch: run.git?.branch ?? null,
        startedAt: run.startedAt,
      })),
      rule.startedBefore,
    )
    if (rule.dryRun !== true) for (const id of ids) this.runs.delete(id)
    return Promise.resolve(ids)
  }

  cases(runId: string): Promise<StoredCase[]> {
    return Promise.resolve(clone(this.runs.get(runId)?.cases ?? []))
  }

  samples(runId: string): Promise<SampleResult[]> {
    const entry = this.runs.get(runId)
    if (entry === undefined) return Promise.resolve([])
    const order = new Map(entry.cases.map((c, i) => [`${c.suite}\u0000${c.id}`, i]))
    const samples = [...entry.samples.values()].sort(
      (a, b) =>
        (order.get(`${a.suite}\u0000${a.caseId}`) ?? 0) -
          (order.get(`${b.suite}\u0000${b.caseId}`) ?? 0) || a.sample - b.sample,
    )
    return Promise.resolve(clone(samples))
  }
}

/** Whether `run` comes after `cursor` in the newest-first order (it is older). */
function follows(run: RunCursor, cursor: RunCursor): boolean {
  return run.startedAt === cursor.startedAt
    ? run.id.localeCompare(cursor.id) < 0
    : run.startedAt < cursor.startedAt
}

function newestFirst(a: Entry, b: Entry): number {
  return a.run.startedAt === b.run.startedAt
    ? b.run.id.localeCompare(a.run.id)
    : b.run.startedAt.localeCompare(a.run.startedAt)
}

function sampleKey(s: SampleResult): string {
  return `${s.suite}/${s.caseId}/${s.sample}`
}

/** Values leave and enter the store as copies, as they would through a database. */
function clone<T>(value: T): T {
  return structuredClone(value)
}

/** Whether a run's suite `name` is `suite`, or a variant of it (`suite[variant]`). */
function ofSuite(name: string, suite: string | undefined): boolean {
  return name === suite || (suite !== undefined && name.startsWith(`${suite}[`))
}
