import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import type { Store } from '../../contracts/store.js'
import { environmentError } from '../../errors.js'
import { errorMessage } from '../../utils/errors.js'
import { makeDirectory } from '../../utils/files.js'
import { latestMigrator } from '../migrations/index.js'
import { SqlDeploymentRepository } from '../sql/deployments.js'
import { SqlReleaseRepository } from '../sql/releases.js'
import type { Database as Schema } from '../sql/schema.js'
import { SqliteRunRepository } from './runs.js'
import { SqlExperimentEventRepository } from '../sql/experiment-events.js'

/**
 * The default store: one SQLite file (created with its directory on first use), in WAL mode so
 * readers never block the writer. `:memory:` gives a private in-memory database.
 */
export function openSqliteStore(path: string): Store {
  let sqlite: Database.Database
  try {
    if (path !== ':memory:') makeDirectory(dirname(path))
    sqlite = new Database(path)
    sqlite.pragma('journal_mode = WAL')
    sqlite.pragma('synchronous = NORMAL')
    sqlite.pragma('foreign_keys = ON')
    sqlite.pragma('busy_timeout = 5000')
  } catch (cause) {
    throw environmentError(
      `cannot open the SQLite store at ${path}: ${errorMessage(cause)}`,
      'check the `store:` path and its permissions',
      cause,
    )
  }
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: sqlite }) })
  return {
    runs: new SqliteRunRepository(db, sqlite),
    releases: new SqlReleaseRepository(db),
    deployments: new SqlDeploymentRepository(db),
    experimentEvents: new SqlExperimentEventRepository(db),
    migrate: () => (path === ':memory:' ? migrate(db) : migrateLocked(db, path)),
    close: () => db.destroy(),
  }
}

/**
 * Migrates under an exclusive lock, so processes opening a new store at the same time migrate
 * it once: Kysely's migration lock is a no-op on SQLite. The lock is a transaction on a file of
 * its own next to the store (a second connection to the store itself would block this one); the
 * operating system drops it if the process dies.
 */
async function migrateLocked(db: Kysely<Schema>, path: string): Promise<void> {
  const lock = new Database(`${path}.migrate-lock`)
  try {
    lock.pragma('busy_timeout = 60000')
    lock.exec('BEGIN EXCLUSIVE')
    await migrate(db)
  } finally {
    if (lock.inTransaction) lock.exec('COMMIT')
    lock.close()
  }
}

async function migrate(db: Kysely<Schema>): Promise<void> {
  const migrator = latestMigrator(db)
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find((r) => r.status === 'Error')
  if (error !== undefined) {
    throw environmentError(
      `store migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message}`,
      'the store may be from a newer shipgate; upgrade, or point `store:` at a new file',
      error,
    )
  }
}
