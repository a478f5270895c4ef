import { describe, expect, it } from 'vitest'
import type { CompletionRequest, ToolSpec } from '../../src/contracts/provider.js'
import type { FakeReply, FakeToolCall, RecordedRequest } from '../fakes/server.js'
import { anthropicAgainst, openaiAgainst, signal } from './sdk-setup.js'

/*
 * Tool calls through the official SDKs against the fakes, for each of the three APIs, plain and
 * streamed: the suite's tools are sent in the API's own format, and the answer's calls come back
 * in the one normalized shape.
 */

const TOOLS: ToolSpec[] = [
  {
    name: 'get_weather',
    description: 'The weather in a city.',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' }, unit: { enum: ['c', 'f'] } },
      required: ['city'],
    },
  },
  { name: 'search_docs', parameters: { type: 'object', properties: { q: { type: 'string' } } } },
]

const request: CompletionRequest = {
  messages: [
    { role: 'system', content: 'You are a helpful agent.' },
    { role: 'user', content: 'Weather in Paris and Oslo?' },
  ],
  vars: {},
  tools: TOOLS,
}

/** Two calls; the first one's arguments are long enough to be cut into several fragments. */
const CALLS: FakeToolCall[] = [
  { name: 'get_weather', arguments: { city: 'Paris, Île-de-France', unit: 'c' } },
  { name: 'get_weather', arguments: { city: 'Oslo' } },
]
const EXPECTED = [
  { name: 'get_weather', arguments: { city: 'Paris, Île-de-France', unit: 'c' } },
  { name: 'get_weather', arguments: { city: 'Oslo' } },
]
const calling = (calls: readonly FakeToolCall[], text = ''): (() => FakeReply) => {
  return () => ({ kind: 'text', text, toolCalls: calls })
}

type Api = 'anthropic' | 'chat' | 'responses'

/** A provider of `api` against a fake answering with `reply`. */
function against(api: Api, reply: () => FakeReply, stream: boolean) {
  if (api === 'anthropic') return anthropicAgainst({ reply }, { stream })
  return openaiAgainst({ reply }, { api, stream })
}

/** The tools a request carried, as the API spells them. */
function sentTools(api: Api, request: RecordedRequest | undefined): unknown {
  return (request?.body as { tools?: unknown } | undefined)?.tools
}

const SENT: Record<Api, unknown> = {
  anthropic: [
    {
      name: 'get_weather',
      description: 'The weather in a city.',
      input_schema: TOOLS[0]?.parameters,
    },
    { name: 'search_docs', input_schema: TOOLS[1]?.parameters },
  ],
  chat: [
    {
      type: 'function',
      function: {
        name: 'get_weather',
        description: 'The weather in a city.',
        parameters: TOOLS[0]?.parameters,
      },
    },
    { type: 'function', function: { name: 'search_docs', parameters: TOOLS[1]?.parameters } },
  ],
  responses: [
    {
      type: 'function',
      name: 'get_weather',
      description: 'The weather in a city.',
      parameters: TOOLS[0]?.parameters,
      strict: false,
    },
    { type: 'function', name: 'search_docs', parameters: TOOLS[1]?.parameters, strict: false },
  ],
}

const ID_PREFIX: Record<Api, string> = {
  anthropic: 'toolu_fake',
  chat: 'call_fake',
  responses: 'call_fake',
}

for (const api of ['anthropic', 'chat', 'responses'] as const) {
  for (const stream of [false, true]) {
    describe(`${api} tool calls (stream: ${stream})`, () => {
      it('sends the tools in the API format and gives every call normalized, in order', async () => {
        const { fake, provider } = await against(api, calling(CALLS), stream)
        const result = await provider.complete(request, { signal: signal() })
        expect(result).toMatchObject({ ok: true, output: '', toolCalls: EXPECTED })
        if (!result.ok) return
        const ids = result.toolCalls?.map((c) => c.id) ?? []
        expect(ids).toHaveLength(2)
        for (const id of ids) expect(id).toMatch(new RegExp(`^${ID_PREFIX[api]}`))
        expect(new Set(ids).size).toBe(2)
        expect(sentTools(api, fake.requests[0])).toEqual(SENT[api])
        expect((fake.requests[0]?.body as { stream?: boolean }).stream).toBe(stream || undefined)
      })

      it('keeps the text beside the calls and the ids the API gave', async () => {
        const calls = [{ id: 'given_1', name: 'search_docs', arguments: { q: 'tool use' } }]
        const { provider } = await against(api, calling(calls, 'Let me look.'), stream)
        const result = await provider.complete(request, { signal: signal() })
        expect(result).toMatchObject({
          ok: true,
          output: 'Let me look.',
          toolCalls: [{ id: 'given_1', name: 'search_docs', arguments: { q: 'tool use' } }],
        })
      })

      it('gives a call without arguments an empty object', async () => {
        const calls = [{ name: 'search_docs', arguments: {} }]
        const { provider } = await against(api, calling(calls), stream)
        const result = await provider.complete(request, { signal: signal() })
        expect(result).toMatchObject({ ok: true, toolCalls: [{ arguments: {} }] })
      })

      it('answers without toolCalls when the model calls no tool', async () => {
        const { provider } = await against(api, () => ({ kind: 'text', text: 'Sunny.' }), stream)
        const result = await provider.complete(request, { signal: signal() })
        expect(result).toMatchObject({ ok: true, output: 'Sunny.' })
        expect(result.ok && result.toolCalls).toBeUndefined()
      })
    })
  }
}

