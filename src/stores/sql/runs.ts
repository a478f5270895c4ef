import { sql, type Kysely } from 'kysely'
import type { SampleResult } from '../../contracts/results.js'
import type {
  NewRun,
  PruneRule,
  RunEnd,
  RunQuery,
  RunRepository,
  ShardJoin,
  ShardRefusal,
  StoredBatch,
  StoredCase,
  StoredRun,
  StoredShard,
} from '../../contracts/store.js'
import { ShipgateError } from '../../errors.js'
import {
  caseFromRow,
  caseRow,
  runFromRow,
  runRow,
  sampleFromRow,
  sampleRow,
  shardFromRow,
} from './rows.js'
import { prunable } from '../retention.js'
import { addBatch, batchesOf } from './batches.js'
import { joinRefusal } from '../shared-runs.js'
import type { Database } from './schema.js'

/** Rows per INSERT: well under SQLite's 32,766 bound parameters at 19 columns a row. */
const CHUNK = 500

/** The runs repository over any Kysely dialect (SQLite, Postgres). */
export class SqlRunRepository implements RunRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(run: NewRun, cases: readonly StoredCase[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('runs').values(runRow(run)).execute()
      await this.insertPlan(trx, run, cases)
    })
  }

  /** The run's suites and planned cases, inside the caller's transaction. */
  private async insertPlan(
    trx: Kysely<Database>,
    run: NewRun,
    cases: readonly StoredCase[],
  ): Promise<void> {
    const suites = [...new Set(run.suites.map((s) => s.name))]
    await this.insertRows(
      trx,
      'run_suites',
      suites.map((suite) => ({ run_id: run.id, suite })),
    )
    await this.insertRows(
      trx,
      'run_cases',
      cases.map((c, i) => caseRow(run.id, c, i)),
    )
  }

  async joinShard(
    join: ShardJoin,
  ): Promise<{ ok: true; previous: StoredShard | null } | ShardRefusal> {
    const { run, shard, owner } = join
    return this.db.transaction().execute(async (trx) => {
      // The first shard records the run; a shard arriving at the same moment waits on the
      // row's key (Postgres) or the write lock (SQLite), then finds it.
      const inserted = await trx
        .insertInto('runs')
        .values({ ...runRow(run), plan_hash: join.planHash })
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst()
      if (inserted.numInsertedOrUpdatedRows === 1n) await this.insertPlan(trx, run, join.cases)
      else {
        const row = await trx
          .selectFrom('runs')
          .selectAll()
          .where('id', '=', run.id)
          .executeTakeFirstOrThrow()
        const refusal = joinRefusal({ ...runFromRow(row), planHash: row.plan_hash }, join)
        if (refusal !== undefined) return refusal
      }
      const before = await trx
        .selectFrom('run_shards')
        .selectAll()
        .where('run_id', '=', run.id)
        .where('shard_index', '=', shard.index)
        .executeTakeFirst()
      const mine = {
        status: 'running',
        started_at: run.startedAt,
        finished_at: null,
        owner_host: owner.host,
        owner_pid: owner.pid,
      }
      await trx
        .insertInto('run_shards')
        .values({ run_id: run.id, shard_index: shard.index, ...mine })
        .onConflict((oc) => oc.columns(['run_id', 'shard_index']).doUpdateSet(mine))
        .execute()
      return { ok: true as const, previous: before === undefined ? null : shardFromRow(before) }
    })
  }

  async finishShard(
    runId: string,
    index: number,
    end: { readonly status: Exclude<StoredRun['status'], 'running'>; readonly finishedAt: string },
  ): Promise<{ complete: boolean }> {
    return this.db.transaction().execute(async (trx) => {
      // Writing the run's row first holds it (a row lock on Postgres, the write lock on
      // SQLite) until this commits: shards ending together count one after the other.
      const held = await trx
        .updateTable('runs')
        .set({ status: 'running' })
        .where('id', '=', runId)
        .where('status', '=', 'running')
        .executeTakeFirst()
      if (held.numUpdatedRows === 0n) {
        throw new ShipgateError('internal', `run ${runId} is unknown or already ended`)
      }
      await trx
        .updateTable('run_shards')
        .set({ status: end.status, finished_at: end.finishedAt })
        .where('run_id', '=', runId)
        .where('shard_index', '=', index)
        .execute()
      const run = await trx
        .selectFrom('runs')
        .select('shard_count')
        .where('id', '=', runId)
        .executeTakeFirstOrThrow()
      const done = await trx
        .selectFrom('run_shards')
        .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
        .where('run_id', '=', runId)
        .where('status', '=', 'completed')
        .executeTakeFirstOrThrow()
      return { complete: run.shard_count !== null && Number(done.n) >= run.shard_count }
    })
  }

  async shards(runId: string): Promise<StoredShard[]> {
    const rows = await this.db
      .selectFrom('run_shards')
      .selectAll()
      .where('run_id', '=', runId)
      .orderBy('shard_index')
      .execute()
    return rows.map(shardFromRow)
  }

  addBatch(runId: string, batch: StoredBatch): Promise<void> {
    return addBatch(this.db, runId, batch)
  }

  batches(runId: string): Promise<StoredBatch[]> {
    return batchesOf(this.db, runId)
  }

  async appendSamples(runId: string, samples: readonly SampleResult[]): Promise<void> {
    if (samples.length === 0) return
    await this.db.transaction().execute((trx) =>
      this.insertRows(
        trx,
        'case_results',
        samples.map((s) => sampleRow(runId, s)),
      ),
    )
  }

  /**
   * Inserts many rows of one table inside the caller's transaction: multi-row INSERTs of
   * {@link CHUNK} rows. A dialect with a cheaper bulk path overrides this alone.
   */
  protected async insertRows<T extends keyof Database>(
    trx: Kysely<Database>,
    table: T,
    rows: readonly Database[T][],
  ): Promise<void> {
    for (let i = 0; i < rows.length; i += CHUNK) {
      await trx
        .insertInto(table)
        .values(rows.slice(i, i + CHUNK) as never)
        .execute()
    }
  }

  async finish(runId: string, end: RunEnd): Promise<void> {
    const result = await this.db
      .updateTable('runs')
      .set({
        status: end.status,
        finished_at: end.finishedAt,
        summary: JSON.stringify(end.summary),
      })
      .where('id', '=', runId)
      .where('status', '=', 'running')
      .executeTakeFirst()
    if (result.numUpdatedRows === 0n) {
      throw new ShipgateError('internal', `run ${runId} is unknown or already ended`)
    }
  }

  async get(runId: string): Promise<StoredRun | undefined> {
    const row = await this.db
      .selectFrom('runs')
      .selectAll()
      .where('id', '=', runId)
      .executeTakeFirst()
    return row === undefined ? undefined : runFromRow(row)
  }

  async resolveId(ref: string): Promise<string | undefined> {
    if (ref === 'latest') {
      const row = await this.db
        .selectFrom('runs')
        .select('id')
        .orderBy('started_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst()
      return row?.id
    }
    // A whole id (what links carry) by the primary key, before the scan a prefix needs.
    const exact = await this.db
      .selectFrom('runs')
      .select('id')
      .where('id', '=', ref)
      .executeTakeFirst()
    if (exact !== undefined) return exact.id
    // A prefix compared as bytes: a range on `id` would follow the database's collation, and
    // Postgres' usual ones (en_US) do not sort a prefix's completions together.
    const rows = await this.db
      .selectFrom('runs')
      .select('id')
      .where(sql<string>`substr(id, 1, ${sql.lit(ref.length)})`, '=', ref)
      .limit(2)
      .execute()
    return rows.length === 1 ? rows[0]?.id : rows.find((r) => r.id === ref)?.id
  }

  async list(query: RunQuery = {}): Promise<StoredRun[]> {
    let q = this.db.selectFrom('runs').selectAll('runs')
    if (query.status !== undefined) q = q.where('runs.status', '=', query.status)
    if (query.branch !== undefined) q = q.where('runs.git_branch', '=', query.branch)
    if (query.since !== undefined) q = q.where('runs.started_at', '>=', query.since)
    if (query.until !== undefined) q = q.where('runs.started_at', '<', query.until)
    // Row values: one range on the (started_at, id) index, however deep the page.
    const older = query.olderThan
    if (older !== undefined)
      q = q.where(sql<boolean>`(runs.started_at, runs.id) < (${older.startedAt}, ${older.id})`)
    const newer = query.newerThan
    if (newer !== undefined)
      q = q.where(sql<boolean>`(runs.started_at, runs.id) > (${newer.startedAt}, ${newer.id})`)
    if (query.suite !== undefined) {
      const suite = query.suite
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('run_suites')
            .select('run_suites.suite')
            .whereRef('run_suites.run_id', '=', 'runs.id')
            .where((w) =>
              w.or([
                w('run_suites.suite', '=', suite),
                // Its variants, `suite[variant]`: an exact prefix (LIKE would fold case in SQLite).
                w(
                  sql<string>`substr(run_suites.suite, 1, ${sql.lit(suite.length + 1)})`,
                  '=',
                  `${suite}[`,
                ),
              ]),
            ),
        ),
      )
    }
    // The page just newer than a cursor is the oldest runs above it: read upward, then turn.
    const order = newer === undefined ? 'desc' : 'asc'
    const rows = await q
      .orderBy('runs.started_at', order)
      .orderBy('runs.id', order)
      .limit(query.limit ?? 50)
      .execute()
    if (newer !== undefined) rows.reverse()
    return rows.map(runFromRow)
  }

  async prune(rule: PruneRule): Promise<string[]> {
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('runs')
        .select(['id', 'status', 'git_branch', 'started_at'])
        .orderBy('started_at')
        .orderBy('id')
        .execute()
      const ids = prunable(
        rows.map((r) => ({
          id: r.id,
          status: r.status,
          branch: r.git_branch,
          startedAt: r.started_at,
        })),
        rule.startedBefore,
      )
      if (rule.dryRun !== true) {
        // Children go by their foreign keys' ON DELETE CASCADE.
        for (let i = 0; i < ids.length; i += CHUNK) {
          await trx
            .deleteFrom('runs')
            .where('id', 'in', ids.slice(i, i + CHUNK))
            .execute()
        }
      }
      return ids
    })
  }

  async cases(runId: string): Promise<StoredCase[]> {
    const rows = await this.db
      .selectFrom('run_cases')
      .selectAll()
      .where('run_id', '=', runId)
      .orderBy('ordinal')
      .execute()
    return rows.map(caseFromRow)
  }

  async samples(runId: string): Promise<SampleResult[]> {
    const rows = await this.db
      .selectFrom('case_results as r')
      .innerJoin('run_cases as c', (join) =>
        join
          .onRef('c.run_id', '=', 'r.run_id')
          .onRef('c.suite', '=', 'r.suite')
          .onRef('c.case_id', '=', 'r.case_id'),
      )
      .selectAll('r')
      .where('r.run_id', '=', runId)
      .orderBy('c.ordinal')
      .orderBy('r.sample')
      .execute()
    return rows.map(sampleFromRow)
  }
}
