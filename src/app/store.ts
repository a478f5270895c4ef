import { readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { parse } from 'yaml'
import type { Store } from '../contracts/store.js'
import { findConfig } from '../config/load.js'
import { openStore } from '../stores/index.js'
import { recoverAbandonedRuns } from './recover.js'

/** The default store location, relative to the config file's directory. */
export const DEFAULT_STORE = '.shipgate/shipgate.db'

/** Where the store is: `SHIPGATE_DATABASE_URL` wins over config, which wins over the default. */
export function storeLocation(
  env: Readonly<Record<string, string | undefined>>,
  configured: string | undefined,
): string {
  const fromEnv = env.SHIPGATE_DATABASE_URL
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : (configured ?? DEFAULT_STORE)
}

/**
 * Opens the store for commands that only read it (`runs list`, `runs show`): it needs the
 * config's `store:` key, not a valid config, so a broken provider entry does not hide history.
 */
export async function openProjectStore(options: {
  cwd: string
  env: Readonly<Record<string, string | undefined>>
  configFile?: string
}): Promise<Store> {
  const file = findConfig({
    cwd: options.cwd,
    ...(options.configFile === undefined ? {} : { file: options.configFile }),
  })
  const raw = parse(readFileSync(file, 'utf8')) as { store?: unknown } | null
  const configured = typeof raw?.store === 'string' ? raw.store : undefined
  const store = await openStore(storeLocation(options.env, configured), dirname(file))
  await recoverAbandonedRuns(store)
  return store
}
