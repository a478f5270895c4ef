import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { packageRoot } from '../utils/package.js'
import type { Usage } from '../contracts/usage.js'
import { uncachedInput } from '../contracts/usage.js'

/** Per-token USD prices of one model; an absent field means that part is unpriced. */
export interface Price {
  readonly input: number
  readonly output: number
  readonly cacheRead?: number
  readonly cacheWrite?: number
  /** Long-context rates: used for the whole request when its input exceeds `aboveTokens`. */
  readonly tiers?: readonly (Omit<Price, 'tiers'> & { readonly aboveTokens: number })[]
}

/** A price written in config, in USD per million tokens. */
export interface PriceOverride {
  readonly input: number
  readonly output: number
  readonly cacheRead?: number
  readonly cacheWrite?: number
}

/** Looks up prices by provider type and model; `undefined` for an unpriced model. */
export type PriceLookup = (providerType: string, model: string | undefined) => Price | undefined

type TableEntry = Record<string, number | string | undefined>

let table: Readonly<Record<string, TableEntry>> | undefined

/** The vendored LiteLLM price table (data/model-prices.json), read once. */
function vendoredTable(): Readonly<Record<string, TableEntry>> {
  table ??= (
    JSON.parse(readFileSync(join(packageRoot(), 'data', 'model-prices.json'), 'utf8')) as {
      models: Record<string, TableEntry>
    }
  ).models
  return table
}

/**
 * Prices from config overrides first (by model id), then the vendored table: the model id as
 * given, then prefixed with the provider type (`gemini/...`).
 */
export function createPriceLookup(
  overrides: Readonly<Record<string, PriceOverride>> = {},
): PriceLookup {
  const cache = new Map<string, Price | undefined>()
  const find = (providerType: string, model: string): Price | undefined => {
    const override = Object.hasOwn(overrides, model) ? overrides[model] : undefined
    if (override !== undefined) return fromOverride(override)
    const models = vendoredTable()
    const key = [model, `${providerType}/${model}`].find((k) => Object.hasOwn(models, k))
    return key === undefined ? undefined : fromTable(models[key] as TableEntry)
  }
  return (providerType, model) => {
    if (model === undefined) return undefined
    const key = `${providerType}\u0000${model}`
    if (!cache.has(key)) cache.set(key, find(providerType, model))
    return cache.get(key)
  }
}

function fromOverride(o: PriceOverride): Price {
  const perToken = (v: number | undefined) => (v === undefined ? undefined : v / 1e6)
  return withOptional(
    { input: o.input / 1e6, output: o.output / 1e6 },
    perToken(o.cacheRead),
    perToken(o.cacheWrite),
  )
}

function fromTable(entry: TableEntry): Price | undefined {
  const num = (key: string) => (typeof entry[key] === 'number' ? entry[key] : undefined)
  const input = num('input_cost_per_token')
  const output = num('output_cost_per_token')
  if (input === undefined || output === undefined) return undefined
  const base = withOptional(
    { input, output },
    num('cache_read_input_token_cost'),
    num('cache_creation_input_token_cost'),
  )
  const tiers = tierThresholds(entry).map((k) => ({
    aboveTokens: k * 1000,
    ...withOptional(
      {
        input: num(`input_cost_per_token_above_${k}k_tokens`) ?? input,
        output: num(`output_cost_per_token_above_${k}k_tokens`) ?? output,
      },
      num(`cache_read_input_token_cost_above_${k}k_tokens`) ?? base.cacheRead,
      num(`cache_creation_input_token_cost_above_${k}k_tokens`) ?? base.cacheWrite,
    ),
  }))
  return tiers.length === 0 ? base : { ...base, tiers }
}

function tierThresholds(entry: TableEntry): number[] {
  const ks = new Set<number>()
  for (const key of Object.keys(entry)) {
    const match = /_above_(\d+)k_tokens$/.exec(key)
    if (match !== null) ks.add(Number(match[1]))
  }
  return [...ks].sort((a, b) => a - b)
}

function withOptional(
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
  const tier = [...(price.tiers ?? [])].reverse().find((t) => usage.input > t.aboveTokens)
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
