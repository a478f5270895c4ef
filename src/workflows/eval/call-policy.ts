import { batchPrice, costOf, createPriceLookup } from '@shipgate/runtime/pricing'
import type { LoadedConfig } from '../../config/load.js'
import type { Provider } from '../../contracts/provider.js'
import type { Usage } from '../../contracts/usage.js'
import { perProvider } from './providers.js'

/**
 * How provider calls of a run (or of a judge outside one) are made: priced by the table with
 * the config's `pricing:`, retried by `runner:`, each provider capped by its own `concurrency`
 * and `timeoutMs` under the run's `concurrency`.
 */
export function callPolicy(loaded: LoadedConfig, names: readonly string[], concurrency: number) {
  const runner = loaded.config.runner
  const prices = createPriceLookup(loaded.config.pricing)
  const limits = perProvider(loaded, names, 'concurrency')
  const timeouts = perProvider(loaded, names, 'timeoutMs')
  return {
    /** A batched answer (`eval --batch`) is priced at the provider's batch rates. */
    cost: (provider: Provider, model: string | undefined, usage: Usage | null, batched = false) => {
      const price = prices(provider.type, model ?? provider.model)
      return costOf(
        batched && price !== undefined ? batchPrice(price, provider.type) : price,
        usage,
      )
    },
    retry: {
      retries: runner.retries,
      baseDelayMs: runner.backoffMs,
      maxDelayMs: runner.maxBackoffMs,
      maxRetryAfterMs: runner.maxRetryAfterMs,
    },
    limits,
    timeouts,
    timeoutMs: (name: string) => timeouts.get(name) ?? runner.timeoutMs,
    concurrency: (name: string) => Math.min(limits.get(name) ?? concurrency, concurrency),
  }
}
