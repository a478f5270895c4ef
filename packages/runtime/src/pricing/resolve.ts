import type { PriceOverrides } from './price.js'
import type { PriceTable, Snapshot } from './table.js'
import { splitDated, vendoredPriceTable } from './table.js'

/**
 * Provider types that call a first-party API and so may only be priced by entries of their own
 * `provider`: a Bedrock, Vertex or OpenRouter price is wrong for a direct API call.
 */
const FIRST_PARTY = new Set(['anthropic', 'openai'])

/**
 * The model id whose price applies to a call of `model` through a `providerType` provider: an
 * override id or a table key, or `undefined` when unpriced. The first rule that hits wins:
 *
 * 1. an override for `model` itself;
 * 2. the table key `model`, when its provider suits the type: `anthropic` and `openai` accept
 *    only their own entries, any other type (`mock`, ...) accepts every entry;
 * 3. the table key `${providerType}/${model}` (`gemini/...`, `mistral/...`, `ollama/...`);
 * 4. for an id ending in a date (`-20241022`, `-2024-07-18`), its undated base by rules 2–3;
 *    a base that is not priced leaves the snapshot unpriced rather than guessed;
 * 5. for an undated id, `${model}-latest` by rules 2–3, else its dated snapshots in the table
 *    (`${model}-<date>`, or `${providerType}/${model}-<date>`) of a suitable provider:
 *    first-party (`anthropic`/`openai`) entries first, then the newest date, because an
 *    undated alias at the provider points at its newest snapshot.
 *
 * An override keyed by the resolved id then replaces that entry's price (see
 * `createPriceLookup`). Not memoized: `createPriceLookup` memoizes the prices.
 */
export function resolvePricedModel(
  providerType: string,
  model: string | undefined,
  overrides: PriceOverrides = {},
  table: PriceTable = vendoredPriceTable(),
): string | undefined {
  if (model === undefined) return undefined
  if (Object.hasOwn(overrides, model)) return model
  return (
    direct(table, providerType, model) ??
    undated(table, providerType, model) ??
    alias(table, providerType, model)
  )
}

function accepts(providerType: string, provider: unknown): boolean {
  return !FIRST_PARTY.has(providerType) || provider === providerType
}

/** Rules 2–3: the id itself for a suitable provider, else prefixed with the provider type. */
function direct(table: PriceTable, providerType: string, id: string): string | undefined {
  const entry = table.entries.get(id)
  if (entry !== undefined && accepts(providerType, entry.provider)) return id
  const prefixed = `${providerType}/${id}`
  return table.entries.has(prefixed) ? prefixed : undefined
}

/** Rule 4: a dated id priced by its undated base. */
function undated(table: PriceTable, providerType: string, model: string): string | undefined {
  const dated = splitDated(model)
  return dated === undefined ? undefined : direct(table, providerType, dated.base)
}

/** Rule 5: an undated id priced by its `-latest` alias, else by its preferred snapshot. */
function alias(table: PriceTable, providerType: string, model: string): string | undefined {
  if (splitDated(model) !== undefined) return undefined
  return direct(table, providerType, `${model}-latest`) ?? snapshot(table, providerType, model)
}

function snapshot(table: PriceTable, providerType: string, model: string): string | undefined {
  const own = (table.snapshots.get(model) ?? []).filter((s) => accepts(providerType, s.provider))
  const prefixed = table.snapshots.get(`${providerType}/${model}`) ?? []
  return [...own, ...prefixed].sort(preferred)[0]?.key
}

/** First-party entries first, then the newest date. */
function preferred(a: Snapshot, b: Snapshot): number {
  const firstParty = (s: Snapshot) => (FIRST_PARTY.has(s.provider) ? 0 : 1)
  return firstParty(a) - firstParty(b) || b.date.localeCompare(a.date)
}
