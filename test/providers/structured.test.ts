import { describe, expect, it } from 'vitest'
import type { CompletionRequest } from '../../src/contracts/provider.js'
import { costOf, createPriceLookup } from '@shipgate/runtime/pricing'
import type { FakeReply } from '../fakes/server.js'
import { anthropicAgainst, openaiAgainst, signal } from './sdk-setup.js'

/* Structured requests (judges) through the official SDKs against the fakes. */

const structured = {
  name: 'verdict',
  description: 'Whether the answer passes, and why.',
  schema: {
    type: 'object',
    properties: { pass: { type: 'boolean' }, reason: { type: 'string' } },
    required: ['pass', 'reason'],
    additionalProperties: false,
  },
}
const request: CompletionRequest = {
  messages: [
    { role: 'system', content: 'You grade answers.' },
    { role: 'user', content: 'Grade: 2 + 2 = 4' },
  ],
  vars: {},
  structured,
}
const VERDICT = '{"pass":true,"reason":"correct"}'
const USAGE = { input: 500, output: 40 }
const prices = createPriceLookup()

describe('anthropic provider: structured output as a forced tool call', () => {
  for (const stream of [false, true]) {
    it(`sends one non-streamed call with the tool and tool_choice (stream: ${stream})`, async () => {
      const { fake, provider } = await anthropicAgainst(
        { reply: () => ({ kind: 'text', text: VERDICT, usage: USAGE }) },
        { stream, params: { temperature: 0 } },
      )
      const result = await provider.complete(request, { signal: signal() })
      expect(result).toMatchObject({ ok: true, output: VERDICT, cached: false })
      if (!result.ok) return
      expect(result.usage).toEqual({ ...USAGE, cacheRead: 0, cacheWrite: 0, reasoning: 0 })
      expect(result.model).toBe('claude-3-5-haiku-20241022')
      // haiku 3.5: input $0.80, output $4.00 per million tokens.
      const price = prices('anthropic', result.model)
      expect(costOf(price, result.usage)).toBeCloseTo((500 * 0.8 + 40 * 4) / 1e6, 12)
      expect(result.ttftMs).toBeUndefined()
      const body = fake.requests[0]?.body as Record<string, unknown>
      expect(body.stream).toBeUndefined()
      expect(body).toMatchObject({ temperature: 0, system: 'You grade answers.', max_tokens: 1024 })
      expect(body.tools).toEqual([
        { name: 'verdict', description: structured.description, input_schema: structured.schema },
      ])
      expect(body.tool_choice).toEqual({ type: 'tool', name: 'verdict' })
    })
  }

  it('gives the tool input as compact JSON, whatever its spacing on the wire', async () => {
    const { provider } = await anthropicAgainst({
      reply: () => ({ kind: 'text', text: '{ "pass" : false,\n "reason": "wrong" }' }),
    })
    const result = await provider.complete(request, { signal: signal() })
    expect(result).toMatchObject({ ok: true, output: '{"pass":false,"reason":"wrong"}' })
  })

  it('gives the text when the model answered without a tool call', async () => {
    const { provider } = await anthropicAgainst({
      reply: () => ({ kind: 'text', text: 'It passes, I think.' }),
    })
    const result = await provider.complete(request, { signal: signal() })
    expect(result).toMatchObject({ ok: true, output: 'It passes, I think.' })
  })

  it('classifies API errors of a structured call like any other', async () => {
    const { provider } = await anthropicAgainst({
      reply: () => ({ kind: 'error', status: 429, retryAfter: 3 }),
    })
    expect(await provider.complete(request, { signal: signal() })).toMatchObject({
      ok: false,
      error: { kind: 'rate_limited', retryAfterMs: 3000 },
    })
  })

  it('sends no tools for a plain request', async () => {
    const { fake, provider } = await anthropicAgainst({
      reply: () => ({ kind: 'text', text: VERDICT }),
    })
    const { structured: _, ...plain } = request
    expect(await provider.complete(plain, { signal: signal() })).toMatchObject({ output: VERDICT })
    const body = fake.requests[0]?.body as Record<string, unknown>
    expect(body.tools).toBeUndefined()
    expect(body.tool_choice).toBeUndefined()
  })
})

describe('openai provider: structured output as a strict JSON schema', () => {
  const strict = { name: 'verdict', description: structured.description, strict: true }
  const cases = [
    {
      api: 'chat',
      path: '/v1/chat/completions',
      field: 'response_format',
      sent: { type: 'json_schema', json_schema: { ...strict, schema: structured.schema } },
    },
    {
      api: 'responses',
      path: '/v1/responses',
      field: 'text',
      sent: { format: { type: 'json_schema', ...strict, schema: structured.schema } },
    },
  ] as const

  for (const { api, path, field, sent } of cases) {
    it(`${api}: one non-streamed call carrying ${field}; the output is the JSON text`, async () => {
      const { fake, provider } = await openaiAgainst(
        { reply: () => ({ kind: 'text', text: VERDICT, usage: { input: 300, output: 20 } }) },
        { api, stream: true },
      )
      const result = await provider.complete(request, { signal: signal() })
      expect(result).toMatchObject({ ok: true, output: VERDICT, model: 'gpt-4o-mini' })
      expect(result.ok && result.usage).toMatchObject({ input: 300, output: 20 })
      expect(fake.requests[0]?.path).toBe(path)
      const body = fake.requests[0]?.body as Record<string, unknown>
      expect(body[field]).toEqual(sent)
      expect(body.stream).toBeUndefined()
    })

    it(`${api}: a refusal is a bad_request failure naming it, not retried`, async () => {
      const refusal: FakeReply = { kind: 'refusal', text: 'I will not grade this.' }
      const { provider } = await openaiAgainst({ reply: () => refusal }, { api })
      expect(await provider.complete(request, { signal: signal() })).toMatchObject({
        ok: false,
        error: {
          kind: 'bad_request',
          retryable: false,
          message: 'the model refused: I will not grade this.',
        },
      })
    })
  }

  it('responses: keeps other text settings from params beside the format', async () => {
    const { fake, provider } = await openaiAgainst(
      {},
      { api: 'responses', params: { text: { verbosity: 'low' } } },
    )
    await provider.complete(request, { signal: signal() })
    const body = fake.requests[0]?.body as { text?: Record<string, unknown> }
    expect(body.text?.verbosity).toBe('low')
    expect(body.text?.format).toMatchObject({ type: 'json_schema', name: 'verdict' })
  })

  it('sends no response_format for a plain request, and reads no refusal there', async () => {
    const { fake, provider } = await openaiAgainst({
      reply: () => ({ kind: 'refusal', text: 'no' }),
    })
    const { structured: _, ...plain } = request
    expect(await provider.complete(plain, { signal: signal() })).toMatchObject({
      ok: true,
      output: '',
    })
    expect((fake.requests[0]?.body as Record<string, unknown>).response_format).toBeUndefined()
  })
})
