import type { Usage } from '../contracts/usage.js'
import { uncachedInput } from '../contracts/usage.js'

/** Per-token USD prices of one model; an absent field means that part is unpriced. */
export interface Price {
  readonly input: number
  readonly output: number
  readonly cacheRead?: number
  readonly cacheWrite?: number
  /** Long-context rates: used for the whole request when its input exceeds `aboveTokens`. */
  readonly tiers?: readonly (Omit<Price, 'tiers' | 'batch'> & { readonly aboveTokens: number })[]
  /**
   * The provider's own per-token prices for uncached input and output sent through its batch
   * API (the table's `*_cost_per_token_batches`); see {@link batchPrice}.
   */
  readonly batch?: { readonly input: number; readonly output: number }
}

/** A price written in config, in USD per million tokens. */
export interface PriceOverride {
  readonly input: number
  readonly output: number
  readonly cacheRead?: number
  readonly cacheWrite?: number
  /** USD per million uncached input and output tokens through the provider's batch API. */
  readonly batch?: { readonly input: number; readonly output: number }
}

/** Config overrides keyed by model id (the id as called, or the table key it resolves to). */
export type PriceOverrides = Readonly<Record<string, PriceOverride>>

/** The per-token price of a config override; the override replaces the whole table price. */
export function priceFromOverride(o: PriceOverride): Price {
  const perToken = (v: number | undefined) => (v === undefined ? undefined : v / 1e6)
  const price = withOptional(
    { input: o.input / 1e6, output: o.output / 1e6 },
    perToken(o.cacheRead),
    perToken(o.cacheWrite),
  )
  return o.batch === undefined
    ? price
    : { ...price, batch: { input: o.batch.input / 1e6, output: o.batch.output / 1e6 } }
}

/** A price with only the cache fields that are known, so "absent" keeps meaning "unpriced". */
export function withOptional(
  base: { input: number; output: number },
  cacheRead?: number,
  cacheWrite?: number,
): Price {
  return {
    ...base,
    ...(cacheRead === undefined ? {} : { cacheRead }),
    ...(cacheWrite === undefined ? {} : { cacheWrite }),
  }
}

/**
 * USD cost of one call. `null` when the cost is unknown: no usage, no price, or cache tokens
 * the model has no cache price for. A long prompt is billed entirely at the highest tier whose
 * threshold it exceeds.
 */
export function costOf(price: Price | undefined, usage: Usage | null): number | null {
  if (price === undefined || usage === null) return null
  // The highest tier whose threshold the prompt exceeds (tiers are sorted ascending).
  const tier = price.tiers?.findLast((t) => usage.input > t.aboveTokens)
  const rate = tier ?? price
  let cost = uncachedInput(usage) * rate.input + usage.output * rate.output
  if (usage.cacheRead > 0) {
    if (rate.cacheRead === undefined) return null
    cost += usage.cacheRead * rate.cacheRead
  }
  if (usage.cacheWrite > 0) {
    if (rate.cacheWrite === undefined) return null
    cost += usage.cacheWrite * rate.cacheWrite
  }
  return cost
}
