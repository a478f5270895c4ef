import { describe, expect, it } from 'vitest'
import { createCassetteFetch } from '../../src/cassettes/fetch.js'
import { CassetteFiles } from '../../src/cassettes/files.js'
import type { CassetteMode } from '../../src/cassettes/types.js'
import type { Provider } from '../../src/contracts/provider.js'
import { builtinProviders } from '../../src/providers/index.js'
import { openaiProvider } from '../../src/providers/openai/index.js'
import { openaiOptions } from '../../src/providers/openai/schema.js'
import { systemClock } from '../../src/utils/clock.js'
import { bagOfWords, DEFAULT_DIMENSIONS } from '../fakes/openai-embeddings.js'
import { tempProject } from '../helpers/project.js'
import { KEYS, anthropicAgainst, openaiAgainst, providerContext, signal } from './sdk-setup.js'

/* The openai provider's `embed` through the official SDK against the fake, and through cassettes. */

const TEXTS = ['the refund window is 30 days', 'refunds take 30 days', 'ship it on friday']

function embedOf(provider: Provider) {
  const { embed } = provider
  if (embed === undefined) throw new Error(`${provider.id} has no embed`)
  return (texts: readonly string[]) => embed.call(provider, texts, { signal: signal() })
}

describe('openai provider: embed', () => {
  it('sends the texts to /v1/embeddings as floats and gives vectors, usage and model', async () => {
    const { fake, provider } = await openaiAgainst({}, { embeddingModel: 'text-embedding-3-large' })
    const result = await embedOf(provider)(TEXTS)
    expect(result).toMatchObject({ ok: true, cached: false, model: 'text-embedding-3-large' })
    if (!result.ok) return
    expect(result.vectors).toEqual(TEXTS.map((t) => bagOfWords(t, DEFAULT_DIMENSIONS)))
    const tokens = Math.ceil(TEXTS.join('').length / 4)
    expect(result.usage).toEqual({
      input: tokens,
      output: 0,
      cacheRead: 0,
      cacheWrite: 0,
      reasoning: 0,
    })
    expect(result.latencyMs).toBeGreaterThanOrEqual(0)
    expect(fake.requests).toHaveLength(1)
    expect(fake.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/embeddings',
      body: { model: 'text-embedding-3-large', input: TEXTS, encoding_format: 'float' },
    })
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer sk-test')
  })

  it('defaults to text-embedding-3-small', async () => {
    const { fake, provider } = await openaiAgainst({})
    expect(await embedOf(provider)(['x'])).toMatchObject({ model: 'text-embedding-3-small' })
    expect((fake.requests[0]?.body as { model?: string }).model).toBe('text-embedding-3-small')
  })

  it('orders the vectors by index, whatever order the server lists them in', async () => {
    // context.fetch is the one seam between the SDK and the network: reverse the list there.
    const reversing: typeof fetch = async (input, init) => {
      const response = await fetch(input, init)
      const body = (await response.json()) as { data: unknown[] }
      return Response.json({ ...body, data: body.data.reverse() }, { headers: response.headers })
    }
    const context = providerContext(KEYS, { fetch: reversing })
    const { provider } = await openaiAgainst(
      { embed: ({ texts }) => texts.map((_, i) => [i, i * 2]) },
      {},
      context,
    )
    const result = await embedOf(provider)(['a', 'b', 'c'])
    expect(result.ok && result.vectors).toEqual([
      [0, 0],
      [1, 2],
      [2, 4],
    ])
  })

  it('fails, rather than misaligning, when the server gives the wrong number of vectors', async () => {
    const { provider } = await openaiAgainst({ embed: () => [[1, 0]] })
    expect(await embedOf(provider)(['a', 'b'])).toMatchObject({
      ok: false,
      error: { kind: 'unknown', message: 'asked for 2 embeddings, got 1' },
    })
  })

  it('asks nothing for no texts', async () => {
    const { fake, provider } = await openaiAgainst({})
    expect(await embedOf(provider)([])).toMatchObject({ ok: true, vectors: [], usage: null })
    expect(fake.requests).toHaveLength(0)
  })

  it('classifies a 429 with retry-after as rate_limited, a 401 as auth naming the key', async () => {
    const rate = await openaiAgainst({
      embed: () => ({ kind: 'error', status: 429, retryAfter: 2 }),
    })
    expect(await embedOf(rate.provider)(['a'])).toMatchObject({
      ok: false,
      error: { kind: 'rate_limited', retryable: true, retryAfterMs: 2000, status: 429 },
    })
    const auth = await openaiAgainst({ embed: () => ({ kind: 'error', status: 401 }) })
    const failed = await embedOf(auth.provider)(['a'])
    expect(failed).toMatchObject({
      ok: false,
      error: { kind: 'auth', retryable: false, hint: 'check the key in OPENAI_API_KEY' },
    })
    expect(failed.ok ? undefined : failed.latencyMs).toBeGreaterThanOrEqual(0)
  })

  it('sends no key to a keyless server, and names none when it refuses', async () => {
    const { fake, provider } = await openaiAgainst(
      { embed: () => ({ kind: 'error', status: 401 }) },
      { noApiKey: true },
      providerContext({}),
    )
    const result = await embedOf(provider)(['a'])
    expect(result).toMatchObject({ ok: false, error: { kind: 'auth' } })
    expect(result.ok ? 'ok' : result.error.hint).toBeUndefined()
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer no-key')
  })

  it('stops promptly when its signal aborts', async () => {
    const { provider } = await openaiAgainst({
      embed: () => ({ kind: 'error', status: 500, delayMs: 10_000 }),
    })
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 100)
    const started = Date.now()
    const result = await provider.embed?.(['a'], { signal: controller.signal })
    expect(result?.ok).toBe(false)
    expect(Date.now() - started).toBeLessThan(2000)
  })
})

