import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely'
import type { Database as Schema } from '../sql/schema.js'
import { runs } from './001-runs.js'
import { runShards } from './002-run-shards.js'
import { reuse } from './003-reuse.js'
import { releases } from './004-releases.js'
import { sharedRuns } from './005-shared-runs.js'
import { deploymentControls } from './006-deployment-controls.js'
import { experimentEvents } from './007-experiment-events.js'
import { deploymentsByRelease } from './008-deployments-by-release.js'
import { runPaging } from './009-run-paging.js'
import { deploymentAlerts } from './010-deployment-alerts.js'
import { toolCalls } from './011-tool-calls.js'
import { runSelection } from './012-run-selection.js'
import { runBatches } from './013-run-batches.js'

/**
 * Every schema version, in order. Names sort in application order; a migration, once released,
 * is never edited: add a new one.
 */
export const migrations: Readonly<Record<string, Migration>> = {
  '001-runs': runs,
  '002-run-shards': runShards,
  '003-reuse': reuse,
  '004-releases': releases,
  '005-shared-runs': sharedRuns,
  '006-deployment-controls': deploymentControls,
  '007-experiment-events': experimentEvents,
  '008-deployments-by-release': deploymentsByRelease,
  '009-run-paging': runPaging,
  '010-deployment-alerts': deploymentAlerts,
  '011-tool-calls': toolCalls,
  '012-run-selection': runSelection,
  '013-run-batches': runBatches,
}

/** The migrations as Kysely's Migrator wants them: in code, no file-system scanning. */
export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve({ ...migrations }),
}

/**
 * Kysely's migrator over every migration, for both SQL stores. Names compare by code unit:
 * Kysely's default, `localeCompare`, starts ICU's collator (~5 ms of every store open); the names
 * are ASCII and start with their number, so the order is the same.
 */
export function latestMigrator(db: Kysely<Schema>): Migrator {
  return new Migrator({ db, provider: migrationProvider, nameComparator: byCodeUnit })
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
