import type { Kysely, Migration } from 'kysely'

/**
 * Deployments newest first, of one release or of all, by index: the viewer's releases page asks
 * for the deployments of every release it lists, and its deployments page for the newest of
 * all; without these, each scanned and sorted every deployment.
 */
export const deploymentsByRelease: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createIndex('deployments_release_started_at')
      .on('deployments')
      .columns(['release_id', 'started_at'])
      .execute()
    await db.schema
      .createIndex('deployments_started_at')
      .on('deployments')
      .columns(['started_at', 'id'])
      .execute()
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('deployments_started_at').execute()
    await db.schema.dropIndex('deployments_release_started_at').execute()
  },
}
