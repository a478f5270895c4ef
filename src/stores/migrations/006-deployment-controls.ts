import type { Kysely, Migration } from 'kysely'

/**
 * Requests to a running canary from other processes (`shipgate canary pause|resume|promote|
 * abort`): one row per deployment, the latest request.
 */
export const deploymentControls: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('deployment_controls')
      .addColumn('deployment_id', 'text', (c) =>
        c.primaryKey().references('deployments.id').onDelete('cascade'),
      )
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('requested_at', 'text', (c) => c.notNull())
      .execute()
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('deployment_controls').execute()
  },
}
