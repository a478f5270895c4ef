import OpenAI, { AuthenticationError, RateLimitError } from 'openai'
import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_DIMENSIONS, bagOfWords } from './openai-embeddings.js'
import { startFakeOpenAI } from './openai.js'
import type { FakeOpenAIOptions } from './openai.js'
import type { FakeServer } from './server.js'

const servers: FakeServer[] = []

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

async function setup(options?: FakeOpenAIOptions) {
  const server = await startFakeOpenAI(options)
  servers.push(server)
  const client = new OpenAI({ apiKey: 'sk-test', baseURL: `${server.url}/v1`, maxRetries: 0 })
  return { server, client }
}

describe('fake OpenAI embeddings', () => {
  const cosine = (a: readonly number[], b: readonly number[]) =>
    a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0)

  it('answers one normalised vector per text, in order, with estimated usage', async () => {
    const { client, server } = await setup()
    const input = ['the cat sat', 'a dog barked', 'The cat sat!']
    const result = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input,
      encoding_format: 'float',
    })
    expect(result.object).toBe('list')
    expect(result.model).toBe('text-embedding-3-small')
    expect(result.data.map((d) => [d.object, d.index])).toEqual([
      ['embedding', 0],
      ['embedding', 1],
      ['embedding', 2],
    ])
    const [cat, dog, catAgain] = result.data.map((d) => d.embedding)
    expect(cat).toHaveLength(DEFAULT_DIMENSIONS)
    expect(cosine(cat ?? [], cat ?? [])).toBeCloseTo(1, 12)
    expect(cosine(cat ?? [], catAgain ?? [])).toBeCloseTo(1, 12) // case and punctuation ignored
    expect(cat).toEqual(bagOfWords('the cat sat', DEFAULT_DIMENSIONS))
    expect(dog).not.toEqual(cat)
    const chars = input.join('').length
    expect(result.usage).toEqual({
      prompt_tokens: Math.ceil(chars / 4),
      total_tokens: Math.ceil(chars / 4),
    })
    expect(server.requests[0]).toMatchObject({ method: 'POST', path: '/v1/embeddings' })
  })

  it('sends base64 floats when the SDK asks for its default, which the SDK decodes', async () => {
    const vectors = [[0.5, -0.25, 0.125]]
    const { client, server } = await setup({ embed: () => vectors })
    const result = await client.embeddings.create({ model: 'm', input: 'hi' })
    expect((server.requests[0]?.body as { encoding_format?: string }).encoding_format).toBe(
      'base64',
    )
    expect(Array.from(result.data[0]?.embedding ?? [])).toEqual(vectors[0])
  })

  it('lets embed() choose vectors, see the texts, wait and fail with retry-after', async () => {
    const { client } = await setup({
      embed: ({ texts, attempt }) =>
        attempt === 1
          ? { kind: 'error', status: 429, retryAfter: 2 }
          : { kind: 'vectors', vectors: texts.map((t) => [t.length]), delayMs: 120 },
    })
    const body = { model: 'm', input: ['ab', 'abc'], encoding_format: 'float' as const }
    const error = await client.embeddings.create(body).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RateLimitError)
    expect((error as RateLimitError).headers.get('retry-after')).toBe('2')
    const started = performance.now()
    const result = await client.embeddings.create(body)
    expect(performance.now() - started).toBeGreaterThanOrEqual(110)
    expect(result.data.map((d) => d.embedding)).toEqual([[2], [3]])
  })

  it('honours dimensions for the default vectors and answers 401 through embed()', async () => {
    const { client } = await setup({
      embed: ({ body }) => (body.model === 'denied' ? { kind: 'error', status: 401 } : undefined),
    })
    const float = { encoding_format: 'float' as const }
    const ok = await client.embeddings.create({ model: 'm', input: 'x y', dimensions: 4, ...float })
    expect(ok.data[0]?.embedding).toEqual(bagOfWords('x y', 4))
    const error = await client.embeddings
      .create({ model: 'denied', input: 'x', ...float })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthenticationError)
  })

  it('answers an invalid body with a 400 in the OpenAI error shape', async () => {
    const { server } = await setup()
    const post = (body: unknown) =>
      fetch(`${server.url}/v1/embeddings`, { method: 'POST', body: JSON.stringify(body) })
    const bodies = [
      { input: 'x' },
      { model: 'm' },
      { model: 'm', input: '' },
      { model: 'm', input: [] },
      { model: 'm', input: ['ok', ''] },
      { model: 'm', input: [1, 2, 3] },
      { model: 'm', input: 'x', encoding_format: 'int8' },
      { model: 'm', input: 'x', dimensions: 0 },
    ]
    for (const body of bodies) {
      const response = await post(body)
      expect(response.status, JSON.stringify(body)).toBe(400)
      expect(await response.json()).toMatchObject({ error: { type: 'invalid_request_error' } })
    }
  })
})
