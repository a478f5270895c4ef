import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { configSchema } from '../../src/config/schema.js'
import type { Usage } from '../../src/contracts/usage.js'
import type { Price } from '../../packages/runtime/src/pricing/index.js'
import {
  batchPrice,
  costOf,
  createPriceLookup,
  vendoredPriceTable,
} from '../../packages/runtime/src/pricing/index.js'
import { priceOfEntry } from '../../packages/runtime/src/pricing/table.js'

/** A usage record; `input` counts every prompt token, cached ones included. */
function usage(u: Partial<Usage>): Usage {
  return { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0, ...u }
}

const M = 1_000_000

describe('priceOfEntry with batch fields', () => {
  it('sets batch from both *_cost_per_token_batches fields', () => {
    const price = priceOfEntry({
      provider: 'openai',
      input_cost_per_token: 2e-6,
      output_cost_per_token: 8e-6,
      cache_read_input_token_cost: 5e-7,
      input_cost_per_token_batches: 1e-6,
      output_cost_per_token_batches: 4e-6,
    })
    expect(price).toEqual({
      input: 2e-6,
      output: 8e-6,
      cacheRead: 5e-7,
      batch: { input: 1e-6, output: 4e-6 },
    })
  })

  it('leaves batch out when either field is missing or not a number', () => {
    const base = { provider: 'openai', input_cost_per_token: 2e-6, output_cost_per_token: 8e-6 }
    expect(priceOfEntry({ ...base, input_cost_per_token_batches: 1e-6 })).not.toHaveProperty(
      'batch',
    )
    expect(priceOfEntry({ ...base, output_cost_per_token_batches: 4e-6 })).not.toHaveProperty(
      'batch',
    )
    const text = {
      ...base,
      input_cost_per_token_batches: '1e-6',
      output_cost_per_token_batches: 4e-6,
    }
    expect(priceOfEntry(text)).not.toHaveProperty('batch')
  })

  it('does not read the batch fields as a long-context tier', () => {
    const price = priceOfEntry({
      input_cost_per_token: 3e-6,
      output_cost_per_token: 1.5e-5,
      input_cost_per_token_above_200k_tokens: 6e-6,
      input_cost_per_token_batches: 1.5e-6,
      output_cost_per_token_batches: 7.5e-6,
    })
    expect(price?.tiers?.map((t) => t.aboveTokens)).toEqual([200_000])
    expect(price?.tiers?.[0]).not.toHaveProperty('batch')
  })
})

describe('batchPrice', () => {
  const sonnetLike: Price = {
    input: 3e-6,
    output: 1.5e-5,
    cacheRead: 3e-7,
    cacheWrite: 3.75e-6,
    tiers: [
      { aboveTokens: 200_000, input: 6e-6, output: 2.25e-5, cacheRead: 6e-7, cacheWrite: 7.5e-6 },
    ],
  }

  it('halves every price, cache and tiers included, for anthropic and openai', () => {
    const half = {
      input: 1.5e-6,
      output: 7.5e-6,
      cacheRead: 1.5e-7,
      cacheWrite: 1.875e-6,
      tiers: [
        {
          aboveTokens: 200_000,
          input: 3e-6,
          output: 1.125e-5,
          cacheRead: 3e-7,
          cacheWrite: 3.75e-6,
        },
      ],
    }
    expect(batchPrice(sonnetLike, 'anthropic')).toEqual(half)
    expect(batchPrice(sonnetLike, 'openai')).toEqual(half)
  })

  it('keeps absent cache prices absent, so they stay unpriced', () => {
    const half = batchPrice({ input: 1e-5, output: 3e-5 }, 'openai')
    expect(half).toEqual({ input: 5e-6, output: 1.5e-5 })
    expect(costOf(half, usage({ input: M, cacheRead: 1 }))).toBeNull()
  })

  it('is undefined for provider types without a batch API', () => {
    for (const type of ['gemini', 'mistral', 'bedrock', 'openrouter', 'mock', 'http', 'exec']) {
      expect(batchPrice(sonnetLike, type)).toBeUndefined()
    }
  })

  it('uses the table batch prices and scales the rest by their ratios', () => {
    // Made-up batch prices that are not half, so the ratios are visible: input ×0.4, output ×0.6.
    const price: Price = { ...sonnetLike, batch: { input: 1.2e-6, output: 9e-6 } }
    const batched = batchPrice(price, 'anthropic')
    expect(batched?.input).toBe(1.2e-6)
    expect(batched?.output).toBe(9e-6)
    expect(batched?.cacheRead).toBeCloseTo(1.2e-7, 18)
    expect(batched?.cacheWrite).toBeCloseTo(1.5e-6, 18)
    expect(batched?.tiers?.[0]?.aboveTokens).toBe(200_000)
    expect(batched?.tiers?.[0]?.input).toBeCloseTo(2.4e-6, 18)
    expect(batched?.tiers?.[0]?.output).toBeCloseTo(1.35e-5, 18)
    expect(batched?.tiers?.[0]?.cacheRead).toBeCloseTo(2.4e-7, 18)
    expect(batched?.tiers?.[0]?.cacheWrite).toBeCloseTo(3e-6, 18)
    expect(batched).not.toHaveProperty('batch')
  })

  it('uses batch prices for any provider type that has them', () => {
    const price: Price = {
      input: 1.5e-5,
      output: 7.5e-5,
      batch: { input: 7.5e-6, output: 3.75e-5 },
    }
    expect(batchPrice(price, 'vertex')).toEqual({ input: 7.5e-6, output: 3.75e-5 })
  })

  it('keeps a free model free', () => {
    const free: Price = { input: 0, output: 0, cacheRead: 0, batch: { input: 0, output: 0 } }
    expect(batchPrice(free, 'openai')).toEqual({ input: 0, output: 0, cacheRead: 0 })
    expect(batchPrice({ input: 0, output: 0 }, 'anthropic')).toEqual({ input: 0, output: 0 })
  })

  it('prices a vendored gpt-4o batch call at half the live cost, cache reads included', () => {
    const live = createPriceLookup()('openai', 'gpt-4o')
    expect(live?.batch).toEqual({ input: 1.25e-6, output: 5e-6 })
    const batched = live === undefined ? undefined : batchPrice(live, 'openai')
    // 0.6M uncached × $1.25 + 0.4M read × $0.625 + 0.5M out × $5
    const u = usage({ input: M, cacheRead: 0.4 * M, output: M / 2 })
    expect(costOf(batched, u)).toBeCloseTo(0.75 + 0.25 + 2.5, 12)
    expect(costOf(batched, u)).toBeCloseTo((costOf(live, u) ?? Number.NaN) / 2, 12)
  })

  it('halves a vendored claude call, long-context tier included', () => {
    const live = createPriceLookup()('anthropic', 'claude-sonnet-4-5')
    expect(live?.batch).toBeUndefined()
    const batched = live === undefined ? undefined : batchPrice(live, 'anthropic')
    // Above 200k input tokens: 300k × $3 + 10k × $11.25 (half of $6 and $22.50).
    expect(costOf(batched, usage({ input: 300_000, output: 10_000 }))).toBeCloseTo(0.9 + 0.1125, 12)
  })
})

