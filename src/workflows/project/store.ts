import { resolve } from 'node:path'
import { INLINE_CONFIG } from '../../config/inline.js'
import type { LoadedConfig } from '../../config/load.js'
import { rawConfigString } from '../../config/raw.js'
import { storeSetting, unsetStoreVariable, type StoreKeyLocation } from '../../config/store.js'
import type { Store } from '../../contracts/store.js'
import { ConfigError, ShipgateError } from '../../errors.js'
import { DEFAULT_STORE, openStore } from '../../stores/index.js'
import { loadProjectConfig, type ConfigChoice } from './config.js'
import { recoverAbandonedRuns } from './recover.js'
import { guardedStore } from './secrets.js'

export { DEFAULT_STORE }

/**
 * Where the store is: `SHIPGATE_DATABASE_URL` wins over config, which wins over the default.
 * `store: env:NAME` in the config reads the location from the variable NAME; an unset one is a
 * ConfigError at `where` (the `store:` key; loading the config already checks it there). A URL
 * written into the config must not hold a password (the file is committed): the password comes
 * from the environment, in `SHIPGATE_DATABASE_URL`, an `env:NAME`, or Postgres' own `PGPASSWORD`.
 */
export function storeLocation(
  env: Readonly<Record<string, string | undefined>>,
  configured: string | undefined,
  where: StoreKeyLocation = { file: 'the config', path: 'store' },
): string {
  const setting = storeSetting(env, configured)
  if ('unset' in setting) throw new ConfigError([unsetStoreVariable(setting.unset, where)])
  if (setting.from === 'config' && (URL.parse(setting.location)?.password ?? '') !== '') {
    throw new ShipgateError('config', 'the `store:` URL in the config holds a password', {
      hint: 'remove it from the file (it is committed) and set SHIPGATE_DATABASE_URL, or PGPASSWORD, in the environment; or write store: env:NAME',
    })
  }
  return setting.location
}

const INLINE_STORE_KEY: StoreKeyLocation = { file: INLINE_CONFIG, path: 'store' }

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
  const { dir, value, at } =
    options.config === undefined
      ? rawConfigString({ cwd: options.cwd, file: options.configFile }, ['store'])
      : { dir: resolve(options.cwd), value: options.config.store, at: INLINE_STORE_KEY }
  const store = await openStore(storeLocation(options.env, value, at), dir)
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
