import { sql, type Kysely } from 'kysely'
import { SqlRunRepository } from '../sql/runs.js'
import type { Database as Schema } from '../sql/schema.js'

/**
 * The runs repository on Postgres: the shared queries, with bulk writes (a run's planned cases,
 * batches of samples) sent as one JSON parameter that the server expands into rows
 * (`json_populate_recordset` over the table's own row type). A multi-row INSERT binds 21
 * parameters a row, and binding, not the database, is what limits it: measured in
 * docs/benchmarks.md.
 */
export class PostgresRunRepository extends SqlRunRepository {
  protected override async insertRows<T extends keyof Schema>(
    trx: Kysely<Schema>,
    table: T,
    rows: readonly Schema[T][],
  ): Promise<void> {
    if (rows.length === 0) return
    const name = sql.table(table)
    await sql`INSERT INTO ${name} SELECT * FROM json_populate_recordset(NULL::${name}, ${postgresJson(rows)}::json)`.execute(
      trx,
    )
  }
}

/**
 * JSON for Postgres' text columns, which cannot hold U+0000: a NUL in a model's output or a
 * case's vars is stored as U+FFFD (the replacement character) rather than failing the write.
 * Only an escape that is not itself escaped (`\\u0000` is a backslash and text) is replaced.
 */
export function postgresJson(value: unknown): string {
  return JSON.stringify(value).replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1\\ufffd')
}
