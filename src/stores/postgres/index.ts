import type { Migrator } from 'kysely'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { Store } from '../../contracts/store.js'
import { environmentError } from '../../errors.js'
import { errorMessage } from '../../utils/errors.js'
import { latestMigrator } from '../migrations/index.js'
import { SqlDeploymentRepository } from '../sql/deployments.js'
import { SqlReleaseRepository } from '../sql/releases.js'
import type { Database as Schema } from '../sql/schema.js'
import { PostgresRunRepository } from './runs.js'
import { SqlExperimentEventRepository } from '../sql/experiment-events.js'

/** Connections per process: a CLI run writes from one place; a few cover reads alongside. */
const POOL_SIZE = 4

/** How long to wait for a connection before failing with a clear error. */
const CONNECT_TIMEOUT_MS = 10_000

/**
 * The team store: PostgreSQL through Kysely's dialect on `pg`, sharing the SQLite store's
 * queries (`sql/`) and migrations. Kysely's migrator holds a Postgres advisory lock while it
 * migrates, so CLI processes opening a new database together migrate it once. The URL's password
 * is never put in an error: messages name the server by `redactUrl`.
 */
export function openPostgresStore(url: string): Store {
  const where = redactUrl(url)
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_SIZE,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: 'shipgate',
  })
  // An idle connection the server drops must not crash the process; the next query reconnects.
  pool.on('error', () => undefined)
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) })
  return {
    runs: new PostgresRunRepository(db),
    releases: new SqlReleaseRepository(db),
    deployments: new SqlDeploymentRepository(db),
    experimentEvents: new SqlExperimentEventRepository(db),
    migrate: () => migrate(db, where),
    close: () => db.destroy(),
  }
}

async function migrate(db: Kysely<Schema>, where: string): Promise<void> {
  let outcome: Awaited<ReturnType<Migrator['migrateToLatest']>>
  try {
    outcome = await latestMigrator(db).migrateToLatest()
  } catch (cause) {
    throw unreachable(where, cause)
  }
  const { error, results } = outcome
  if (error === undefined) return
  const failed = results?.find((r) => r.status === 'Error')
  if (failed === undefined) throw unreachable(where, error)
  throw environmentError(
    `store migration ${failed.migrationName} failed on ${where}: ${errorMessage(error)}`,
    'the database may be from a newer shipgate; upgrade, or point SHIPGATE_DATABASE_URL at a new database',
    error,
  )
}

function unreachable(where: string, cause: unknown): Error {
  return environmentError(
    `cannot open the Postgres store at ${where}: ${errorMessage(cause)}`,
    'check SHIPGATE_DATABASE_URL (host, port, database, user) and that the server accepts connections',
    cause,
  )
}

/** `postgres://user:secret@host/db` as `postgres://user:***@host/db`, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password !== '') parsed.password = '***'
    for (const key of [...parsed.searchParams.keys()]) {
      if (/pass|secret|key|token/i.test(key)) parsed.searchParams.set(key, '***')
    }
    return parsed.toString()
  } catch {
    return 'the configured Postgres URL'
  }
}
