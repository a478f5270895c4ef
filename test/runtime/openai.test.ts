import OpenAI, { InternalServerError } from 'openai'
import { afterEach, describe, expect, it } from 'vitest'
import { startFakeOpenAI } from '../fakes/openai.js'
import type { FakeOpenAIOptions } from '../fakes/openai.js'
import type { FakeServer } from '../fakes/server.js'
import { PRICES, sample, testTelemetry } from './support.js'

/* telemetry.instrumentOpenAI through the real SDK against the loopback fake. */

const servers: FakeServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const USAGE = { input: 1000, output: 200, cacheRead: 400 }
const price = PRICES['gpt-test']
const COST = (600 * price.input + 400 * price.cacheRead + 200 * price.output) / 1e6
const CHAT = { model: 'gpt-test', messages: [{ role: 'user' as const, content: 'Hello there' }] }
const RESPONSES = { model: 'gpt-test', input: 'Hello there' }

async function setup(
  options: FakeOpenAIOptions = {
    reply: () => ({ kind: 'text', text: 'Hi there, friend', usage: USAGE }),
  },
) {
  const server = await startFakeOpenAI(options)
  servers.push(server)
  const { telemetry } = testTelemetry()
  const raw = new OpenAI({ apiKey: 'sk-test', baseURL: `${server.url}/v1`, maxRetries: 0 })
  return { telemetry, raw, client: telemetry.instrumentOpenAI(raw) }
}

function expectOneCall(telemetry: ReturnType<typeof testTelemetry>['telemetry']) {
  const m = telemetry.snapshot()
  expect(m).toMatchObject({
    llm_calls_total: 1,
    llm_errors_total: 0,
    tokens: { input: 1000, output: 200 },
  })
  expect(m.cost_total_usd).toBeCloseTo(COST, 12)
  expect(m.by_model['gpt-test']?.provider).toBe('openai')
}

describe('instrumentOpenAI, Chat Completions', () => {
  it('records a plain call with its usage and cost', async () => {
    const { telemetry, client } = await setup()
    const completion = await client.chat.completions.create(CHAT)
    expect(completion.choices[0]?.message.content).toBe('Hi there, friend')
    expectOneCall(telemetry)
  })

  it('records a streamed call from its usage chunk', async () => {
    const { telemetry, client } = await setup()
    const stream = await client.chat.completions.create({
      ...CHAT,
      stream: true,
      stream_options: { include_usage: true },
    })
    let text = ''
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? ''
    expect(text).toBe('Hi there, friend')
    expectOneCall(telemetry)
  })

  it('records a stream without include_usage as unpriced, without changing what it yields', async () => {
    const { telemetry, client } = await setup()
    const stream = await client.chat.completions.create({ ...CHAT, stream: true })
    const chunks = []
    for await (const chunk of stream) chunks.push(chunk)
    expect(chunks.every((c) => c.choices.length === 1)).toBe(true)
    expect(telemetry.snapshot()).toMatchObject({ llm_calls_total: 1, unpriced_calls: 1 })
  })

  it('records the parse() and stream() helpers, which call create through the client', async () => {
    const { telemetry, client } = await setup()
    const parsed = await client.chat.completions.parse(CHAT)
    expect(parsed.choices[0]?.message.content).toBe('Hi there, friend')
    expectOneCall(telemetry)
    const runner = client.chat.completions.stream({
      ...CHAT,
      stream_options: { include_usage: true },
    })
    expect((await runner.finalChatCompletion()).choices[0]?.message.content).toBe(
      'Hi there, friend',
    )
    expect(telemetry.snapshot().llm_calls_total).toBe(2)
  })

  it('records a failure with its error type', async () => {
    const { telemetry, client } = await setup({ reply: () => ({ kind: 'error', status: 500 }) })
    await expect(client.chat.completions.create(CHAT)).rejects.toBeInstanceOf(InternalServerError)
    expect(telemetry.snapshot()).toMatchObject({ llm_calls_total: 1, llm_errors_total: 1 })
    const text = await telemetry.metricsText()
    const count = 'gen_ai_client_operation_duration_seconds_count'
    expect(sample(text, count, { error_type: 'InternalServerError' })).toBe(1)
  })
})

describe('instrumentOpenAI, Responses', () => {
  it('records a plain call', async () => {
    const { telemetry, client } = await setup()
    const response = await client.responses.create(RESPONSES)
    expect(response.output_text).toBe('Hi there, friend')
    expectOneCall(telemetry)
  })

  it('records a streamed call from its response.completed event', async () => {
    const { telemetry, client } = await setup()
    const stream = await client.responses.create({ ...RESPONSES, stream: true })
    const types: string[] = []
    for await (const event of stream) types.push(event.type)
    expect(types.at(-1)).toBe('response.completed')
    expectOneCall(telemetry)
  })

  it('keeps .withResponse()', async () => {
    const { telemetry, client } = await setup()
    const { data, response } = await client.responses.create(RESPONSES).withResponse()
    expect(data.usage?.output_tokens).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/json/)
    expectOneCall(telemetry)
  })
})
