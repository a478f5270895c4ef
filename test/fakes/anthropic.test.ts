import Anthropic, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  AnthropicError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  OverloadedError,
  PermissionDeniedError,
  RateLimitError,
  ServiceUnavailableError,
} from '@anthropic-ai/sdk'
import { afterEach, describe, expect, it } from 'vitest'
import { startFakeAnthropic } from './anthropic.js'
import type { AnthropicReplyRequest, FakeAnthropicOptions } from './anthropic.js'
import type { FakeErrorStatus, FakeServer } from './server.js'

const servers: FakeServer[] = []

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

async function setup(options?: FakeAnthropicOptions, timeout?: number) {
  const server = await startFakeAnthropic(options)
  servers.push(server)
  const client = new Anthropic({
    apiKey: 'sk-ant-test',
    baseURL: server.url,
    maxRetries: 0,
    ...(timeout === undefined ? {} : { timeout }),
  })
  return { server, client }
}

const params = {
  model: 'claude-test-1',
  max_tokens: 64,
  messages: [{ role: 'user' as const, content: 'Hello there' }],
}

/** Iterates a raw event stream, keeping what came before a throw. */
async function drain(events: AsyncIterable<Anthropic.RawMessageStreamEvent>) {
  const seen: Anthropic.RawMessageStreamEvent[] = []
  try {
    for await (const event of events) seen.push(event)
    return { seen, error: undefined }
  } catch (error) {
    return { seen, error }
  }
}

function deltaText(events: readonly Anthropic.RawMessageStreamEvent[]): string[] {
  return events.flatMap((e) =>
    e.type === 'content_block_delta' && e.delta.type === 'text_delta' ? [e.delta.text] : [],
  )
}

describe('fake Anthropic: successful answers', () => {
  it('echoes the last user message with estimated usage by default', async () => {
    const { client } = await setup()
    const message = await client.messages.create(params)
    expect(message.content).toEqual([{ type: 'text', text: 'echo: Hello there', citations: null }])
    expect(message.model).toBe('claude-test-1')
    expect(message.stop_reason).toBe('end_turn')
    expect(message.usage).toMatchObject({
      input_tokens: 3, // ceil('Hello there'.length / 4)
      output_tokens: 5, // ceil('echo: Hello there'.length / 4)
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 0,
    })
    expect(message._request_id).toBe('req_fake000000')
  })

  it('reports input_tokens without the cache tokens, and the given model', async () => {
    const usage = { input: 100, cacheRead: 60, cacheWrite: 30, output: 9, reasoning: 4 }
    const { client } = await setup({
      reply: () => ({ kind: 'text', text: 'hi', usage, model: 'claude-test-1-20250101' }),
    })
    const message = await client.messages.create(params)
    expect(message.model).toBe('claude-test-1-20250101')
    expect(message.usage).toMatchObject({
      input_tokens: 10,
      cache_read_input_tokens: 60,
      cache_creation_input_tokens: 30,
      output_tokens: 9,
      output_tokens_details: { thinking_tokens: 4 },
    })
  })

  it('counts the system prompt and text blocks, and echoes the last user message', async () => {
    const { client } = await setup()
    const message = await client.messages.create({
      ...params,
      system: [{ type: 'text', text: 'Be brief.' }],
      messages: [
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: [{ type: 'text', text: 'second' }] },
      ],
    })
    expect(message.content[0]).toMatchObject({ text: 'echo: second' })
    expect(message.usage.input_tokens).toBe(Math.ceil('Be brief.firstoksecond'.length / 4))
  })

  it('streams the real event sequence with cumulative output tokens', async () => {
    const text = 'The quick brown fox jumps over the lazy dog'
    const usage = { input: 50, cacheRead: 20, cacheWrite: 5, output: 12 }
    const { client } = await setup({ reply: () => ({ kind: 'text', text, usage }) })
    const { seen, error } = await drain(await client.messages.create({ ...params, stream: true }))
    expect(error).toBeUndefined()
    expect(seen.map((e) => e.type)).toEqual([
      'message_start',
      'content_block_start',
      ...Array<string>(4).fill('content_block_delta'),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ])
    expect(deltaText(seen).join('')).toBe(text)
    const start = seen[0] as Anthropic.RawMessageStartEvent
    expect(start.message.usage).toMatchObject({
      input_tokens: 25,
      cache_read_input_tokens: 20,
      cache_creation_input_tokens: 5,
      output_tokens: 1,
    })
    const delta = seen.find((e) => e.type === 'message_delta')
    expect(delta?.usage.output_tokens).toBe(12)
    expect(delta?.delta.stop_reason).toBe('end_turn')
  })

  it('lets messages.stream() build the final message and usage', async () => {
    const usage = { input: 40, cacheRead: 8, output: 7, reasoning: 2 }
    const { client } = await setup({
      reply: () => ({ kind: 'text', text: 'streamed answer', usage }),
    })
    const stream = client.messages.stream(params)
    const pieces: string[] = []
    stream.on('text', (piece) => pieces.push(piece))
    const message = await stream.finalMessage()
    expect(pieces.length).toBeGreaterThan(1)
    expect(pieces.join('')).toBe('streamed answer')
    expect(message.content).toEqual([{ type: 'text', text: 'streamed answer' }])
    expect(message.usage).toMatchObject({
      input_tokens: 32,
      cache_read_input_tokens: 8,
      output_tokens: 7,
      output_tokens_details: { thinking_tokens: 2 },
    })
    expect(stream.request_id).toBe('req_fake000000')
  })

  it('serves client.beta.messages on the same route, recording anthropic-beta', async () => {
    const { server, client } = await setup()
    const message = await client.beta.messages.create({ ...params, betas: ['fake-beta-1'] })
    expect(message.content[0]).toMatchObject({ text: 'echo: Hello there' })
    expect(server.requests[0]?.path).toBe('/v1/messages')
    expect(server.requests[0]?.headers['anthropic-beta']).toBe('fake-beta-1')
  })

  it('waits delayMs before answering and chunkDelayMs between events', async () => {
    const { client } = await setup({
      reply: ({ body }) =>
        body.stream === true
          ? { kind: 'text', text: 'abcdefgh', chunkDelayMs: 20 }
          : { kind: 'text', text: 'x', delayMs: 150 },
    })
    let started = performance.now()
    await client.messages.create(params)
    expect(performance.now() - started).toBeGreaterThanOrEqual(140)
    started = performance.now()
    // 9 events (ping included) leave 8 gaps of 20 ms.
    await drain(await client.messages.create({ ...params, stream: true }))
    expect(performance.now() - started).toBeGreaterThanOrEqual(150)
  })
})

