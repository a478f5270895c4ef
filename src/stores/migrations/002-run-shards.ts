import type { Kysely, Migration } from 'kysely'

/** The shard a run was (`shipgate eval --shard i/n`): both columns null for unsharded runs. */
export const runShards: Migration = {
  async up(db: Kysely<unknown>) {
    // One column per statement: SQLite's ALTER TABLE adds a single column at a time.
    await db.schema.alterTable('runs').addColumn('shard_index', 'integer').execute()
    await db.schema.alterTable('runs').addColumn('shard_count', 'integer').execute()
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('runs').dropColumn('shard_count').execute()
    await db.schema.alterTable('runs').dropColumn('shard_index').execute()
  },
}
