import type { Kysely, Migration } from 'kysely'

/** The alerts a deploy sent (JSON, `SentAlert[]`), kept with its deployment for the viewer. */
export const deploymentAlerts: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('deployments').addColumn('alerts', 'text').execute()
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('deployments').dropColumn('alerts').execute()
  },
}