describe('fake Anthropic: errors', () => {
  const cases: [FakeErrorStatus, new (...args: never[]) => APIError, string][] = [
    [400, BadRequestError, 'invalid_request_error'],
    [401, AuthenticationError, 'authentication_error'],
    [403, PermissionDeniedError, 'permission_error'],
    [404, NotFoundError, 'not_found_error'],
    [429, RateLimitError, 'rate_limit_error'],
    [500, InternalServerError, 'api_error'],
    [503, ServiceUnavailableError, 'api_error'],
    [529, OverloadedError, 'overloaded_error'],
  ]

  it.each(cases)(
    'answers %i with the SDK error class and error type',
    async (status, cls, type) => {
      const { client } = await setup({ reply: () => ({ kind: 'error', status, message: 'nope' }) })
      const error = await client.messages.create(params).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(cls)
      const apiError = error as APIError
      expect(apiError.status).toBe(status)
      expect(apiError.type).toBe(type)
      expect(apiError.apiMessage).toBe('nope')
      expect(apiError.error).toMatchObject({ type: 'error', error: { type, message: 'nope' } })
      expect(apiError.requestID).toBe('req_fake000000')
    },
  )

  it('sends retry-after on a 429, readable from error.headers', async () => {
    const { client } = await setup({
      reply: () => ({ kind: 'error', status: 429, retryAfter: 7 }),
    })
    const error = await client.messages.create(params).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RateLimitError)
    expect((error as RateLimitError).headers.get('retry-after')).toBe('7')
  })

  it('makes the SDK throw an overloaded_error mid-stream after the first deltas', async () => {
    const { client } = await setup({
      reply: () => ({ kind: 'stream-error', text: 'one two three four', afterChunks: 2 }),
    })
    const { seen, error } = await drain(await client.messages.create({ ...params, stream: true }))
    expect(deltaText(seen)).toEqual(['one t', 'wo th'])
    expect(error).toBeInstanceOf(APIError)
    expect((error as APIError).type).toBe('overloaded_error')
    expect((error as APIError).status).toBeUndefined()
  })

  it('answers a stream-error reply to a plain request with a 529', async () => {
    const { client } = await setup({
      reply: () => ({ kind: 'stream-error', text: 'x', afterChunks: 1 }),
    })
    const error = await client.messages.create(params).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OverloadedError)
  })

  it('answers an invalid body with a 400 and an unknown route with a 404', async () => {
    const { server } = await setup()
    const post = (path: string, body: unknown) =>
      fetch(server.url + path, { method: 'POST', body: JSON.stringify(body) })
    const invalid = await post('/v1/messages', { model: 'm', messages: [] })
    expect(invalid.status).toBe(400)
    expect(await invalid.json()).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'max_tokens: Field required' },
    })
    const missing = await post('/v1/complete', params)
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({ error: { type: 'not_found_error' } })
  })

  it('answers with a 500 naming the failure when reply() throws', async () => {
    const { client } = await setup({
      reply: () => {
        throw new Error('bad script')
      },
    })
    const error = await client.messages.create(params).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InternalServerError)
    expect((error as APIError).message).toContain('fake reply() threw: bad script')
  })
})

