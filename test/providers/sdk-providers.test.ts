import { describe, expect, it } from 'vitest'
import type { CompletionResult, Provider } from '../../src/contracts/provider.js'
import { costOf, createPriceLookup } from '@shipgate/runtime/pricing'
import { anthropicProvider } from '../../src/providers/anthropic/index.js'
import { anthropicOptions } from '../../src/providers/anthropic/schema.js'
import { openaiProvider } from '../../src/providers/openai/index.js'
import { openaiOptions } from '../../src/providers/openai/schema.js'
import type { FakeReply } from '../fakes/server.js'
import { anthropicAgainst, openaiAgainst, providerContext as context, signal } from './sdk-setup.js'

const request = {
  messages: [
    { role: 'system' as const, content: 'Be brief.' },
    { role: 'user' as const, content: 'Review this code' },
  ],
  vars: {},
}
const prices = createPriceLookup()
const costFor = (provider: Provider, result: CompletionResult) =>
  result.ok ? costOf(prices(provider.type, result.model ?? provider.model), result.usage) : null

const anthropic = (reply: (attempt: number) => FakeReply, extra: Record<string, unknown> = {}) =>
  anthropicAgainst({ reply: ({ attempt }) => reply(attempt) }, extra)

const openai = (reply: (attempt: number) => FakeReply, extra: Record<string, unknown> = {}) =>
  openaiAgainst({ reply: ({ attempt }) => reply(attempt) }, extra)

const USAGE = { input: 1200, cacheRead: 1000, cacheWrite: 100, output: 300 }

