import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { Kysely, Migrator, SqliteDialect } from 'kysely'
import type { Store } from '../../contracts/store.js'
import { environmentError } from '../../errors.js'
import { migrationProvider } from '../migrations/index.js'
import { SqlDeploymentRepository } from '../sql/deployments.js'
import { SqlReleaseRepository } from '../sql/releases.js'
import type { Database as Schema } from '../sql/schema.js'
import { SqliteRunRepository } from './runs.js'

/**
 * The default store: one SQLite file (created with its directory on first use), in WAL mode so
 * readers never block the writer. `:memory:` gives a private in-memory database.
 */
export function openSqliteStore(path: string): Store {
  let sqlite: Database.Database
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
    sqlite = new Database(path)
    sqlite.pragma('journal_mode = WAL')
    sqlite.pragma('synchronous = NORMAL')
    sqlite.pragma('foreign_keys = ON')
    sqlite.pragma('busy_timeout = 5000')
  } catch (cause) {
    throw environmentError(
      `cannot open the SQLite store at ${path}`,
      'check the `store:` path and its permissions',
      cause,
    )
  }
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: sqlite }) })
  return {
    runs: new SqliteRunRepository(db, sqlite),
    releases: new SqlReleaseRepository(db),
    deployments: new SqlDeploymentRepository(db),
    migrate: () => migrate(db),
    close: () => db.destroy(),
  }
}

async function migrate(db: Kysely<Schema>): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider })
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
