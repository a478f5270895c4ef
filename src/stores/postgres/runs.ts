import { sql, type Kysely } from 'kysely'
import type { SampleResult } from '../../contracts/results.js'
import type { NewRun, StoredCase } from '../../contracts/store.js'
import { caseRow, runRow, sampleRow } from '../sql/rows.js'
import { SqlRunRepository } from '../sql/runs.js'
import type { Database as Schema } from '../sql/schema.js'

/**
 * The runs repository on Postgres: the shared queries, with a run's bulk writes (its planned
 * cases, batches of samples) sent as one JSON parameter that the server expands into rows
 * (`json_populate_recordset` over the table's own row type). A multi-row INSERT binds 21
 * parameters a row, and binding, not the database, is what limits it: measured in
 * docs/benchmarks.md.
 */
export class PostgresRunRepository extends SqlRunRepository {
  constructor(private readonly pgDb: Kysely<Schema>) {
    super(pgDb)
  }

  override async create(run: NewRun, cases: readonly StoredCase[]): Promise<void> {
    await this.pgDb.transaction().execute(async (trx) => {
      await trx.insertInto('runs').values(runRow(run)).execute()
      const suites = [...new Set(run.suites.map((s) => s.name))]
      if (suites.length > 0) {
        await insertRows(
          trx,
          'run_suites',
          suites.map((suite) => ({ run_id: run.id, suite })),
        )
      }
      if (cases.length > 0) {
        await insertRows(
          trx,
          'run_cases',
          cases.map((c, i) => caseRow(run.id, c, i)),
        )
      }
    })
  }

  override async appendSamples(runId: string, samples: readonly SampleResult[]): Promise<void> {
    if (samples.length === 0) return
    await insertRows(
      this.pgDb,
      'case_results',
      samples.map((s) => sampleRow(runId, s)),
    )
  }
}

/** Inserts `rows` into `table` with one statement (atomic on its own) and one parameter. */
async function insertRows<T extends keyof Schema>(
  db: Kysely<Schema>,
  table: T,
  rows: readonly Schema[T][],
): Promise<void> {
  const name = sql.table(table)
  await sql`INSERT INTO ${name} SELECT * FROM json_populate_recordset(NULL::${name}, ${postgresJson(rows)}::json)`.execute(
    db,
  )
}

/**
 * JSON for Postgres' text columns, which cannot hold U+0000: a NUL in a model's output or a
 * case's vars is stored as U+FFFD (the replacement character) rather than failing the write.
 * Only an escape that is not itself escaped (`\\u0000` is a backslash and text) is replaced.
 */
export function postgresJson(value: unknown): string {
  return JSON.stringify(value).replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1\\ufffd')
}