describe('config overrides with batch prices', () => {
  it('map batch in USD per million tokens and drive batchPrice', () => {
    const prices = createPriceLookup({
      'my-model': { input: 2, output: 10, cacheRead: 0.5, batch: { input: 1.5, output: 6 } },
    })
    const price = prices('mock', 'my-model')
    expect(price).toEqual({
      input: 2e-6,
      output: 1e-5,
      cacheRead: 5e-7,
      batch: { input: 1.5e-6, output: 6e-6 },
    })
    const batched = price === undefined ? undefined : batchPrice(price, 'mock')
    expect(batched?.input).toBe(1.5e-6)
    expect(batched?.output).toBe(6e-6)
    expect(batched?.cacheRead).toBeCloseTo(3.75e-7, 18)
  })

  it('are read from shipgate.yaml’s pricing: section and checked there', () => {
    const config = (pricing: unknown) =>
      configSchema.safeParse({ version: 1, providers: {}, suites: {}, pricing })
    const parsed = config({ 'gpt-4o': { input: 2.5, output: 10, batch: { input: 1, output: 4 } } })
    expect(parsed.success).toBe(true)
    const price = createPriceLookup(parsed.data?.pricing)('openai', 'gpt-4o')
    expect(price?.batch).toEqual({ input: 1e-6, output: 4e-6 })
    expect(config({ m: { input: 1, output: 1, batch: { input: 1 } } }).success).toBe(false)
    expect(config({ m: { input: 1, output: 1, batch: { input: -1, output: 1 } } }).success).toBe(
      false,
    )
    expect(
      config({ m: { input: 1, output: 1, batch: { input: 1, output: 1, cacheRead: 1 } } }).success,
    ).toBe(false)
  })

  it('without batch, leave the provider rule in charge', () => {
    const price = createPriceLookup({ 'my-model': { input: 2, output: 10 } })('mock', 'my-model')
    expect(price).not.toHaveProperty('batch')
    expect(price === undefined ? 'none' : batchPrice(price, 'mock')).toBeUndefined()
  })
})

describe('the vendored table’s batch prices', () => {
  const table = vendoredPriceTable()
  const withBatch = [...table.entries].filter(
    ([, e]) =>
      typeof e.input_cost_per_token_batches === 'number' &&
      typeof e.output_cost_per_token_batches === 'number',
  )

  it('are in 35 entries: 31 openai, 4 vertex_ai-anthropic_models, none anthropic', () => {
    const byProvider: Record<string, number> = {}
    for (const [, e] of withBatch) {
      const provider = String(e.provider)
      byProvider[provider] = (byProvider[provider] ?? 0) + 1
    }
    expect(byProvider).toEqual({ openai: 31, 'vertex_ai-anthropic_models': 4 })
    expect(withBatch.length).toBe(35)
  })

  it('are never above the standard prices, and are exactly half of them at this commit', () => {
    for (const [key, entry] of withBatch) {
      const price = priceOfEntry(entry)
      expect(price?.batch, key).toBeDefined()
      if (price?.batch === undefined) continue
      expect(price.batch.input, key).toBeLessThanOrEqual(price.input)
      expect(price.batch.output, key).toBeLessThanOrEqual(price.output)
      expect(price.batch.input * 2, key).toBe(price.input)
      expect(price.batch.output * 2, key).toBe(price.output)
    }
  })

  it('come with no other *_batches field than the two read', () => {
    const raw = JSON.parse(
      readFileSync(
        new URL('../../packages/runtime/data/model-prices.json', import.meta.url),
        'utf8',
      ),
    ) as { models: Record<string, Record<string, unknown>> }
    const fields = new Set(
      Object.values(raw.models).flatMap((e) => Object.keys(e).filter((k) => k.includes('batch'))),
    )
    expect([...fields].sort()).toEqual([
      'input_cost_per_token_batches',
      'output_cost_per_token_batches',
    ])
  })
})
