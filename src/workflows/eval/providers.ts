import type { Clock } from '../../contracts/clock.js'
import type { Logger } from '../../contracts/logger.js'
import type { Provider, ProviderFactory } from '../../contracts/provider.js'
import type { LoadedConfig } from '../../config/load.js'
import { builtinProviders } from '../../providers/index.js'
import type { ProviderConfig } from '../../providers/schemas.js'

/**
 * The config of a provider a run names: an entry under `providers`, or a variant's with its
 * `params` merged in (`provider(suite[variant])`).
 */
export function providerConfig(loaded: LoadedConfig, name: string): ProviderConfig | undefined {
  return loaded.variantProviders.get(name) ?? loaded.config.providers[name]
}

/** Creates the named providers of a config, each from its builtin factory. */
export async function createProviders(
  loaded: LoadedConfig,
  names: readonly string[],
  context: {
    env: Readonly<Record<string, string | undefined>>
    clock: Clock
    logger: Logger
    fetch: typeof fetch
    offline: boolean
  },
): Promise<Map<string, Provider>> {
  const providers = new Map<string, Provider>()
  for (const name of new Set(names)) {
    const config = providerConfig(loaded, name) as ProviderConfig
    // Each factory takes its own config type; the union of factories cannot say so.
    const factory = (await builtinProviders[config.type]()) as ProviderFactory<ProviderConfig>
    providers.set(
      name,
      factory.create(config, {
        name,
        baseDir: loaded.dir,
        env: context.env,
        clock: context.clock,
        logger: context.logger.child(name),
        fetch: context.fetch,
        offline: context.offline,
      }),
    )
  }
  return providers
}

/** A per-provider setting (`concurrency`, `timeoutMs`) of the providers that set it. */
export function perProvider(
  loaded: LoadedConfig,
  names: readonly string[],
  key: 'concurrency' | 'timeoutMs',
): Map<string, number> {
  const values = new Map<string, number>()
  for (const name of names) {
    const value = providerConfig(loaded, name)?.[key]
    if (value !== undefined) values.set(name, value)
  }
  return values
}

/** Closes every provider, logging (not throwing) failures: closing must not hide the run's outcome. */
export async function closeProviders(
  providers: ReadonlyMap<string, Provider>,
  logger: Logger,
): Promise<void> {
  for (const [name, provider] of providers) {
    try {
      await provider.close?.()
    } catch (error) {
      logger.warn(`provider ${name} did not close cleanly: ${(error as Error).message}`)
    }
  }
}