describe('fake Anthropic: broken connections', () => {
  it('truncated stream: the SDK iterator throws a fetch TypeError after the sent deltas', async () => {
    const { client } = await setup({
      reply: () => ({ kind: 'truncated', text: 'one two three four', afterChunks: 3 }),
    })
    const { seen, error } = await drain(await client.messages.create({ ...params, stream: true }))
    expect(deltaText(seen)).toEqual(['one t', 'wo th', 'ree f'])
    expect(seen.some((e) => e.type === 'message_stop')).toBe(false)
    expect(error).toBeInstanceOf(TypeError)
    expect((error as TypeError).message).toBe('terminated')
  })

  it('truncated stream: messages.stream() wraps that TypeError in an AnthropicError', async () => {
    const { client } = await setup({
      reply: () => ({ kind: 'truncated', text: 'one two three four', afterChunks: 1 }),
    })
    const error = await client.messages
      .stream(params)
      .finalMessage()
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AnthropicError)
    expect(error).not.toBeInstanceOf(APIError)
    expect((error as Error).message).toBe('terminated')
    expect((error as Error).cause).toBeInstanceOf(TypeError)
  })

  it('truncated plain answer: create() rejects with the raw fetch TypeError', async () => {
    const { client } = await setup({
      reply: () => ({ kind: 'truncated', text: 'a long enough answer', afterChunks: 0 }),
    })
    const error = await client.messages.create(params).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TypeError)
    expect((error as TypeError).message).toBe('terminated')
  })

  it('hang: the SDK timeout raises APIConnectionTimeoutError', async () => {
    const { client, server } = await setup({ reply: () => ({ kind: 'hang' }) }, 200)
    const started = performance.now()
    const error = await client.messages.create(params).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(APIConnectionTimeoutError)
    expect(performance.now() - started).toBeLessThan(5_000)
    expect(server.requests).toHaveLength(1)
  })

  it('close() ends a hanging request', async () => {
    const { client, server } = await setup({ reply: () => ({ kind: 'hang' }) })
    const pending = client.messages.create(params).catch((e: unknown) => e)
    await expect.poll(() => server.requests.length).toBe(1)
    await server.close()
    expect(await pending).toBeInstanceOf(APIConnectionError)
  })

  it('close() ends a stream that stalled after some deltas', async () => {
    const { client, server } = await setup({
      reply: () => ({ kind: 'hang', text: 'one two three four', afterChunks: 2 }),
    })
    const stream = await client.messages.create({ ...params, stream: true })
    const seen: Anthropic.RawMessageStreamEvent[] = []
    const iterating = (async () => {
      for await (const event of stream) seen.push(event)
    })().catch((e: unknown) => e)
    await expect.poll(() => deltaText(seen).length).toBe(2)
    await server.close()
    expect(await iterating).toBeInstanceOf(Error)
  })
})

