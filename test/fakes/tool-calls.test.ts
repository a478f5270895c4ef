import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { afterEach, describe, expect, it } from 'vitest'
import { startFakeAnthropic } from './anthropic.js'
import { startFakeOpenAI } from './openai.js'
import type { FakeReply, FakeServer } from './server.js'

/*
 * The fakes' tool-call answers, checked by the official SDKs' own stream accumulators
 * (Anthropic MessageStream, OpenAI ChatCompletionStream and ResponseStream): a streamed answer
 * must put back together into the same message the plain request gets.
 */

const servers: FakeServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const REPLY: FakeReply = {
  kind: 'text',
  text: 'Looking.',
  toolCalls: [
    { name: 'get_weather', arguments: { city: 'Paris', unit: 'c' } },
    { id: 'given', name: 'search', arguments: { q: 'weather, today' } },
  ],
}

describe('fake Anthropic tool calls', () => {
  async function client() {
    const fake = await startFakeAnthropic({ reply: () => REPLY })
    servers.push(fake)
    return { fake, client: new Anthropic({ apiKey: 'k', baseURL: fake.url, maxRetries: 0 }) }
  }
  const body = {
    model: 'claude-test',
    max_tokens: 100,
    messages: [{ role: 'user' as const, content: 'Weather?' }],
    tools: [{ name: 'get_weather', input_schema: { type: 'object' as const } }],
  }

  it('answers tool_use blocks after the text, plain and streamed alike', async () => {
    const { fake, client: sdk } = await client()
    const plain = await sdk.messages.create(body)
    const streamed = await sdk.messages.stream(body).finalMessage()
    expect(plain.stop_reason).toBe('tool_use')
    expect(plain.content).toMatchObject([
      { type: 'text', text: 'Looking.' },
      { type: 'tool_use', id: 'toolu_fake000000_0', name: 'get_weather', input: REPLY_ARGS[0] },
      { type: 'tool_use', id: 'given', name: 'search', input: REPLY_ARGS[1] },
    ])
    expect(streamed.stop_reason).toBe('tool_use')
    expect(streamed.content.map(({ type }) => type)).toEqual(['text', 'tool_use', 'tool_use'])
    expect(streamed.content.slice(1)).toMatchObject([
      { name: 'get_weather', input: REPLY_ARGS[0] },
      { id: 'given', name: 'search', input: REPLY_ARGS[1] },
    ])
    // What each request sent is recorded, tools included.
    expect((fake.requests[1]?.body as { tools?: unknown }).tools).toEqual(body.tools)
  })
})

const REPLY_ARGS = [{ city: 'Paris', unit: 'c' }, { q: 'weather, today' }]

describe('fake OpenAI tool calls', () => {
  async function client() {
    const fake = await startFakeOpenAI({ reply: () => REPLY })
    servers.push(fake)
    return new OpenAI({ apiKey: 'k', baseURL: `${fake.url}/v1`, maxRetries: 0 })
  }
  const tools = [
    {
      type: 'function' as const,
      function: { name: 'get_weather', parameters: { type: 'object' } },
    },
  ]
  const messages = [{ role: 'user' as const, content: 'Weather?' }]

  it('Chat: answers message.tool_calls, and streams fragments the SDK puts back together', async () => {
    const sdk = await client()
    const body = { model: 'gpt-test', messages, tools }
    const plain = await sdk.chat.completions.create(body)
    const streamed = await sdk.chat.completions.stream(body).finalChatCompletion()
    for (const completion of [plain, streamed]) {
      const choice = completion.choices[0]
      expect(choice?.finish_reason).toBe('tool_calls')
      expect(choice?.message.content).toBe('Looking.')
      expect(choice?.message.tool_calls).toMatchObject([
        {
          id: 'call_fake' + (completion === plain ? '000000' : '000001') + '_0',
          type: 'function',
          function: { name: 'get_weather', arguments: JSON.stringify(REPLY_ARGS[0]) },
        },
        { id: 'given', function: { name: 'search', arguments: JSON.stringify(REPLY_ARGS[1]) } },
      ])
    }
  })

  it('Responses: answers function_call items, plain and streamed alike', async () => {
    const sdk = await client()
    const body = {
      model: 'gpt-test',
      input: 'Weather?',
      tools: [
        {
          type: 'function' as const,
          name: 'get_weather',
          parameters: { type: 'object' },
          strict: false,
        },
      ],
    }
    const plain = await sdk.responses.create(body)
    const streamed = await sdk.responses.stream(body).finalResponse()
    for (const response of [plain, streamed]) {
      expect(response.output_text).toBe('Looking.')
      expect(response.output.map((item) => item.type)).toEqual([
        'message',
        'function_call',
        'function_call',
      ])
      expect(response.output.slice(1)).toMatchObject([
        { name: 'get_weather', arguments: JSON.stringify(REPLY_ARGS[0]), status: 'completed' },
        { call_id: 'given', name: 'search', arguments: JSON.stringify(REPLY_ARGS[1]) },
      ])
    }
  })

  it('leaves the text out of an answer that only calls tools', async () => {
    const fake = await startFakeOpenAI({
      reply: () => ({ kind: 'text', text: '', toolCalls: [{ name: 'f', arguments: {} }] }),
    })
    servers.push(fake)
    const sdk = new OpenAI({ apiKey: 'k', baseURL: `${fake.url}/v1`, maxRetries: 0 })
    const chat = await sdk.chat.completions.create({ model: 'm', messages })
    expect(chat.choices[0]?.message.content).toBeNull()
    const response = await sdk.responses.create({ model: 'm', input: 'x' })
    expect(response.output.map((item) => item.type)).toEqual(['function_call'])
    expect(response.output_text).toBe('')
  })
})
