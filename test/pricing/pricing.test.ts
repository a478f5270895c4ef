import { describe, expect, it } from 'vitest'
import type { Usage } from '../../src/contracts/usage.js'
import {
  costOf,
  createPriceLookup,
  priceTable,
  resolvePricedModel,
} from '../../packages/runtime/src/pricing/index.js'

/** A usage record; `input` counts every prompt token, cached ones included. */
function usage(u: Partial<Usage>): Usage {
  return { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0, ...u }
}

/** The cost, checked to the cent as a report would print it and exactly to 12 digits. */
function expectDollars(cost: number | null, dollars: number): void {
  expect(cost).not.toBeNull()
  expect(cost?.toFixed(2)).toBe(dollars.toFixed(2))
  expect(cost).toBeCloseTo(dollars, 12)
}

const M = 1_000_000

describe('costOf with vendored prices', () => {
  const prices = createPriceLookup()
  const haiku = prices('anthropic', 'claude-3-5-haiku-20241022')
  const mini = prices('openai', 'gpt-4o-mini')

  // claude-3-5-haiku-20241022 (anthropic): $0.80 in, $4 out, $0.08 cache read, $1 cache write.
  it.each([
    ['input', usage({ input: M }), 0.8],
    ['output', usage({ output: M }), 4],
    ['cache read', usage({ input: M, cacheRead: M }), 0.08],
    ['cache write', usage({ input: M, cacheWrite: M }), 1],
  ])('prices claude-3-5-haiku-20241022 %s per million tokens', (_, u, dollars) => {
    expect(costOf(haiku, u)).toBeCloseTo(dollars, 12)
  })

  it('prices a claude-3-5-haiku-20241022 call with cache reads and writes', () => {
    // 1.5M uncached × 0.80 + 0.25M out × 4 + 1M read × 0.08 + 0.5M write × 1
    const u = usage({ input: 3 * M, output: M / 4, cacheRead: M, cacheWrite: M / 2 })
    expectDollars(costOf(haiku, u), 1.2 + 1 + 0.08 + 0.5)
  })

  // gpt-4o-mini (openai): $0.15 in, $0.60 out, $0.075 cache read, no cache write price.
  it.each([
    ['input', usage({ input: M }), 0.15],
    ['output', usage({ output: M }), 0.6],
    ['cache read', usage({ input: M, cacheRead: M }), 0.075],
  ])('prices gpt-4o-mini %s per million tokens', (_, u, dollars) => {
    expect(costOf(mini, u)).toBeCloseTo(dollars, 12)
  })

  it('prices a gpt-4o-mini call whose prompt tokens include cached ones', () => {
    // 1.2M uncached × 0.15 + 0.8M cached × 0.075 + 0.5M out × 0.60
    const u = usage({ input: 2 * M, output: M / 2, cacheRead: 0.8 * M })
    expectDollars(costOf(mini, u), 0.18 + 0.06 + 0.3)
  })

  it('bills a whole claude-sonnet-4-5 request above 200k input tokens at the long rate', () => {
    const sonnet = prices('anthropic', 'claude-sonnet-4-5')
    // At the threshold: 200k × $3 + 10k × $15.
    expectDollars(costOf(sonnet, usage({ input: 200_000, output: 10_000 })), 0.6 + 0.15)
    // One token more: every input token at $6, not only the excess.
    expect(costOf(sonnet, usage({ input: 200_001 }))).toBeCloseTo(200_001 * 6e-6, 12)
    // The threshold counts cached tokens: 150k uncached × $6 + 10k × $22.50 + 100k read × $0.60
    // + 50k write × $7.50.
    const cached = usage({ input: 300_000, output: 10_000, cacheRead: 100_000, cacheWrite: 50_000 })
    expectDollars(costOf(sonnet, cached), 0.9 + 0.225 + 0.06 + 0.375)
  })

  it('is unknown, not free, for cache tokens the model has no cache price for', () => {
    expect(costOf(mini, usage({ input: M, cacheWrite: 1 }))).toBeNull()
    const gpt4 = prices('openai', 'gpt-4')
    expect(costOf(gpt4, usage({ input: 1000, output: 1000 }))).toBeCloseTo(0.09, 12)
    expect(costOf(gpt4, usage({ input: 1000, output: 1000, cacheRead: 1 }))).toBeNull()
  })

  it('is unknown for an unknown model and for missing usage', () => {
    expect(prices('anthropic', 'claude-does-not-exist-9')).toBeUndefined()
    expect(costOf(prices('anthropic', 'claude-does-not-exist-9'), usage({ input: 1 }))).toBeNull()
    expect(costOf(haiku, null)).toBeNull()
  })

  it('treats an explicit zero price (ollama/*) as free', () => {
    expect(resolvePricedModel('ollama', 'llama3')).toBe('ollama/llama3')
    expect(costOf(prices('ollama', 'llama3'), usage({ input: M, output: M }))).toBe(0)
  })
})

