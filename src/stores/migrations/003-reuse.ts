import type { Kysely, Migration } from 'kysely'

/**
 * `--reuse-baseline`: each planned case's fingerprint (what its result depends on), and which
 * samples were copied from the baseline instead of run.
 */
export const reuse: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('run_cases').addColumn('fingerprint', 'text').execute()
    await db.schema
      .alterTable('case_results')
      .addColumn('reused', 'integer', (c) => c.notNull().defaultTo(0))
      .execute()
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('case_results').dropColumn('reused').execute()
    await db.schema.alterTable('run_cases').dropColumn('fingerprint').execute()
  },
}
