import { describe, expect, it } from 'vitest'
import type { CompletionResult, ProviderContext } from '../../src/contracts/provider.js'
import { callWithRetries, stopFan } from '../../src/core/eval/retry.js'
import { systemClock } from '../../src/utils/clock.js'
import { httpFetch } from '../../src/utils/http-fetch.js'
import type { FakeReply } from '../fakes/server.js'
import { anthropicAgainst, openaiAgainst, providerContext, signal } from './sdk-setup.js'

/*
 * Dropped connections and malformed 200s, through the official SDKs against the fakes: each is a
 * typed, retryable `unavailable` failure (never `unknown`, never a "Cannot read properties" crash
 * message), and a fault on the first attempt is retried into a pass.
 */

const request = { messages: [{ role: 'user' as const, content: 'Review this code' }], vars: {} }

/** A text reply long enough to be streamed as several deltas. */
const TEXT = 'the code has an SQL injection in the login handler'

/** Every fault, with how its failure message must read. */
const FAULTS: Record<string, { reply: FakeReply; says: RegExp }> = {
  'connection reset before the answer': { reply: { kind: 'reset' }, says: /connection/i },
  'body or stream cut mid-answer': {
    reply: { kind: 'truncated', text: TEXT, afterChunks: 1 },
    says: /connection was cut|stream ended/i,
  },
  'empty 200': { reply: { kind: 'malformed', body: '' }, says: /not a valid/ },
  '200 with {}': { reply: { kind: 'malformed', body: '{}' }, says: /not a valid/ },
  '200 with null': { reply: { kind: 'malformed', body: 'null' }, says: /not a valid/ },
  '200 not JSON': {
    reply: { kind: 'malformed', body: '<html>502 Bad Gateway</html>' },
    says: /not a valid/,
  },
  '200 of the wrong shape': {
    reply: { kind: 'malformed', body: '{"choices":"none","content":5,"output_text":7}' },
    says: /not a valid/,
  },
  '200 event stream of foreign events': {
    reply: {
      kind: 'malformed',
      contentType: 'text/event-stream',
      body: 'data: {"weird":1}\n\ndata: [DONE]\n\n',
    },
    says: /not a valid|stream ended/,
  },
}

/** The API shapes shipgate speaks, each plain and streamed. */
const APIS = [
  { name: 'openai chat', start: openaiAgainst, extra: {} },
  { name: 'openai chat, streamed', start: openaiAgainst, extra: { stream: true } },
  { name: 'openai responses', start: openaiAgainst, extra: { api: 'responses' } },
  {
    name: 'openai responses, streamed',
    start: openaiAgainst,
    extra: { api: 'responses', stream: true },
  },
  { name: 'anthropic messages', start: anthropicAgainst, extra: {} },
  { name: 'anthropic messages, streamed', start: anthropicAgainst, extra: { stream: true } },
] as const

/** The fetch runs use (node:http) and Node's own (undici): their errors differ. */
const FETCHES = { 'node:http fetch': httpFetch, 'global fetch': globalThis.fetch }

const failureOf = (result: CompletionResult) => (result.ok ? undefined : result.error)

describe.each(Object.entries(FETCHES))('with the %s', (_, fetch) => {
  const context: ProviderContext = providerContext(undefined, { fetch })
  describe.each(APIS)('$name', ({ start, extra }) => {
    it.each(Object.entries(FAULTS))(
      '%s: a retryable unavailable failure that says what happened',
      async (_fault, { reply, says }) => {
        const { provider } = await start({ reply: () => reply }, extra, context)
        const error = failureOf(await provider.complete(request, { signal: signal() }))
        expect(error).toMatchObject({ kind: 'unavailable', retryable: true })
        expect(error?.message).toMatch(says)
        expect(error?.message).not.toMatch(/Cannot read|Cannot use|is not a function/)
      },
    )

    it('a fault on the first attempt is retried into a pass', async () => {
      const replies = Object.values(FAULTS).map((f) => f.reply)
      for (const fault of replies) {
        const { provider, fake } = await start(
          { reply: ({ attempt }) => (attempt === 1 ? fault : { kind: 'text', text: TEXT }) },
          extra,
          context,
        )
        const attempts = await callWithRetries((s) => provider.complete(request, { signal: s }), {
          timeoutMs: 5000,
          retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 1000 },
          clock: systemClock,
          random: () => 0.5,
          stop: stopFan(new AbortController().signal),
          graceMs: 0,
        })
        expect({ fault: fault.kind, attempts: attempts.map((a) => a.ok) }).toEqual({
          fault: fault.kind,
          attempts: [false, true],
        })
        expect(fake.requests).toHaveLength(2)
      }
    })
  })
})

describe('a server that is not there', () => {
  it('a refused connection is retryable, and says so', async () => {
    const { provider, fake } = await anthropicAgainst(
      {},
      {},
      providerContext(undefined, { fetch: httpFetch }),
    )
    await fake.close()
    const error = failureOf(await provider.complete(request, { signal: signal() }))
    expect(error).toMatchObject({ kind: 'unavailable', retryable: true })
    expect(error?.message).toMatch(/connection failed before an answer.*ECONNREFUSED/)
  })
})

describe('what is not retried', () => {
  it('a call its caller aborts is not retried, whatever the connection did', async () => {
    const { provider } = await openaiAgainst(
      { reply: () => ({ kind: 'hang', afterChunks: 1, text: TEXT }) },
      { stream: true },
      providerContext(undefined, { fetch: httpFetch }),
    )
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 100)
    const error = failureOf(await provider.complete(request, { signal: controller.signal }))
    expect(error).toMatchObject({ retryable: false })
  })
})
