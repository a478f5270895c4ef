import { sql, type Kysely, type Migration } from 'kysely'

/** Runs, their planned cases and their sample results. */
export const runs: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .addColumn('git_commit', 'text')
      .addColumn('git_branch', 'text')
      .addColumn('git_dirty', 'integer')
      .addColumn('config_hash', 'text', (c) => c.notNull())
      .addColumn('shipgate_version', 'text', (c) => c.notNull())
      .addColumn('owner_host', 'text')
      .addColumn('owner_pid', 'integer')
      .addColumn('suites', 'text', (c) => c.notNull())
      .addColumn('summary', 'text')
      .execute()
    await db.schema.createIndex('runs_started_at').on('runs').column('started_at').execute()
    await db.schema
      .createTable('run_suites')
      .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
      .addColumn('suite', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('run_suites_pk', ['run_id', 'suite'])
      .execute()
    await db.schema.createIndex('run_suites_suite').on('run_suites').column('suite').execute()
    await db.schema
      .createTable('run_cases')
      .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
      .addColumn('suite', 'text', (c) => c.notNull())
      .addColumn('case_id', 'text', (c) => c.notNull())
      .addColumn('ordinal', 'integer', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('vars', 'text', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('source', 'text')
      .addPrimaryKeyConstraint('run_cases_pk', ['run_id', 'suite', 'case_id'])
      .execute()
    await db.schema
      .createTable('case_results')
      .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
      .addColumn('suite', 'text', (c) => c.notNull())
      .addColumn('case_id', 'text', (c) => c.notNull())
      .addColumn('sample', 'integer', (c) => c.notNull())
      .addColumn('output', 'text')
      .addColumn('pass', 'integer', (c) => c.notNull())
      .addColumn('score', sql`double precision`, (c) => c.notNull())
      .addColumn('grades', 'text', (c) => c.notNull())
      .addColumn('input_tokens', 'integer')
      .addColumn('output_tokens', 'integer')
      .addColumn('cache_read_tokens', 'integer')
      .addColumn('cache_write_tokens', 'integer')
      .addColumn('reasoning_tokens', 'integer')
      .addColumn('cost_usd', sql`double precision`)
      .addColumn('latency_ms', sql`double precision`)
      .addColumn('error_kind', 'text')
      .addColumn('error_message', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('cached', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('case_results_pk', ['run_id', 'suite', 'case_id', 'sample'])
      .addForeignKeyConstraint(
        'case_results_case_fk',
        ['run_id', 'suite', 'case_id'],
        'run_cases',
        ['run_id', 'suite', 'case_id'],
        (c) => c.onDelete('cascade'),
      )
      .execute()
  },
  async down(db: Kysely<unknown>) {
    for (const table of ['case_results', 'run_cases', 'run_suites', 'runs']) {
      await db.schema.dropTable(table).execute()
    }
  },
}
