import type { Price } from './price.js'

/** Provider types whose batch APIs bill every token price at half the standard rate. */
const HALF_PRICE_BATCH = new Set(['anthropic', 'openai'])

/**
 * The price of the same call made through the provider's batch API, or `undefined` when the
 * provider type has no batch API that shipgate prices.
 *
 * - With `price.batch` (the table's `*_cost_per_token_batches`, or a config override's
 *   `batch`), input and output are the batch prices; cache prices and long-context tiers are
 *   scaled by the same ratios: `batch.input / input` for every input-side price (cache reads
 *   and writes included), `batch.output / output` for output.
 * - Without it, for `openai` and `anthropic` every price is exactly half: both vendors bill
 *   batch requests at 50% of all token prices, and prompt-caching discounts stack on top.
 * - Otherwise `undefined`.
 *
 * The result describes batch billing itself, so it carries no `batch` field of its own.
 */
export function batchPrice(price: Price, providerType: string): Price | undefined {
  if (price.batch !== undefined) {
    return scaled(
      price,
      ratio(price.batch.input, price.input),
      ratio(price.batch.output, price.output),
      price.batch,
    )
  }
  return HALF_PRICE_BATCH.has(providerType) ? scaled(price, 0.5, 0.5) : undefined
}

/** `batched / standard`; 1 for a free standard price, whose scaled fields stay as they are. */
function ratio(batched: number, standard: number): number {
  return standard === 0 ? 1 : batched / standard
}

type Rates = Omit<Price, 'tiers' | 'batch'>

/** Every price of `price` times `inRatio` (input side) or `outRatio` (output side). */
function scaled(
  price: Price,
  inRatio: number,
  outRatio: number,
  exact?: { readonly input: number; readonly output: number },
): Price {
  const base = scaledRates(price, inRatio, outRatio)
  const rates = exact === undefined ? base : { ...base, input: exact.input, output: exact.output }
  if (price.tiers === undefined) return rates
  const tiers = price.tiers.map((t) => ({
    aboveTokens: t.aboveTokens,
    ...scaledRates(t, inRatio, outRatio),
  }))
  return { ...rates, tiers }
}

function scaledRates(rates: Rates, inRatio: number, outRatio: number): Rates {
  return {
    input: rates.input * inRatio,
    output: rates.output * outRatio,
    ...(rates.cacheRead === undefined ? {} : { cacheRead: rates.cacheRead * inRatio }),
    ...(rates.cacheWrite === undefined ? {} : { cacheWrite: rates.cacheWrite * inRatio }),
  }
}
