import type { Kysely, Migration } from 'kysely'

/**
 * Runs that several shard processes write together (`shipgate eval --shard i/n --run-id ID`):
 * the plan every shard must share, and one row per shard with how it ended and who ran it.
 */
export const sharedRuns: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('runs').addColumn('plan_hash', 'text').execute()
    await db.schema
      .createTable('run_shards')
      .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
      .addColumn('shard_index', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .addColumn('owner_host', 'text')
      .addColumn('owner_pid', 'integer')
      .addPrimaryKeyConstraint('run_shards_pk', ['run_id', 'shard_index'])
      .execute()
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('run_shards').execute()
    await db.schema.alterTable('runs').dropColumn('plan_hash').execute()
  },
}
