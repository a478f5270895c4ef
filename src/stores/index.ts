import { isAbsolute, resolve } from 'node:path'
import type { Store } from '../contracts/store.js'
import { ShipgateError } from '../errors.js'

/** The store when the config names none: a SQLite file, relative to the config's directory. */
export const DEFAULT_STORE = '.shipgate/shipgate.db'

/** Builtin stores by kind, imported only when used. */
export const builtinStores = {
  sqlite: async (path: string): Promise<Store> =>
    (await import('./sqlite/index.js')).openSqliteStore(path),
  memory: async (): Promise<Store> => (await import('./memory/index.js')).openMemoryStore(),
  postgres: async (url: string): Promise<Store> =>
    (await import('./postgres/index.js')).openPostgresStore(url),
}

/**
 * Opens the store a location names and migrates it: `memory:` for an in-memory store, a
 * `postgres://` URL for the team store, or a SQLite file path relative to `baseDir`.
 */
export async function openStore(location: string, baseDir: string): Promise<Store> {
  let store: Store
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(location)?.[1]?.toLowerCase()
  if (location === 'memory:') store = await builtinStores.memory()
  else if (scheme === 'postgres' || scheme === 'postgresql')
    store = await builtinStores.postgres(location)
  else if (scheme !== undefined) {
    // Never a file named after the URL: it would hold the credentials in its path.
    throw new ShipgateError('config', `the store cannot be a ${scheme}:// URL`, {
      hint: `use a postgres:// URL, a SQLite file path (the default is ${DEFAULT_STORE}), or memory:`,
    })
  } else {
    const path =
      location === ':memory:' || isAbsolute(location) ? location : resolve(baseDir, location)
    store = await builtinStores.sqlite(path)
  }
  try {
    await store.migrate()
  } catch (error) {
    await store.close()
    throw error
  }
  return store
}
