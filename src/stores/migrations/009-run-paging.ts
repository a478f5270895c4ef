import type { Kysely, Migration } from 'kysely'

/**
 * Runs listed newest first and paged by cursor (`shipgate view`): one index on (start time, id),
 * the listing's whole order, so a page far down is one range read. It replaces the index on
 * the start time alone, which it covers.
 */
export const runPaging: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createIndex('runs_started_at_id')
      .on('runs')
      .columns(['started_at', 'id'])
      .execute()
    await db.schema.dropIndex('runs_started_at').execute()
  },
  async down(db: Kysely<unknown>) {
    await db.schema.createIndex('runs_started_at').on('runs').column('started_at').execute()
    await db.schema.dropIndex('runs_started_at_id').execute()
  },
}
