import Anthropic, { RateLimitError } from '@anthropic-ai/sdk'
import { afterEach, describe, expect, it } from 'vitest'
import { startFakeAnthropic } from '../fakes/anthropic.js'
import type { FakeAnthropicOptions } from '../fakes/anthropic.js'
import type { FakeServer } from '../fakes/server.js'
import { PRICES, sample, testTelemetry } from './support.js'

/* telemetry.instrumentAnthropic through the real SDK against the loopback fake. */

const servers: FakeServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const USAGE = { input: 100, output: 20, cacheRead: 30, cacheWrite: 10 }
const PARAMS = {
  model: 'claude-test',
  max_tokens: 100,
  messages: [{ role: 'user' as const, content: 'Hello there' }],
}
/** (uncached input, cache reads, cache writes, output) × claude-test's prices. */
const COST =
  (60 * PRICES['claude-test'].input +
    30 * PRICES['claude-test'].cacheRead +
    10 * PRICES['claude-test'].cacheWrite +
    20 * PRICES['claude-test'].output) /
  1e6

async function setup(
  options: FakeAnthropicOptions = {
    reply: () => ({ kind: 'text', text: 'Hi, how can I help?', usage: USAGE }),
  },
) {
  const server = await startFakeAnthropic(options)
  servers.push(server)
  const { telemetry } = testTelemetry()
  const raw = new Anthropic({ apiKey: 'sk-test', baseURL: server.url, maxRetries: 0 })
  return { telemetry, raw, client: telemetry.instrumentAnthropic(raw) }
}

describe('instrumentAnthropic', () => {
  it('records a plain messages.create with normalized usage and cost, returning the message as is', async () => {
    const { telemetry, client } = await setup()
    const message = await client.messages.create(PARAMS)
    expect(message.content).toEqual([
      { type: 'text', text: 'Hi, how can I help?', citations: null },
    ])
    expect(message.usage.input_tokens).toBe(60)
    const m = telemetry.snapshot()
    expect(m).toMatchObject({
      llm_calls_total: 1,
      llm_errors_total: 0,
      tokens: { input: 100, output: 20 },
    })
    expect(m.cost_total_usd).toBeCloseTo(COST, 12)
    expect(m.by_model['claude-test']?.provider).toBe('anthropic')
    const text = await telemetry.metricsText()
    const series = { gen_ai_provider_name: 'anthropic', gen_ai_request_model: 'claude-test' }
    expect(
      sample(text, 'gen_ai_client_token_usage_sum', { ...series, gen_ai_token_type: 'input' }),
    ).toBe(100)
  })

  it('keeps the client otherwise untouched', async () => {
    const { raw, client } = await setup()
    expect(client).toBeInstanceOf(Anthropic)
    expect(client.constructor).toBe(Anthropic)
    expect(client.models).toBe(raw.models)
    expect(client.messages).toBe(client.messages)
    expect(client.messages.create).not.toBe(raw.messages.create)
    expect(client.baseURL).toBe(raw.baseURL)
  })

  it('keeps .withResponse() and .asResponse()', async () => {
    const { telemetry, client } = await setup()
    const { data, response } = await client.messages.create(PARAMS).withResponse()
    expect(data.usage.output_tokens).toBe(20)
    expect(response.status).toBe(200)
    const rawResponse = await client.messages.create(PARAMS).asResponse()
    // The body is still unread: observing never parses a response the caller wants raw.
    expect(
      ((await rawResponse.json()) as { usage: { output_tokens: number } }).usage.output_tokens,
    ).toBe(20)
    expect(telemetry.snapshot()).toMatchObject({
      llm_calls_total: 2,
      unpriced_calls: 1,
      tokens: { input: 100 },
    })
  })

  it('records a streamed call when its stream ends, with the usage of its events', async () => {
    const { telemetry, client } = await setup()
    const stream = await client.messages.create({ ...PARAMS, stream: true })
    expect(telemetry.snapshot().llm_calls_total).toBe(0)
    let text = ''
    for await (const event of stream) {
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta')
        text += event.delta.text
    }
    expect(text).toBe('Hi, how can I help?')
    const m = telemetry.snapshot()
    expect(m).toMatchObject({ llm_calls_total: 1, tokens: { input: 100, output: 20 } })
    expect(m.cost_total_usd).toBeCloseTo(COST, 12)
  })

  it('records the messages.stream() helper once', async () => {
    const { telemetry, client } = await setup()
    const final = await client.messages.stream(PARAMS).finalMessage()
    expect(final.usage.output_tokens).toBe(20)
    expect(telemetry.snapshot()).toMatchObject({
      llm_calls_total: 1,
      tokens: { input: 100, output: 20 },
    })
  })

  it('records failures with their error type, and rethrows them', async () => {
    const { telemetry, client } = await setup({
      reply: () => ({ kind: 'error', status: 429, retryAfter: 1 }),
    })
    await expect(client.messages.create(PARAMS)).rejects.toBeInstanceOf(RateLimitError)
    expect(telemetry.snapshot()).toMatchObject({
      llm_calls_total: 1,
      llm_errors_total: 1,
      errors_total: 1,
    })
    const text = await telemetry.metricsText()
    const count = 'gen_ai_client_operation_duration_seconds_count'
    expect(sample(text, count, { error_type: 'RateLimitError' })).toBe(1)
  })

  it('records a stream that fails midway as failed, with the usage seen so far', async () => {
    const { telemetry, client } = await setup({
      reply: () => ({
        kind: 'stream-error',
        text: 'partial answer here',
        afterChunks: 1,
        usage: USAGE,
      }),
    })
    const stream = await client.messages.create({ ...PARAMS, stream: true })
    await expect(async () => {
      for await (const _ of stream) {
        // drain
      }
    }).rejects.toThrow()
    expect(telemetry.snapshot()).toMatchObject({
      llm_calls_total: 1,
      llm_errors_total: 1,
      tokens: { input: 100 },
    })
  })
})
