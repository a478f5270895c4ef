import type { ProviderFactory } from '../contracts/provider.js'
import type { ProviderConfig } from './schemas.js'

type FactoryOf<T extends ProviderConfig['type']> = ProviderFactory<
  Extract<ProviderConfig, { type: T }>
>

/** Builtin providers by type, imported only when a config uses them. */
export const builtinProviders = {
  mock: async (): Promise<FactoryOf<'mock'>> => (await import('./mock/index.js')).mockProvider,
  anthropic: async (): Promise<FactoryOf<'anthropic'>> =>
    (await import('./anthropic/index.js')).anthropicProvider,
  openai: async (): Promise<FactoryOf<'openai'>> =>
    (await import('./openai/index.js')).openaiProvider,
  http: async (): Promise<FactoryOf<'http'>> => (await import('./http/index.js')).httpProvider,
  exec: async (): Promise<FactoryOf<'exec'>> => (await import('./exec/index.js')).execProvider,
  function: async (): Promise<FactoryOf<'function'>> =>
    (await import('./function/index.js')).functionProvider,
} satisfies { [T in ProviderConfig['type']]: () => Promise<FactoryOf<T>> }