describe('resolvePricedModel', () => {
  it.each([
    ['anthropic', 'claude-3-5-haiku-20241022', 'claude-3-5-haiku-20241022'],
    ['openai', 'gpt-4o-mini', 'gpt-4o-mini'],
    ['gemini', 'gemini-2.5-pro', 'gemini/gemini-2.5-pro'],
    ['mistral', 'mistral-large-latest', 'mistral/mistral-large-latest'],
  ])('finds %s %s as %s', (type, model, key) => {
    expect(resolvePricedModel(type, model)).toBe(key)
  })

  it.each([
    ['anthropic', 'anthropic.claude-3-5-haiku-20241022-v1:0'],
    ['anthropic', 'openrouter/anthropic/claude-3-5-haiku-20241022'],
    ['anthropic', 'vertex_ai/claude-3-5-haiku'],
    ['anthropic', 'openrouter/anthropic/claude-3-haiku'],
    ['anthropic', 'gpt-4o-mini'],
    ['openai', 'openrouter/openai/gpt-4o'],
    ['openai', 'openrouter/openai/gpt-4.1-mini-2099-01-01'],
    ['openai', 'claude-3-5-haiku-20241022'],
  ])('never prices a first-party %s call of %s by another host', (type, model) => {
    expect(resolvePricedModel(type, model)).toBeUndefined()
    expect(createPriceLookup()(type, model)).toBeUndefined()
  })

  it('lets a mock provider use any entry, at that entry’s price', () => {
    const key = 'openrouter/anthropic/claude-3-5-haiku-20241022'
    expect(resolvePricedModel('mock', key)).toBe(key)
    expect(createPriceLookup()('mock', key)).toEqual({ input: 1e-6, output: 5e-6 })
    const bedrock = 'anthropic.claude-3-5-haiku-20241022-v1:0'
    expect(resolvePricedModel('mock', bedrock)).toBe(bedrock)
    expect(resolvePricedModel('mock', 'claude-3-5-haiku-20241022')).toBe(
      'claude-3-5-haiku-20241022',
    )
  })

  it('keeps a dated id that is in the table, with its own price', () => {
    expect(resolvePricedModel('openai', 'gpt-4o-mini-2024-07-18')).toBe('gpt-4o-mini-2024-07-18')
    expect(resolvePricedModel('anthropic', 'claude-haiku-4-5-20251001')).toBe(
      'claude-haiku-4-5-20251001',
    )
    // gpt-4o-2024-05-13 costs $5/MTok in, gpt-4o $2.50: the snapshot's own price wins.
    expect(resolvePricedModel('openai', 'gpt-4o-2024-05-13')).toBe('gpt-4o-2024-05-13')
    expect(createPriceLookup()('openai', 'gpt-4o-2024-05-13')?.input).toBe(5e-6)
  })

  it.each([
    ['openai', 'gpt-4o-mini-2099-01-01', 'gpt-4o-mini'],
    ['anthropic', 'claude-sonnet-4-5-20991231', 'claude-sonnet-4-5'],
    ['mock', 'gpt-5-mini-2099-12-31', 'gpt-5-mini'],
  ])('prices unknown snapshot %s %s by its base %s', (type, model, key) => {
    expect(resolvePricedModel(type, model)).toBe(key)
  })

  it('leaves an unknown snapshot unpriced when its base is not in the table', () => {
    // claude-3-5-haiku is only an alias (-latest): a new snapshot is not guessed from it.
    expect(resolvePricedModel('anthropic', 'claude-3-5-haiku-20991231')).toBeUndefined()
  })

  it.each([
    ['anthropic', 'claude-3-5-haiku', 'claude-3-5-haiku-latest'],
    ['anthropic', 'claude-3-5-sonnet', 'claude-3-5-sonnet-latest'],
    ['openai', 'chatgpt-4o', 'chatgpt-4o-latest'],
    ['mistral', 'mistral-large', 'mistral/mistral-large-latest'],
    ['anthropic', 'claude-haiku-4-5', 'claude-haiku-4-5'],
    ['anthropic', 'claude-3-haiku', 'claude-3-haiku-20240307'],
    ['anthropic', 'claude-sonnet-4', 'claude-sonnet-4-20250514'],
    ['anthropic', 'claude-opus-4', 'claude-opus-4-20250514'],
    ['openai', 'ft:gpt-4o', 'ft:gpt-4o-2024-11-20'],
  ])('resolves alias %s %s to %s', (type, model, key) => {
    expect(resolvePricedModel(type, model)).toBe(key)
  })

  it('prices an alias at its -latest entry, not at a dated snapshot', () => {
    // In the table claude-3-5-haiku-latest is $1/$5, claude-3-5-haiku-20241022 $0.80/$4.
    const price = createPriceLookup()('anthropic', 'claude-3-5-haiku')
    expect(price).toMatchObject({ input: 1e-6, output: 5e-6 })
  })

  it('prices nothing for an undefined model', () => {
    expect(resolvePricedModel('openai', undefined)).toBeUndefined()
    expect(createPriceLookup()('openai', undefined)).toBeUndefined()
  })
})

