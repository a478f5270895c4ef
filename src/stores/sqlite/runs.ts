import type Database from 'better-sqlite3'
import type { Kysely } from 'kysely'
import type { SampleResult } from '../../contracts/results.js'
import type { NewRun, StoredCase } from '../../contracts/store.js'
import { caseRow, runRow, sampleRow } from '../sql/rows.js'
import { SqlRunRepository } from '../sql/runs.js'
import type { Database as Schema } from '../sql/schema.js'

/**
 * The runs repository on SQLite: Kysely for queries, and for the two bulk writes (a run's
 * planned cases, batches of samples) one cached prepared statement run per row inside a
 * better-sqlite3 transaction, which is several times faster than multi-row INSERTs compiled per
 * batch. Each write is still one transaction: all rows or none.
 */
export class SqliteRunRepository extends SqlRunRepository {
  private readonly statements = new Map<string, Database.Statement>()

  constructor(
    db: Kysely<Schema>,
    private readonly sqlite: Database.Database,
  ) {
    super(db)
  }

  override create(run: NewRun, cases: readonly StoredCase[]): Promise<void> {
    return this.write(() => {
      this.insert('runs', runRow(run))
      for (const suite of new Set(run.suites.map((s) => s.name))) {
        this.insert('run_suites', { run_id: run.id, suite })
      }
      cases.forEach((c, i) => this.insert('run_cases', caseRow(run.id, c, i)))
    })
  }

  override appendSamples(runId: string, samples: readonly SampleResult[]): Promise<void> {
    if (samples.length === 0) return Promise.resolve()
    return this.write(() => {
      for (const s of samples) this.insert('case_results', sampleRow(runId, s))
    })
  }

  /** Runs `body` as one transaction; the promise rejects (and nothing is kept) if it throws. */
  private write(body: () => void): Promise<void> {
    try {
      this.sqlite.transaction(body)()
      return Promise.resolve()
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)))
    }
  }

  /**
   * Inserts one row with a statement prepared once per table. The row builders of `sql/rows.ts`
   * always produce every column in the same order, so values bind by position.
   */
  private insert<T extends keyof Schema>(table: T, row: Schema[T]): void {
    let statement = this.statements.get(table)
    if (statement === undefined) {
      const columns = Object.keys(row)
      const names = columns.map((c) => `"${c}"`).join(', ')
      const params = columns.map(() => '?').join(', ')
      statement = this.sqlite.prepare(`INSERT INTO "${table}" (${names}) VALUES (${params})`)
      this.statements.set(table, statement)
    }
    statement.run(Object.values(row))
  }
}
