import type Database from 'better-sqlite3'
import type { Kysely } from 'kysely'
import type { SampleResult } from '../../contracts/results.js'
import type { NewRun, RunEnd, StoredCase } from '../../contracts/store.js'
import { ShipgateError } from '../../errors.js'
import { caseRow, runRow, sampleRow } from '../sql/rows.js'
import { SqlRunRepository } from '../sql/runs.js'
import type { Database as Schema } from '../sql/schema.js'

/** Planned cases written between two turns of the event loop (~2.5 ms of work). */
const CASES_PER_SLICE = 500

/**
 * The runs repository on SQLite: Kysely for migrations and queries; the writes of a run (its
 * record and planned cases, batches of samples, its end) are cached prepared statements inside
 * better-sqlite3 transactions, several times faster than multi-row INSERTs compiled per batch,
 * and they keep the eval's hot path free of query building. Each write is one transaction.
 */
export class SqliteRunRepository extends SqlRunRepository {
  private readonly statements = new Map<string, Database.Statement>()
  /** The last sliced transaction, and whether one is open now (see writeInSlices). */
  private slicing: Promise<void> | undefined
  private sliceOpen = false

  constructor(
    db: Kysely<Schema>,
    private readonly sqlite: Database.Database,
  ) {
    super(db)
  }

  override create(run: NewRun, cases: readonly StoredCase[]): Promise<void> {
    const head = () => {
      this.insert('runs', runRow(run))
      for (const suite of new Set(run.suites.map((s) => s.name))) {
        this.insert('run_suites', { run_id: run.id, suite })
      }
    }
    if (cases.length <= CASES_PER_SLICE) {
      return this.write(() => {
        head()
        cases.forEach((c, i) => this.insert('run_cases', caseRow(run.id, c, i)))
      })
    }
    return this.writeInSlices(head, cases.length, (from, to) => {
      for (let i = from; i < to; i++)
        this.insert('run_cases', caseRow(run.id, cases[i] as StoredCase, i))
    })
  }

  override appendSamples(runId: string, samples: readonly SampleResult[]): Promise<void> {
    if (samples.length === 0) return Promise.resolve()
    return this.write(() => {
      for (const s of samples) this.insert('case_results', sampleRow(runId, s))
    })
  }

  override finish(runId: string, end: RunEnd): Promise<void> {
    return this.write(() => {
      const { changes } = this.prepared(
        'finish',
        "UPDATE runs SET status = ?, finished_at = ?, summary = ? WHERE id = ? AND status = 'running'",
      ).run(end.status, end.finishedAt, JSON.stringify(end.summary), runId)
      if (changes === 0)
        throw new ShipgateError('internal', `run ${runId} is unknown or already ended`)
    })
  }

  /**
   * One transaction written a slice of rows at a time, letting the event loop run between
   * slices: `execute` records a run while its first calls are in flight, and 10,000 planned
   * cases at once held their answers up by ~50 ms. Nothing else writes on this connection
   * until the record is made (the run's samples and batches wait for it). The promise rejects,
   * and nothing is kept, if a slice throws.
   */
  private writeInSlices(
    head: () => void,
    rows: number,
    slice: (from: number, to: number) => void,
  ): Promise<void> {
    const written = this.afterSlices().then(async () => {
      this.sqlite.exec('BEGIN IMMEDIATE')
      this.sliceOpen = true
      try {
        head()
        for (let from = 0; from < rows; from += CASES_PER_SLICE) {
          if (from > 0) await new Promise((resolve) => setImmediate(resolve))
          slice(from, Math.min(rows, from + CASES_PER_SLICE))
        }
        this.sqlite.exec('COMMIT')
      } catch (error) {
        if (this.sqlite.inTransaction) this.sqlite.exec('ROLLBACK')
        throw error
      } finally {
        this.sliceOpen = false
      }
    })
    this.slicing = written.catch(() => undefined)
    return written
  }

  /**
   * Settles once no sliced transaction is open: a write that arrives meanwhile (another run's,
   * on a store shared by a library caller) waits for it instead of joining it.
   */
  private afterSlices(): Promise<void> {
    return this.slicing ?? Promise.resolve()
  }

  /** Runs `body` as one transaction; the promise rejects (and nothing is kept) if it throws. */
  private write(body: () => void): Promise<void> {
    if (this.sliceOpen) return this.afterSlices().then(() => this.write(body))
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
    const statement = this.prepared(table, () => {
      const columns = Object.keys(row)
      const names = columns.map((c) => `"${c}"`).join(', ')
      const params = columns.map(() => '?').join(', ')
      return `INSERT INTO "${table}" (${names}) VALUES (${params})`
    })
    statement.run(Object.values(row))
  }

  /** A statement prepared once and kept under `key`. */
  private prepared(key: string, sql: string | (() => string)): Database.Statement {
    let statement = this.statements.get(key)
    if (statement === undefined) {
      statement = this.sqlite.prepare(typeof sql === 'string' ? sql : sql())
      this.statements.set(key, statement)
    }
    return statement
  }
}