describe('snapshot choice among several (given table)', () => {
  const entry = (provider: string, input: number) => ({
    provider,
    input_cost_per_token: input,
    output_cost_per_token: input,
  })
  const table = priceTable({
    'm-20240101': entry('anthropic', 1e-6),
    'm-2024-06-01': entry('anthropic', 2e-6),
    'm-20250101': entry('bedrock', 3e-6),
    'n-20240101': entry('openrouter', 4e-6),
    'n-20250101': entry('vertex_ai-anthropic_models', 5e-6),
    'd-20240101-latest': entry('anthropic', 6e-6),
  })

  it('takes the newest first-party snapshot, across date formats', () => {
    expect(resolvePricedModel('anthropic', 'm', {}, table)).toBe('m-2024-06-01')
    expect(createPriceLookup({}, table)('anthropic', 'm')?.input).toBe(2e-6)
  })

  it('prefers first-party snapshots for other types, then the newest of any host', () => {
    expect(resolvePricedModel('mock', 'm', {}, table)).toBe('m-2024-06-01')
    expect(resolvePricedModel('mock', 'n', {}, table)).toBe('n-20250101')
    expect(resolvePricedModel('anthropic', 'n', {}, table)).toBeUndefined()
  })

  it('does not treat a dated id as an alias', () => {
    expect(resolvePricedModel('anthropic', 'd-20240101', {}, table)).toBeUndefined()
    expect(resolvePricedModel('anthropic', 'd', {}, table)).toBeUndefined()
  })
})

describe('config overrides', () => {
  it('price a model by its exact id, in USD per million tokens', () => {
    const prices = createPriceLookup({ 'my-model': { input: 2, output: 10, cacheRead: 0.5 } })
    expect(prices('mock', 'my-model')).toEqual({ input: 2e-6, output: 1e-5, cacheRead: 5e-7 })
    const u = usage({ input: 2 * M, output: M, cacheRead: M })
    expectDollars(costOf(prices('mock', 'my-model'), u), 2 + 10 + 0.5)
    expect(
      resolvePricedModel('anthropic', 'my-model', { 'my-model': { input: 2, output: 10 } }),
    ).toBe('my-model')
  })

  it('win over the table entry of the same id, replacing it whole', () => {
    const prices = createPriceLookup({ 'gpt-4o-mini': { input: 1, output: 3 } })
    expectDollars(costOf(prices('openai', 'gpt-4o-mini'), usage({ input: M, output: M })), 4)
    // The override has no cache price, so the table's is not used either.
    expect(costOf(prices('openai', 'gpt-4o-mini'), usage({ input: M, cacheRead: 1 }))).toBeNull()
  })

  it('apply to the id a dated or aliased model resolves to', () => {
    const overrides = {
      'gpt-4o-mini': { input: 1, output: 3 },
      'claude-3-5-haiku-latest': { input: 0.8, output: 4 },
    }
    const prices = createPriceLookup(overrides)
    expect(resolvePricedModel('openai', 'gpt-4o-mini-2099-01-01', overrides)).toBe('gpt-4o-mini')
    expect(prices('openai', 'gpt-4o-mini-2099-01-01')).toEqual({ input: 1e-6, output: 3e-6 })
    const haiku = prices('anthropic', 'claude-3-5-haiku')
    expect(haiku).not.toHaveProperty('cacheRead')
    expectDollars(costOf(haiku, usage({ input: M, output: M })), 0.8 + 4)
  })

  it('by the exact id win over one by the resolved id', () => {
    const prices = createPriceLookup({
      'gpt-4o-mini-2099-01-01': { input: 7, output: 7 },
      'gpt-4o-mini': { input: 1, output: 3 },
    })
    expect(prices('openai', 'gpt-4o-mini-2099-01-01')).toEqual({ input: 7e-6, output: 7e-6 })
  })
})

describe('memoization', () => {
  it('returns the same price object for the same provider type and model', () => {
    const prices = createPriceLookup()
    const first = prices('anthropic', 'claude-3-5-haiku-20241022')
    expect(first).toBeDefined()
    expect(prices('anthropic', 'claude-3-5-haiku-20241022')).toBe(first)
    const override = createPriceLookup({ x: { input: 1, output: 1 } })
    expect(override('mock', 'x')).toBe(override('mock', 'x'))
  })

  it('keys the memo by provider type too', () => {
    const prices = createPriceLookup()
    expect(prices('anthropic', 'claude-3-5-haiku-20241022')).toBeDefined()
    expect(prices('openai', 'claude-3-5-haiku-20241022')).toBeUndefined()
    expect(prices('mock', 'claude-3-5-haiku-20241022')).toBeDefined()
  })

  it('keeps each lookup’s memo and overrides to itself', () => {
    const overridden = createPriceLookup({ 'gpt-4o-mini': { input: 1, output: 1 } })
    expect(overridden('openai', 'gpt-4o-mini')?.input).toBe(1e-6)
    expect(createPriceLookup()('openai', 'gpt-4o-mini')?.input).toBe(1.5e-7)
  })
})
