import { rawConfigString } from '../config/raw.js'
import type { Store } from '../contracts/store.js'
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
  const { dir, value } = rawConfigString(
    { cwd: options.cwd, ...(options.configFile === undefined ? {} : { file: options.configFile }) },
    ['store'],
  )
  const store = await openStore(storeLocation(options.env, value), dir)
  await recoverAbandonedRuns(store)
  return store
}
