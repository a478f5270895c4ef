/**
 * The store of a long-running stage (the collector): opened as `withConfigAndStore` opens it,
 * but kept open until the stage closes; a store the caller passed is left open.
 */
import type { LoadedConfig } from '../../config/load.js'
import type { Store } from '../../contracts/store.js'
import { openStore } from '../../stores/index.js'
import { guardedStore, storeLocation, type StoreChoice } from '../project/index.js'

export { loadProjectConfig, type StoreChoice } from '../project/index.js'

/** The project's store and how to release it. */
export async function openStoreFor(
  options: StoreChoice,
  loaded: LoadedConfig,
): Promise<{ readonly store: Store; readonly release: () => Promise<void> }> {
  if (options.store !== undefined) return { store: options.store, release: async () => {} }
  const store = await openStore(storeLocation(options.env, loaded.config.store), loaded.dir)
  return { store: guardedStore(store, loaded, options), release: () => store.close() }
}
