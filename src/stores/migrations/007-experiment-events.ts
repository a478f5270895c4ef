import { sql, type Kysely, type Migration } from 'kysely'

/**
 * Online experiments' events from the SDK: exposures, outcomes and sampled responses, one row
 * each, keyed by the event's id so a batch sent twice is stored once.
 */
export const experimentEvents: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('experiment_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('experiment', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('variant', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('name', 'text')
      .addColumn('value', sql`double precision`)
      .addColumn('input', 'text')
      .addColumn('output', 'text')
      .execute()
    await db.schema
      .createIndex('experiment_events_by_time')
      .on('experiment_events')
      .columns(['experiment', 'at', 'id'])
      .execute()
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('experiment_events').execute()
  },
}
