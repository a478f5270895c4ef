import { sql, type Kysely, type Migration } from 'kysely'

/**
 * Releases (a manifest as JSON, with its id, name and time as columns to look it up by) and
 * deployments. A target has at most one running deployment: a partial unique index says so, so
 * two deploys racing to start on one target cannot both win.
 */
export const releases: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('releases')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('git_commit', 'text')
      .addColumn('manifest', 'text', (c) => c.notNull())
      .execute()
    await db.schema.createIndex('releases_created_at').on('releases').column('created_at').execute()
    await db.schema.createIndex('releases_name').on('releases').column('name').execute()
    await db.schema
      .createTable('deployments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('release_id', 'text', (c) => c.notNull())
      .addColumn('previous_release_id', 'text')
      .addColumn('strategy', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('steps', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .addColumn('reason', 'text')
      .addColumn('owner_host', 'text')
      .addColumn('owner_pid', 'integer')
      .execute()
    await db.schema
      .createIndex('deployments_target_started_at')
      .on('deployments')
      .columns(['target', 'started_at'])
      .execute()
    await db.schema
      .createIndex('deployments_one_running')
      .on('deployments')
      .column('target')
      .unique()
      .where(sql.ref('status'), '=', sql.lit('running'))
      .execute()
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('deployments').execute()
    await db.schema.dropTable('releases').execute()
  },
}