describe('openai provider: embeddings through cassettes', () => {
  function cassetteContext(dir: string, mode: CassetteMode) {
    const files = new CassetteFiles(dir)
    const fetch = createCassetteFetch({
      mode,
      files,
      upstream: globalThis.fetch,
      clock: systemClock,
    })
    const offline = mode === 'replay'
    return { files, context: providerContext(offline ? {} : KEYS, { fetch, offline }) }
  }

  it('records against the fake, then replays the same vectors with the fake stopped', async () => {
    const dir = tempProject({})
    const recording = cassetteContext(dir, 'record')
    const { fake, provider } = await openaiAgainst({}, {}, recording.context)
    const recorded = await embedOf(provider)(TEXTS)
    expect(recorded).toMatchObject({ ok: true, cached: false })
    await recording.files.flush()
    await fake.close()

    // Same options, no key, and nothing listening at baseUrl any more.
    const options = openaiOptions.parse({
      type: 'openai',
      model: 'gpt-4o-mini',
      baseUrl: `${fake.url}/v1`,
    })
    const replayer = openaiProvider.create(options, cassetteContext(dir, 'replay').context)
    const replayed = await embedOf(replayer)(TEXTS)
    expect(replayed).toMatchObject({ ok: true, cached: true })
    if (!recorded.ok || !replayed.ok) return
    expect(replayed.vectors).toEqual(recorded.vectors)
    expect(replayed.usage).toEqual(recorded.usage)
    expect(replayed.model).toBe(recorded.model)
    expect(replayed.latencyMs).toBe(recorded.latencyMs)
    expect(fake.requests).toHaveLength(1)
    // Other texts were never recorded: a miss fails the call instead of calling out.
    // ...and it is no dropped connection: not worth retrying.
    expect(await embedOf(replayer)(['something else'])).toMatchObject({
      ok: false,
      error: { retryable: false, message: expect.stringMatching(/^cassette miss/) as unknown },
    })
  })
})

describe('which providers embed', () => {
  it('factories say so, and only their instances have embed', async () => {
    const flags = await Promise.all(
      Object.entries(builtinProviders).map(async ([type, load]) => [
        type,
        (await load()).embeddings,
      ]),
    )
    expect(Object.fromEntries(flags)).toEqual({
      mock: true,
      anthropic: false,
      openai: true,
      http: false,
      exec: false,
      function: false,
    })
    const { provider } = await anthropicAgainst({})
    expect(provider.embed).toBeUndefined()
  })
})