describe('anthropic provider (official SDK against the fake)', () => {
  for (const stream of [false, true]) {
    it(`gives output, normalized usage and cost to the cent (${stream ? 'streamed' : 'plain'})`, async () => {
      const { provider, fake } = await anthropic(
        () => ({ kind: 'text', text: 'SQL injection found', usage: USAGE }),
        { stream, params: { temperature: 0 } },
      )
      const result = await provider.complete(request, { signal: signal() })
      expect(result).toMatchObject({
        ok: true,
        output: 'SQL injection found',
        cached: false,
        model: 'claude-3-5-haiku-20241022',
      })
      if (!result.ok) return
      expect(result.usage).toEqual({
        input: 1200,
        cacheRead: 1000,
        cacheWrite: 100,
        output: 300,
        reasoning: 0,
      })
      // haiku 3.5: input $0.80, cache read $0.08, cache write $1.00, output $4.00 per million tokens.
      const expected = (100 * 0.8 + 1000 * 0.08 + 100 * 1.0 + 300 * 4.0) / 1e6
      expect(costFor(provider, result)).toBeCloseTo(expected, 12)
      expect(stream ? result.ttftMs : 'plain').toBeDefined()
      const body = fake.requests[0]?.body as Record<string, unknown>
      expect(body).toMatchObject({
        model: 'claude-3-5-haiku-20241022',
        system: 'Be brief.',
        temperature: 0,
        max_tokens: 1024,
      })
      expect(body.messages).toEqual([{ role: 'user', content: 'Review this code' }])
    })
  }

  it('classifies 429 with retry-after, 5xx and overloaded as retryable, 400 not, 401 as auth with a hint', async () => {
    const cases: [FakeReply, object][] = [
      [
        { kind: 'error', status: 429, retryAfter: 2 },
        { kind: 'rate_limited', retryable: true, retryAfterMs: 2000, status: 429 },
      ],
      [
        { kind: 'error', status: 500 },
        { kind: 'unavailable', retryable: true, status: 500 },
      ],
      [
        { kind: 'error', status: 529 },
        { kind: 'unavailable', retryable: true, status: 529 },
      ],
      [
        { kind: 'error', status: 400 },
        { kind: 'bad_request', retryable: false, status: 400 },
      ],
      [
        { kind: 'error', status: 401 },
        { kind: 'auth', retryable: false, hint: 'check the key in ANTHROPIC_API_KEY' },
      ],
    ]
    for (const [reply, error] of cases) {
      const { provider } = await anthropic(() => reply)
      expect(await provider.complete(request, { signal: signal() })).toMatchObject({
        ok: false,
        error,
      })
    }
  })

  it('turns an error in the middle of a stream, and a cut stream, into failures, never a pass', async () => {
    const midStream = await anthropic(
      () => ({ kind: 'stream-error', text: 'partial answer here', afterChunks: 1 }),
      { stream: true },
    )
    expect(await midStream.provider.complete(request, { signal: signal() })).toMatchObject({
      ok: false,
      error: { kind: 'unavailable', retryable: true },
    })
    const cut = await anthropic(
      () => ({ kind: 'truncated', text: 'partial answer here', afterChunks: 2 }),
      { stream: true },
    )
    expect(await cut.provider.complete(request, { signal: signal() })).toMatchObject({
      ok: false,
      error: { retryable: true },
    })
  })

  it('stops promptly when its signal aborts (the runner enforces timeouts this way)', async () => {
    const { provider } = await anthropic(() => ({ kind: 'hang' }))
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 100)
    const started = Date.now()
    const result = await provider.complete(request, { signal: controller.signal })
    expect(result.ok).toBe(false)
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('refuses to start without its key, naming the variable, unless offline', () => {
    const options = anthropicOptions.parse({ type: 'anthropic', model: 'm' })
    expect(() => anthropicProvider.create(options, context({}))).toThrow(
      /ANTHROPIC_API_KEY is not set/,
    )
    expect(() => anthropicProvider.create(options, { ...context({}), offline: true })).not.toThrow()
  })
})

describe('openai provider without its key', () => {
  it('names noApiKey: true in the hint, for a local server that needs no key', () => {
    const options = openaiOptions.parse({ type: 'openai', model: 'm' })
    let thrown: unknown
    try {
      openaiProvider.create(options, context({}))
    } catch (error) {
      thrown = error
    }
    expect((thrown as Error).message).toContain('OPENAI_API_KEY is not set')
    expect((thrown as { hint?: string }).hint).toContain('noApiKey: true')
  })
})

describe('openai provider (official SDK against the fake)', () => {
  for (const api of ['chat', 'responses'] as const) {
    for (const stream of [false, true]) {
      it(`${api}: output, usage and cost to the cent (${stream ? 'streamed' : 'plain'})`, async () => {
        const { provider, fake } = await openai(
          () => ({
            kind: 'text',
            text: 'XSS found',
            usage: { input: 2000, cacheRead: 1500, output: 400, reasoning: 100 },
          }),
          { api, stream },
        )
        const result = await provider.complete(request, { signal: signal() })
        expect(result).toMatchObject({ ok: true, output: 'XSS found', model: 'gpt-4o-mini' })
        if (!result.ok) return
        expect(result.usage).toEqual({
          input: 2000,
          cacheRead: 1500,
          cacheWrite: 0,
          output: 400,
          reasoning: 100,
        })
        // gpt-4o-mini: input $0.15, cached input $0.075, output $0.60 per million tokens.
        expect(costFor(provider, result)).toBeCloseTo(
          (500 * 0.15 + 1500 * 0.075 + 400 * 0.6) / 1e6,
          12,
        )
        const body = fake.requests[0]?.body as Record<string, unknown>
        if (api === 'chat' && stream) expect(body.stream_options).toEqual({ include_usage: true })
        expect(fake.requests[0]?.path).toBe(
          api === 'chat' ? '/v1/chat/completions' : '/v1/responses',
        )
      })
    }
  }

  it('classifies errors like the anthropic provider', async () => {
    const rate = await openai(() => ({ kind: 'error', status: 429, retryAfter: 1 }))
    expect(await rate.provider.complete(request, { signal: signal() })).toMatchObject({
      ok: false,
      error: { kind: 'rate_limited', retryAfterMs: 1000 },
    })
    const bad = await openai(() => ({ kind: 'error', status: 400 }))
    expect(await bad.provider.complete(request, { signal: signal() })).toMatchObject({
      ok: false,
      error: { kind: 'bad_request', retryable: false },
    })
    const auth = await openai(() => ({ kind: 'error', status: 401 }))
    expect(await auth.provider.complete(request, { signal: signal() })).toMatchObject({
      ok: false,
      error: { kind: 'auth', hint: 'check the key in OPENAI_API_KEY' },
    })
  })

  for (const api of ['chat', 'responses'] as const) {
    it(`${api}: a mid-stream error and a cut stream fail`, async () => {
      const mid = await openai(
        () => ({ kind: 'stream-error', text: 'partial answer', afterChunks: 1 }),
        { api, stream: true },
      )
      expect((await mid.provider.complete(request, { signal: signal() })).ok).toBe(false)
      const cut = await openai(
        () => ({ kind: 'truncated', text: 'partial answer', afterChunks: 1 }),
        { api, stream: true },
      )
      expect(await cut.provider.complete(request, { signal: signal() })).toMatchObject({
        ok: false,
        error: { retryable: true },
      })
    })
  }

  it('talks to a keyless OpenAI-compatible server', async () => {
    const { provider, fake } = await openai(() => ({ kind: 'text', text: 'local' }), {
      noApiKey: true,
      model: 'llama3.2',
    })
    expect(await provider.complete(request, { signal: signal() })).toMatchObject({
      ok: true,
      output: 'local',
    })
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer no-key')
  })
})
