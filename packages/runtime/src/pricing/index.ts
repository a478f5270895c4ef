import type { Price, PriceOverrides } from './price.js'
import { priceFromOverride } from './price.js'
import { resolvePricedModel } from './resolve.js'
import type { PriceTable } from './table.js'
import { priceOfEntry, vendoredPriceTable } from './table.js'

export { batchPrice } from './batch.js'
export type { Price, PriceOverride, PriceOverrides } from './price.js'
export { costOf } from './price.js'
export { resolvePricedModel } from './resolve.js'
export type { PriceTable, PriceTableEntry, Snapshot } from './table.js'
export { priceTable, vendoredPriceTable } from './table.js'

/** Looks up prices by provider type and model; `undefined` for an unpriced model. */
export type PriceLookup = (providerType: string, model: string | undefined) => Price | undefined

/**
 * A memoized price lookup: the id chosen by {@link resolvePricedModel}, priced by the override
 * keyed by that id if any (USD per million tokens), else by its table entry. Each
 * (provider type, model) is resolved once per lookup and then returns the same object.
 * `table` defaults to the vendored table, read on the first lookup.
 */
export function createPriceLookup(overrides: PriceOverrides = {}, table?: PriceTable): PriceLookup {
  const cache = new Map<string, Price | undefined>()
  const find = (providerType: string, model: string): Price | undefined => {
    const prices = table ?? vendoredPriceTable()
    const id = resolvePricedModel(providerType, model, overrides, prices)
    if (id === undefined) return undefined
    const override = Object.hasOwn(overrides, id) ? overrides[id] : undefined
    if (override !== undefined) return priceFromOverride(override)
    const entry = prices.entries.get(id)
    return entry === undefined ? undefined : priceOfEntry(entry)
  }
  return (providerType, model) => {
    if (model === undefined) return undefined
    const key = `${providerType}\u0000${model}`
    if (!cache.has(key)) cache.set(key, find(providerType, model))
    return cache.get(key)
  }
}
