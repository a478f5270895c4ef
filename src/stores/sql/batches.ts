import type { Kysely } from 'kysely'
import type { StoredBatch } from '../../contracts/store.js'
import { ShipgateError } from '../../errors.js'
import type { Database, RunBatchesTable } from './schema.js'

/**
 * Records a batch of run `runId` in one transaction (`RunRepository.addBatch`). Writing
 * the run's row first both finds an unknown run and holds the row (a row lock on Postgres, the
 * write lock on SQLite) until this commits, so two batches added at once get two positions.
 */
export async function addBatch(
  db: Kysely<Database>,
  runId: string,
  batch: StoredBatch,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const held = await trx
      .updateTable('runs')
      .set((eb) => ({ status: eb.ref('status') }))
      .where('id', '=', runId)
      .executeTakeFirst()
    if (held.numUpdatedRows === 0n) {
      throw new ShipgateError('internal', `run ${runId} is unknown`)
    }
    const last = await trx
      .selectFrom('run_batches')
      .select((eb) => eb.fn.max('position').as('position'))
      .where('run_id', '=', runId)
      .executeTakeFirst()
    const position = Number(last?.position ?? -1) + 1
    await trx
      .insertInto('run_batches')
      .values(batchRow(runId, batch, position))
      .onConflict((oc) => oc.columns(['run_id', 'batch_id']).doNothing())
      .execute()
  })
}

/** The batches of run `runId`, in the order they were added (`RunRepository.batches`). */
export async function batchesOf(db: Kysely<Database>, runId: string): Promise<StoredBatch[]> {
  const rows = await db
    .selectFrom('run_batches')
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy('position')
    .execute()
  return rows.map(batchFromRow)
}

function batchRow(runId: string, batch: StoredBatch, position: number): RunBatchesTable {
  return {
    run_id: runId,
    batch_id: batch.id,
    position,
    provider: batch.provider,
    submitted_at: batch.submittedAt,
    requests: JSON.stringify(batch.requests),
  }
}

function batchFromRow(row: RunBatchesTable): StoredBatch {
  return {
    id: row.batch_id,
    provider: row.provider,
    submittedAt: row.submitted_at,
    requests: JSON.parse(row.requests) as string[],
  }
}
