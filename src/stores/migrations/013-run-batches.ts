import type { Kysely, Migration } from 'kysely'

/**
 * The provider batches a run submitted (`eval --batch`), so `eval --resume` collects their
 * results instead of paying again: one row per batch, in the order the run added them
 * (`position`), with the custom ids of its requests (JSON, `string[]`). They go with the run.
 */
export const runBatches: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('run_batches')
      .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
      .addColumn('batch_id', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('submitted_at', 'text', (c) => c.notNull())
      .addColumn('requests', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('run_batches_pk', ['run_id', 'batch_id'])
      .execute()
    await db.schema
      .createIndex('run_batches_by_run')
      .on('run_batches')
      .columns(['run_id', 'position'])
      .execute()
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('run_batches').execute()
  },
}
