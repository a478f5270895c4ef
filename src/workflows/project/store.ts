import { resolve } from 'node:path'
import type { LoadedConfig } from '../../config/load.js'
import { rawConfigString } from '../../config/raw.js'
import type { Store } from '../../contracts/store.js'
import { ShipgateError } from '../../errors.js'
import { DEFAULT_STORE, openStore } from '../../stores/index.js'
import { loadProjectConfig, type ConfigChoice } from './config.js'
import { recoverAbandonedRuns } from './recover.js'
import { guardedStore } from './secrets.js'

export { DEFAULT_STORE }

/**
 * Where the store is: `SHIPGATE_DATABASE_URL` wins over config, which wins over the default. A
 * URL in the config must not hold a password (the file is committed): the password comes from
 * the environment, in `SHIPGATE_DATABASE_URL` or Postgres' own `PGPASSWORD`.
 */
export function storeLocation(
  env: Readonly<Record<string, string | undefined>>,
  configured: string | undefined,
): string {
  const fromEnv = env.SHIPGATE_DATABASE_URL
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv
  if (configured !== undefined && (URL.parse(configured)?.password ?? '') !== '') {
    throw new ShipgateError('config', 'the `store:` URL in the config holds a password', {
      hint: 'remove it from the file (it is committed) and set SHIPGATE_DATABASE_URL, or PGPASSWORD, in the environment',
    })
  }
  return configured ?? DEFAULT_STORE
}

/** Where a stage finds the project: the config (a file or a value) and its store. */
export interface StoreChoice extends ConfigChoice {
  /** A store to use instead of the one the config names (tests, library callers). */
  readonly store?: Store
}

/**
 * Opens the store for commands that only read it (`runs list`, `runs show`): it needs the
 * config's `store:` key, not a valid config, so a broken provider entry does not hide history.
 */
export async function openProjectStore(options: Omit<StoreChoice, 'store'>): Promise<Store> {
  const { dir, value } =
    options.config === undefined
      ? rawConfigString({ cwd: options.cwd, file: options.configFile }, ['store'])
      : { dir: resolve(options.cwd), value: options.config.store }
  const store = await openStore(storeLocation(options.env, value), dir)
  await recoverAbandonedRuns(store)
  return store
}

/**
 * Runs `work` with the project's store as {@link openProjectStore} opens it (no valid config
 * needed), or with `options.store`; a store opened here is closed after, whatever happens.
 */
export async function withProjectStore<T>(
  options: StoreChoice,
  work: (store: Store) => Promise<T>,
): Promise<T> {
  const store = options.store ?? (await openProjectStore(options))
  try {
    return await work(store)
  } finally {
    if (options.store === undefined) await store.close()
  }
}

/**
 * Loads the config and runs `work` with the project's store, or with `options.store` when the
 * caller already has one open; a store opened here is closed after, whatever happens.
 */
export async function withConfigAndStore<T>(
  options: StoreChoice,
  work: (loaded: LoadedConfig, store: Store) => Promise<T>,
): Promise<T> {
  const loaded = await loadProjectConfig(options)
  const store =
    options.store ?? (await openStore(storeLocation(options.env, loaded.config.store), loaded.dir))
  try {
    return await work(loaded, guardedStore(store, loaded, options))
  } finally {
    if (options.store === undefined) await store.close()
  }
}
