import type { ProviderFactory } from '../contracts/provider.js'
import type { ProviderConfig } from './schemas.js'

type FactoryOf<T extends ProviderConfig['type']> = ProviderFactory<
  Extract<ProviderConfig, { type: T }>
>

/** Builtin providers by type, imported only when a config uses them. */
export const builtinProviders = {
  mock: async (): Promise<FactoryOf<'mock'>> => (await import('./mock/index.js')).mockProvider,
} satisfies { [T in ProviderConfig['type']]: () => Promise<FactoryOf<T>> }