describe('fake Anthropic: recording', () => {
  it('records method, path, headers and body', async () => {
    const { client, server } = await setup()
    await client.messages.create(params)
    const [request] = server.requests
    expect(request).toMatchObject({ method: 'POST', path: '/v1/messages', body: params })
    // SDK 1.14 sends the API key as a bearer token, not as x-api-key.
    expect(request?.headers.authorization).toBe('Bearer sk-ant-test')
    expect(request?.headers['x-api-key']).toBeUndefined()
    expect(request?.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(request?.headers['content-type']).toBe('application/json')
    expect(request?.receivedAt).toBeGreaterThan(0)
  })

  it('counts attempts per identical body and indexes every request', async () => {
    const seen: AnthropicReplyRequest[] = []
    const { client } = await setup({
      reply: (request) => {
        seen.push(request)
        return request.attempt === 1
          ? { kind: 'error', status: 529 }
          : { kind: 'text', text: `attempt ${request.attempt}` }
      },
    })
    await expect(client.messages.create(params)).rejects.toThrow(OverloadedError)
    const second = await client.messages.create(params)
    expect(second.content[0]).toMatchObject({ text: 'attempt 2' })
    await expect(client.messages.create({ ...params, max_tokens: 65 })).rejects.toBeInstanceOf(
      OverloadedError,
    )
    expect(seen.map((r) => [r.attempt, r.index])).toEqual([
      [1, 0],
      [2, 1],
      [1, 2],
    ])
    expect(seen[0]?.body.model).toBe('claude-test-1')
    expect(seen[0]?.headers.authorization).toBe('Bearer sk-ant-test')
  })
})

describe('fake Anthropic: forced tool use and refusals', () => {
  const schema = {
    type: 'object' as const,
    properties: { pass: { type: 'boolean' } },
    required: ['pass'],
    additionalProperties: false,
  }
  const forced = {
    ...params,
    tools: [{ name: 'verdict', description: 'The verdict.', input_schema: schema }],
    tool_choice: { type: 'tool' as const, name: 'verdict' },
  }

  it('answers a JSON-object text as a tool_use block of the forced tool', async () => {
    const { client } = await setup({ reply: () => ({ kind: 'text', text: '{"pass":true}' }) })
    const message = await client.messages.create(forced)
    expect(message.content).toEqual([
      {
        type: 'tool_use',
        id: 'toolu_fake000000',
        name: 'verdict',
        input: { pass: true },
        caller: { type: 'direct' },
      },
    ])
    expect(message.stop_reason).toBe('tool_use')
    expect(message.usage.output_tokens).toBe(Math.ceil('{"pass":true}'.length / 4))
  })

  it('answers text that is not a JSON object as text, forced or not', async () => {
    const texts = ['not json at all', '[1, 2]', '"a string"', '{"cut": ']
    const { client } = await setup({
      reply: ({ index }) => ({ kind: 'text', text: texts[index] ?? '' }),
    })
    for (const text of texts) {
      const message = await client.messages.create(forced)
      expect(message.content).toEqual([{ type: 'text', text, citations: null }])
      expect(message.stop_reason).toBe('end_turn')
    }
  })

  it('leaves JSON text alone without a forced tool, and streams forced requests as text', async () => {
    const { client } = await setup({ reply: () => ({ kind: 'text', text: '{"pass":false}' }) })
    const auto = await client.messages.create({ ...forced, tool_choice: { type: 'auto' } })
    expect(auto.content[0]).toMatchObject({ type: 'text', text: '{"pass":false}' })
    const { seen } = await drain(await client.messages.create({ ...forced, stream: true }))
    expect(deltaText(seen).join('')).toBe('{"pass":false}')
  })

  it('rejects a tool_choice naming a tool that is not in tools with a 400', async () => {
    const { client } = await setup()
    const error = await client.messages
      .create({ ...forced, tool_choice: { type: 'tool', name: 'other' } })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(BadRequestError)
    expect((error as APIError).apiMessage).toBe('tool_choice: no tool named other')
  })

  it('answers a refusal reply with stop_reason refusal and its text', async () => {
    const { client } = await setup({ reply: () => ({ kind: 'refusal', text: 'I cannot.' }) })
    const message = await client.messages.create(params)
    expect(message.stop_reason).toBe('refusal')
    expect(message.content).toEqual([{ type: 'text', text: 'I cannot.', citations: null }])
  })

  it('lets reply() see tools and tool_choice', async () => {
    const seen: AnthropicReplyRequest[] = []
    const { client } = await setup({
      reply: (request) => {
        seen.push(request)
        return { kind: 'text', text: '{}' }
      },
    })
    await client.messages.create(forced)
    expect(seen[0]?.body.tool_choice).toEqual({ type: 'tool', name: 'verdict' })
    expect(seen[0]?.body.tools).toEqual(forced.tools)
  })
})