describe('malformed argument JSON is kept as the raw text', () => {
  const RAW = '{"city": "Paris", unit: c'
  const cases: { api: Api; stream: boolean }[] = [
    { api: 'anthropic', stream: true },
    { api: 'chat', stream: false },
    { api: 'chat', stream: true },
    { api: 'responses', stream: false },
    { api: 'responses', stream: true },
  ]
  for (const { api, stream } of cases) {
    it(`${api} (stream: ${stream})`, async () => {
      const calls = [{ name: 'get_weather', arguments: RAW }]
      const { provider } = await against(api, calling(calls), stream)
      const result = await provider.complete(request, { signal: signal() })
      expect(result).toMatchObject({
        ok: true,
        toolCalls: [{ name: 'get_weather', arguments: RAW }],
      })
    })
  }

  it('anthropic plain: an input that is not an object is passed on as it came', async () => {
    // The Messages API parses the input itself; whatever it sends is the arguments.
    const calls = [{ name: 'get_weather', arguments: RAW }]
    const { provider } = await against('anthropic', calling(calls), false)
    const result = await provider.complete(request, { signal: signal() })
    expect(result).toMatchObject({ ok: true, toolCalls: [{ arguments: RAW }] })
  })
})

describe('requests without tools', () => {
  for (const api of ['anthropic', 'chat', 'responses'] as const) {
    it(`${api}: sends no tools field`, async () => {
      const { fake, provider } = await against(api, () => ({ kind: 'text', text: 'ok' }), false)
      const { tools: _tools, ...plain } = request
      await provider.complete(plain, { signal: signal() })
      expect(fake.requests[0]?.body).not.toHaveProperty('tools')
    })
  }

  it('a structured request (a judge) reports its forced call as the output, not as toolCalls', async () => {
    const { provider } = await against(
      'anthropic',
      () => ({ kind: 'text', text: '{"pass":true}' }),
      false,
    )
    const result = await provider.complete(
      {
        messages: request.messages,
        vars: {},
        structured: { name: 'verdict', description: 'v', schema: { type: 'object' } },
      },
      { signal: signal() },
    )
    expect(result).toMatchObject({ ok: true, output: '{"pass":true}' })
    expect(result.ok && result.toolCalls).toBeUndefined()
  })
})

describe("tools in a provider's own params", () => {
  it('are sent as written, and the calls still come back normalized', async () => {
    const own = [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }]
    const { fake, provider } = await openaiAgainst(
      { reply: calling([{ name: 'lookup', arguments: { id: 3 } }]) },
      { params: { tools: own } },
    )
    const { tools: _tools, ...plain } = request
    const result = await provider.complete(plain, { signal: signal() })
    expect(result).toMatchObject({
      ok: true,
      toolCalls: [{ name: 'lookup', arguments: { id: 3 } }],
    })
    expect((fake.requests[0]?.body as { tools?: unknown }).tools).toEqual(own)
  })
})

describe('streamed arguments in fragments', () => {
  const long = { text: 'x'.repeat(200), nested: { list: [1, 2, 3] } }
  const FRAGMENT: Record<Api, RegExp> = {
    anthropic: /"input_json_delta"/g,
    chat: /"tool_calls":\[\{"index":0,"function":\{"arguments"/g,
    responses: /event: response\.function_call_arguments\.delta/g,
  }
  for (const api of ['anthropic', 'chat', 'responses'] as const) {
    it(`${api}: puts back together arguments the stream cut into several events`, async () => {
      const { fake, provider } = await against(
        api,
        calling([{ name: 'search_docs', arguments: long }]),
        true,
      )
      const result = await provider.complete(request, { signal: signal() })
      expect(result).toMatchObject({ ok: true, toolCalls: [{ arguments: long }] })
      // The same request sent again by hand: its stream carries the arguments in pieces.
      const sent = fake.requests[0]
      const path = sent?.path ?? ''
      const raw = await fetch(`${fake.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(sent?.body),
      }).then((r) => r.text())
      expect(raw.match(FRAGMENT[api])?.length).toBeGreaterThanOrEqual(3)
    })
  }
})
