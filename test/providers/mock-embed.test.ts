import { describe, expect, it } from 'vitest'
import type { Clock } from '../../src/contracts/clock.js'
import type { EmbeddingSuccess, Provider } from '../../src/contracts/provider.js'
import { silentLogger } from '../../src/logger.js'
import { MOCK_DIMENSIONS, hashedEmbedding } from '../../src/providers/mock/embed.js'
import { mockProvider } from '../../src/providers/mock/index.js'
import { mockOptions } from '../../src/providers/mock/schema.js'
import { systemClock } from '../../src/utils/clock.js'
import { FakeClock } from '../helpers/clock.js'

function mock(options: Record<string, unknown> = {}, clock: Clock = systemClock): Provider {
  return mockProvider.create(mockOptions.parse({ type: 'mock', ...options }), {
    name: 'fake',
    baseDir: '.',
    env: {},
    clock,
    logger: silentLogger,
    fetch: () => Promise.reject(new Error('the mock provider makes no HTTP calls')),
    offline: false,
  })
}

const signal = () => new AbortController().signal

/** The provider's `embed`, which the mock must have. */
function embedder(provider: Provider) {
  const { embed } = provider
  if (embed === undefined) throw new Error('the mock provider has no embed')
  return (texts: readonly string[], s = signal()) => embed.call(provider, texts, { signal: s })
}

async function embed(provider: Provider, texts: readonly string[]): Promise<EmbeddingSuccess> {
  const result = await embedder(provider)(texts)
  if (!result.ok) throw new Error(`expected vectors, got ${result.error.message}`)
  return result
}

const cosine = (a: readonly number[] = [], b: readonly number[] = []) =>
  a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0)

describe('mock provider: embeddings', () => {
  it('gives one normalised 256-number vector per text, in order', async () => {
    const texts = ['the cat sat on the mat', 'quarterly revenue grew', 'x']
    const { vectors } = await embed(mock(), texts)
    expect(vectors).toHaveLength(3)
    for (const vector of vectors) {
      expect(vector).toHaveLength(MOCK_DIMENSIONS)
      expect(cosine(vector, vector)).toBeCloseTo(1, 12)
    }
    expect(vectors).toEqual(texts.map(hashedEmbedding))
  })

  it('is deterministic across instances, ignoring case and punctuation', async () => {
    const first = await embed(mock(), ['Refund policy: 30 days.'])
    const second = await embed(mock({ seed: 99 }), ['refund POLICY 30 days'])
    expect(first.vectors).toEqual(second.vectors)
    expect(cosine(first.vectors[0], second.vectors[0])).toBeCloseTo(1, 12)
  })

  it('scores texts sharing words above unrelated ones', async () => {
    const { vectors } = await embed(mock(), [
      'how do I reset my password',
      'reset your password from the login page',
      'the weather in paris is sunny',
    ])
    const related = cosine(vectors[0], vectors[1])
    const unrelated = cosine(vectors[0], vectors[2])
    expect(related).toBeGreaterThan(0.3)
    expect(related).toBeGreaterThan(unrelated + 0.2)
  })

  it('gives the zero vector for a text without words', async () => {
    const { vectors } = await embed(mock(), ['', '  ...  '])
    expect(vectors.every((v) => v.length === MOCK_DIMENSIONS && v.every((x) => x === 0))).toBe(true)
  })

  it('estimates usage at 4 characters a token and names its model, or its config name', async () => {
    const named = await embed(mock({ model: 'tiny-embed' }), ['abcdef', 'ghi'])
    expect(named).toMatchObject({ cached: false, model: 'tiny-embed' })
    expect(named.usage).toEqual({ input: 3, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 })
    expect((await embed(mock(), ['a'])).model).toBe('fake')
  })

  it('waits the latency option on the clock and reports it', async () => {
    const clock = new FakeClock()
    const result = await clock.run(embedder(mock({ latencyMs: 120 }, clock))(['a b']))
    expect(result).toMatchObject({ ok: true, latencyMs: 120 })
  })

  it('counts embed calls with completions for failure injection', async () => {
    const provider = mock({ failures: [{ every: 2, kind: 'rate_limited', retryAfterMs: 50 }] })
    const complete = await provider.complete(
      { messages: [{ role: 'user', content: 'hi' }], vars: {} },
      { signal: signal() },
    )
    expect(complete.ok).toBe(true)
    expect(await embedder(provider)(['hi'])).toMatchObject({
      ok: false,
      error: {
        kind: 'rate_limited',
        retryable: true,
        retryAfterMs: 50,
        message: 'injected rate_limited failure on call 2',
      },
    })
    expect((await embedder(provider)(['hi'])).ok).toBe(true)
  })

  it('fails as aborted when its signal already aborted', async () => {
    const controller = new AbortController()
    controller.abort()
    expect(await embedder(mock())(['hi'], controller.signal)).toMatchObject({
      ok: false,
      error: { kind: 'unknown', message: 'call aborted' },
    })
  })
})

describe('mock provider: structured requests', () => {
  it('ignores the schema: the scripted reply decides the text', async () => {
    const provider = mock({ responses: [{ match: 'grade', output: { pass: true } }] })
    const result = await provider.complete(
      {
        messages: [{ role: 'user', content: 'grade this' }],
        vars: {},
        structured: { name: 'verdict', description: 'd', schema: { type: 'object' } },
      },
      { signal: signal() },
    )
    expect(result).toMatchObject({ ok: true, output: '{"pass":true}' })
  })
})
