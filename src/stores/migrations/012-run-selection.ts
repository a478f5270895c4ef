import type { Kysely, Migration } from 'kysely'

/**
 * How a partial run narrowed its cases (JSON, `RunSelection`; `eval --case`, `--filter`,
 * `--first`, `--sample`, `--rerun-failed`), so a baseline lookup can pass it over.
 */
export const runSelection: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('runs').addColumn('selection', 'text').execute()
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('runs').dropColumn('selection').execute()
  },
}
