import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { environmentError } from '../errors.js'
import type { Price } from './price.js'
import { withOptional } from './price.js'

/** One entry of the LiteLLM-shaped table: `provider`, `*_cost_per_token` fields and limits. */
export type PriceTableEntry = Readonly<Record<string, number | string | undefined>>

/** A table key of the form `<base>-<date>`: one dated snapshot of `base`. */
export interface Snapshot {
  readonly key: string
  /** The snapshot date as 8 digits (`20241022`), so later dates compare greater as strings. */
  readonly date: string
  /** The entry's `provider` (upstream `litellm_provider`). */
  readonly provider: string
}

/** A price table indexed for resolution; build one with {@link priceTable}. */
export interface PriceTable {
  /** Entries by table key. */
  readonly entries: ReadonlyMap<string, PriceTableEntry>
  /** Dated snapshots by their undated base id (`gpt-4o` → `gpt-4o-2024-08-06`, ...). */
  readonly snapshots: ReadonlyMap<string, readonly Snapshot[]>
}

/** A trailing snapshot date: Anthropic's `-20241022` or OpenAI's `-2024-07-18`. */
const DATE_SUFFIX = /-(\d{8}|\d{4}-\d{2}-\d{2})$/

/** Splits `name-20241022` / `name-2024-10-22` into base and 8-digit date; else `undefined`. */
export function splitDated(id: string): { base: string; date: string } | undefined {
  const m = DATE_SUFFIX.exec(id)
  if (m === null) return undefined
  return { base: id.slice(0, m.index), date: m[0].replaceAll('-', '') }
}

/** Indexes table entries (keyed as in data/model-prices.json's `models`) for resolution. */
export function priceTable(models: Readonly<Record<string, PriceTableEntry>>): PriceTable {
  const entries = new Map(Object.entries(models))
  const snapshots = new Map<string, Snapshot[]>()
  for (const [key, entry] of entries) {
    const dated = splitDated(key)
    if (dated === undefined) continue
    const provider = typeof entry.provider === 'string' ? entry.provider : ''
    const list = snapshots.get(dated.base) ?? []
    list.push({ key, date: dated.date, provider })
    snapshots.set(dated.base, list)
  }
  return { entries, snapshots }
}

/** Read on first use: the vendored file does not change while the process runs. */
let vendored: PriceTable | undefined

/** The vendored LiteLLM price table (data/model-prices.json), read and indexed once. */
export function vendoredPriceTable(): PriceTable {
  vendored ??= priceTable(
    (
      JSON.parse(readFileSync(vendoredPricesFile(), 'utf8')) as {
        models: Record<string, PriceTableEntry>
      }
    ).models,
  )
  return vendored
}

/**
 * data/model-prices.json of the installed @shipgate/runtime. The package is resolved like an
 * import, so this works from the sources, the compiled package and the CLI's bundle (which
 * inlines this module, not the data).
 */
function vendoredPricesFile(): string {
  let manifest: string
  try {
    manifest = createRequire(import.meta.url).resolve('@shipgate/runtime/package.json')
  } catch (error) {
    throw environmentError(
      'cannot find the price table of @shipgate/runtime',
      'reinstall @shipgate/runtime: the table ships in its data/ folder',
      error,
    )
  }
  return join(dirname(manifest), 'data', 'model-prices.json')
}

/**
 * The price of a table entry; `undefined` when it lacks an input or output price. `batch` is
 * set when the entry has both `input_cost_per_token_batches` and `output_cost_per_token_batches`.
 */
export function priceOfEntry(entry: PriceTableEntry): Price | undefined {
  const num = (key: string) => (typeof entry[key] === 'number' ? entry[key] : undefined)
  const input = num('input_cost_per_token')
  const output = num('output_cost_per_token')
  if (input === undefined || output === undefined) return undefined
  const base = withOptional(
    { input, output },
    num('cache_read_input_token_cost'),
    num('cache_creation_input_token_cost'),
  )
  const batchInput = num('input_cost_per_token_batches')
  const batchOutput = num('output_cost_per_token_batches')
  const batch =
    batchInput === undefined || batchOutput === undefined
      ? undefined
      : { input: batchInput, output: batchOutput }
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
  return {
    ...base,
    ...(tiers.length === 0 ? {} : { tiers }),
    ...(batch === undefined ? {} : { batch }),
  }
}

function tierThresholds(entry: PriceTableEntry): number[] {
  const ks = new Set<number>()
  for (const key of Object.keys(entry)) {
    const match = /_above_(\d+)k_tokens$/.exec(key)
    if (match !== null) ks.add(Number(match[1]))
  }
  return [...ks].sort((a, b) => a - b)
}
