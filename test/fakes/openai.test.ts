import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  OpenAIError,
  PermissionDeniedError,
  RateLimitError,
} from 'openai'
import { afterEach, describe, expect, it } from 'vitest'
import { startFakeOpenAI } from './openai.js'
import type { FakeOpenAIOptions, OpenAIReplyRequest } from './openai.js'
import type { FakeErrorStatus, FakeServer } from './server.js'

const servers: FakeServer[] = []

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

async function setup(options?: FakeOpenAIOptions, timeout?: number) {
  const server = await startFakeOpenAI(options)
  servers.push(server)
  const client = new OpenAI({
    apiKey: 'sk-test',
    baseURL: `${server.url}/v1`, // the OpenAI SDK's paths start after /v1
    maxRetries: 0,
    ...(timeout === undefined ? {} : { timeout }),
  })
  return { server, client }
}

const chat = {
  model: 'gpt-test',
  messages: [
    { role: 'system' as const, content: 'Be brief.' },
    { role: 'user' as const, content: 'Hello there' },
  ],
}
const responses = { model: 'gpt-test', instructions: 'Be brief.', input: 'Hello there' }
const PROMPT_TOKENS = Math.ceil('Be brief.Hello there'.length / 4)

/** Iterates a stream, keeping what came before a throw. */
async function drain<T>(stream: AsyncIterable<T>) {
  const seen: T[] = []
  try {
    for await (const item of stream) seen.push(item)
    return { seen, error: undefined }
  } catch (error) {
    return { seen, error }
  }
}

function chatText(chunks: readonly OpenAI.ChatCompletionChunk[]): string[] {
  return chunks.flatMap((c) => c.choices.flatMap((choice) => choice.delta.content || []))
}

function responsesText(events: readonly OpenAI.Responses.ResponseStreamEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'response.output_text.delta' ? [e.delta] : []))
}

describe('fake OpenAI Chat Completions', () => {
  it('echoes the last user message with estimated usage by default', async () => {
    const { client } = await setup()
    const completion = await client.chat.completions.create(chat)
    expect(completion.object).toBe('chat.completion')
    expect(completion.choices[0]?.message.content).toBe('echo: Hello there')
    expect(completion.choices[0]?.finish_reason).toBe('stop')
    expect(completion.model).toBe('gpt-test')
    expect(completion.usage).toMatchObject({
      prompt_tokens: PROMPT_TOKENS,
      completion_tokens: 5,
      total_tokens: PROMPT_TOKENS + 5,
    })
    expect(completion._request_id).toBe('req_fake000000')
  })

  it('reports prompt_tokens including the cached tokens', async () => {
    const usage = { input: 100, cacheRead: 60, output: 9, reasoning: 4 }
    const { client } = await setup({
      reply: () => ({ kind: 'text', text: 'hi', usage, model: 'gpt-test-2025-01-01' }),
    })
    const completion = await client.chat.completions.create(chat)
    expect(completion.model).toBe('gpt-test-2025-01-01')
    expect(completion.usage).toMatchObject({
      prompt_tokens: 100,
      completion_tokens: 9,
      total_tokens: 109,
      prompt_tokens_details: { cached_tokens: 60 },
      completion_tokens_details: { reasoning_tokens: 4 },
    })
  })

  it('streams chunks and a last usage chunk when include_usage is set', async () => {
    const text = 'The quick brown fox jumps'
    const { client } = await setup({ reply: () => ({ kind: 'text', text, usage: { input: 30 } }) })
    const stream = await client.chat.completions.create({
      ...chat,
      stream: true,
      stream_options: { include_usage: true },
    })
    const { seen, error } = await drain(stream)
    expect(error).toBeUndefined()
    expect(chatText(seen)).toHaveLength(4)
    expect(chatText(seen).join('')).toBe(text)
    expect(seen[0]?.choices[0]?.delta.role).toBe('assistant')
    expect(seen.flatMap((c) => c.choices.map((choice) => choice.finish_reason))).toContain('stop')
    const last = seen.at(-1)
    expect(last?.choices).toEqual([])
    expect(last?.usage).toMatchObject({ prompt_tokens: 30, completion_tokens: 7 })
    expect(seen.slice(0, -1).every((c) => c.usage === null)).toBe(true)
  })

  it('streams no usage at all without include_usage', async () => {
    const { client } = await setup()
    const { seen } = await drain(await client.chat.completions.create({ ...chat, stream: true }))
    expect(chatText(seen).join('')).toBe('echo: Hello there')
    expect(seen.length).toBeGreaterThan(2)
    expect(seen.every((c) => c.usage == null && c.choices.length === 1)).toBe(true)
  })

  it('lets chat.completions.stream() build the final completion', async () => {
    const { client } = await setup({ reply: () => ({ kind: 'text', text: 'streamed answer' }) })
    const stream = client.chat.completions.stream({
      ...chat,
      stream_options: { include_usage: true },
    })
    const completion = await stream.finalChatCompletion()
    expect(completion.choices[0]?.message.content).toBe('streamed answer')
    expect(completion.usage).toMatchObject({ prompt_tokens: PROMPT_TOKENS, completion_tokens: 4 })
  })
})

describe('fake OpenAI Responses', () => {
  it('answers with output_text, echoed instructions and estimated usage', async () => {
    const { client } = await setup()
    const response = await client.responses.create(responses)
    expect(response.object).toBe('response')
    expect(response.status).toBe('completed')
    expect(response.output_text).toBe('echo: Hello there')
    expect(response.instructions).toBe('Be brief.')
    expect(response.usage).toMatchObject({
      input_tokens: PROMPT_TOKENS,
      output_tokens: 5,
      total_tokens: PROMPT_TOKENS + 5,
    })
    expect(response._request_id).toBe('req_fake000000')
  })

  it('reads input items and reports input_tokens including the cached tokens', async () => {
    const usage = { input: 80, cacheRead: 50, output: 6, reasoning: 3 }
    const seen: OpenAIReplyRequest[] = []
    const { client } = await setup({
      reply: (request) => {
        seen.push(request)
        return { kind: 'text', text: `got ${request.api}`, usage }
      },
    })
    const response = await client.responses.create({
      model: 'gpt-test',
      input: [
        { role: 'developer', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'input_text', text: 'Hi' }] },
      ],
    })
    expect(response.output_text).toBe('got responses')
    expect(response.usage).toEqual({
      input_tokens: 80,
      input_tokens_details: { cached_tokens: 50 },
      output_tokens: 6,
      output_tokens_details: { reasoning_tokens: 3 },
      total_tokens: 86,
    })
    expect(seen[0]?.api).toBe('responses')
  })

  it('streams numbered events ending in response.completed with usage', async () => {
    const text = 'The quick brown fox jumps'
    const { client } = await setup({ reply: () => ({ kind: 'text', text, usage: { input: 30 } }) })
    const { seen, error } = await drain(
      await client.responses.create({ ...responses, stream: true }),
    )
    expect(error).toBeUndefined()
    expect(seen.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      ...Array<string>(4).fill('response.output_text.delta'),
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ])
    expect(seen.map((e) => e.sequence_number)).toEqual(seen.map((_, i) => i))
    expect(responsesText(seen).join('')).toBe(text)
    const completed = seen.at(-1)
    expect(completed?.type === 'response.completed' && completed.response.usage).toMatchObject({
      input_tokens: 30,
      output_tokens: 7,
    })
  })

  it('lets responses.stream() build the final response', async () => {
    const { client } = await setup({ reply: () => ({ kind: 'text', text: 'streamed answer' }) })
    const stream = client.responses.stream(responses)
    const deltas: string[] = []
    stream.on('response.output_text.delta', (event) => deltas.push(event.delta))
    const response = await stream.finalResponse()
    expect(deltas.join('')).toBe('streamed answer')
    expect(response.output_text).toBe('streamed answer')
    expect(response.usage?.output_tokens).toBe(4)
  })
})

describe('fake OpenAI: errors', () => {
  const cases: [FakeErrorStatus, new (...args: never[]) => APIError, string, string | null][] = [
    [400, BadRequestError, 'invalid_request_error', null],
    [401, AuthenticationError, 'invalid_request_error', 'invalid_api_key'],
    [403, PermissionDeniedError, 'invalid_request_error', null],
    [404, NotFoundError, 'invalid_request_error', 'model_not_found'],
    [429, RateLimitError, 'requests', 'rate_limit_exceeded'],
    [500, InternalServerError, 'server_error', null],
    [503, InternalServerError, 'server_error', null],
    [529, InternalServerError, 'server_error', null],
  ]

  it.each(cases)(
    'answers %i with the SDK error class, type and code',
    async (status, cls, type, code) => {
      const { client } = await setup({ reply: () => ({ kind: 'error', status, message: 'nope' }) })
      for (const call of [
        () => client.chat.completions.create(chat),
        () => client.responses.create(responses),
      ]) {
        const error = await call().catch((e: unknown) => e)
        expect(error).toBeInstanceOf(cls)
        expect(error).toMatchObject({ status, type, code, param: null, message: `${status} nope` })
        expect((error as APIError).requestID).toMatch(/^req_fake/)
      }
    },
  )

  it('sends retry-after on a 429, readable from error.headers', async () => {
    const { client } = await setup({ reply: () => ({ kind: 'error', status: 429, retryAfter: 3 }) })
    const error = await client.chat.completions.create(chat).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RateLimitError)
    expect((error as RateLimitError).headers.get('retry-after')).toBe('3')
  })

  it('chat stream-error: the SDK throws an APIError after the first deltas', async () => {
    const { client } = await setup({
      reply: () => ({
        kind: 'stream-error',
        text: 'one two three four',
        afterChunks: 2,
        message: 'boom',
      }),
    })
    const stream = await client.chat.completions.create({ ...chat, stream: true })
    const { seen, error } = await drain(stream)
    expect(chatText(seen)).toEqual(['one t', 'wo th'])
    expect(error).toBeInstanceOf(APIError)
    expect(error).toMatchObject({ status: undefined, type: 'server_error', message: 'boom' })
  })

  it('responses stream-error: the SDK throws an APIError after the first deltas', async () => {
    const { client } = await setup({
      reply: () => ({
        kind: 'stream-error',
        text: 'one two three four',
        afterChunks: 1,
        message: 'boom',
      }),
    })
    const stream = await client.responses.create({ ...responses, stream: true })
    const { seen, error } = await drain(stream)
    expect(responsesText(seen)).toEqual(['one t'])
    expect(error).toBeInstanceOf(APIError)
    expect(error).toMatchObject({ status: undefined, code: 'server_error', message: 'boom' })
  })

  it('answers a stream-error reply to a plain request with a 500', async () => {
    const { client } = await setup({
      reply: () => ({ kind: 'stream-error', text: 'x', afterChunks: 1 }),
    })
    const error = await client.chat.completions.create(chat).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InternalServerError)
    expect((error as APIError).status).toBe(500)
  })

  it('answers an invalid body with a 400 and an unknown route with a 404', async () => {
    const { server } = await setup()
    const post = (path: string, body: unknown) =>
      fetch(server.url + path, { method: 'POST', body: JSON.stringify(body) })
    const invalid = await post('/v1/chat/completions', { model: 'gpt-test' })
    expect(invalid.status).toBe(400)
    expect(await invalid.json()).toMatchObject({
      error: { type: 'invalid_request_error', message: "Missing required parameter: 'messages'." },
    })
    const noModel = await post('/v1/responses', { input: 'x' })
    expect(noModel.status).toBe(400)
    const missing = await post('/v1/completions', chat)
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({
      error: { message: 'Invalid URL (POST /v1/completions)' },
    })
  })
})

describe('fake OpenAI: broken connections', () => {
  const truncated = () => ({
    kind: 'truncated' as const,
    text: 'one two three four',
    afterChunks: 2,
  })

  it('truncated chat stream: the SDK iterator throws a fetch TypeError', async () => {
    const { client } = await setup({ reply: truncated })
    const stream = await client.chat.completions.create({ ...chat, stream: true })
    const { seen, error } = await drain(stream)
    expect(chatText(seen)).toEqual(['one t', 'wo th'])
    expect(error).toBeInstanceOf(TypeError)
    expect((error as TypeError).message).toBe('terminated')
  })

  it('truncated responses stream: the iterator throws, responses.stream() wraps it', async () => {
    const { client } = await setup({ reply: truncated })
    const stream = await client.responses.create({ ...responses, stream: true })
    const { seen, error } = await drain(stream)
    expect(responsesText(seen)).toEqual(['one t', 'wo th'])
    expect(error).toBeInstanceOf(TypeError)
    const helper = await client.responses
      .stream(responses)
      .finalResponse()
      .catch((e: unknown) => e)
    expect(helper).toBeInstanceOf(OpenAIError)
    expect(helper).not.toBeInstanceOf(APIError)
    expect((helper as Error).message).toBe('terminated')
  })

  it('truncated plain answer: create() rejects with the raw fetch TypeError', async () => {
    const { client } = await setup({ reply: truncated })
    const error = await client.chat.completions.create(chat).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TypeError)
    expect((error as TypeError).message).toBe('terminated')
  })

  it('hang: the SDK timeout raises APIConnectionTimeoutError on both APIs', async () => {
    const { client, server } = await setup({ reply: () => ({ kind: 'hang' }) }, 200)
    const started = performance.now()
    const errors = await Promise.all([
      client.chat.completions.create(chat).catch((e: unknown) => e),
      client.responses.create(responses).catch((e: unknown) => e),
    ])
    expect(errors[0]).toBeInstanceOf(APIConnectionTimeoutError)
    expect(errors[1]).toBeInstanceOf(APIConnectionTimeoutError)
    expect(performance.now() - started).toBeLessThan(5_000)
    expect(server.requests).toHaveLength(2)
  })

  it('reset: the socket is destroyed before any byte, create() rejects with APIConnectionError', async () => {
    const { client, server } = await setup({ reply: () => ({ kind: 'reset' }) })
    const error = await client.chat.completions.create(chat).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(APIConnectionError)
    expect(server.requests).toHaveLength(1)
  })

  it('malformed with a contentType: the body is sent as is with that content-type', async () => {
    const body = 'data: {"weird":1}\n\n'
    const { server } = await setup({
      reply: () => ({ kind: 'malformed', contentType: 'text/event-stream', body }),
    })
    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify(chat),
    })
    expect(response.headers.get('content-type')).toBe('text/event-stream')
    expect(await response.text()).toBe(body)
  })

  it('close() ends a hanging request', async () => {
    const { client, server } = await setup({ reply: () => ({ kind: 'hang' }) })
    const pending = client.responses.create(responses).catch((e: unknown) => e)
    await expect.poll(() => server.requests.length).toBe(1)
    await server.close()
    expect(await pending).toBeInstanceOf(APIConnectionError)
  })

  it('close() ends a chat stream that stalled after some deltas', async () => {
    const { client, server } = await setup({
      reply: () => ({ kind: 'hang', text: 'one two three four', afterChunks: 1 }),
    })
    const stream = await client.chat.completions.create({ ...chat, stream: true })
    const seen: OpenAI.ChatCompletionChunk[] = []
    const iterating = (async () => {
      for await (const chunk of stream) seen.push(chunk)
    })().catch((e: unknown) => e)
    await expect.poll(() => chatText(seen)).toEqual(['one t'])
    await server.close()
    expect(await iterating).toBeInstanceOf(Error)
  })
})

describe('fake OpenAI: recording', () => {
  it('records method, path, headers and body of both APIs', async () => {
    const { client, server } = await setup()
    await client.chat.completions.create(chat)
    await client.responses.create(responses)
    const [first, second] = server.requests
    expect(first).toMatchObject({ method: 'POST', path: '/v1/chat/completions', body: chat })
    expect(second).toMatchObject({ method: 'POST', path: '/v1/responses', body: responses })
    expect(first?.headers.authorization).toBe('Bearer sk-test')
    expect(first?.headers['content-type']).toBe('application/json')
  })

  it('counts attempts per identical body and tells which api was called', async () => {
    const seen: OpenAIReplyRequest[] = []
    const { client } = await setup({
      reply: (request) => {
        seen.push(request)
        return { kind: 'text', text: `attempt ${request.attempt}` }
      },
    })
    await client.chat.completions.create(chat)
    const again = await client.chat.completions.create(chat)
    await client.responses.create(responses)
    expect(again.choices[0]?.message.content).toBe('attempt 2')
    expect(seen.map((r) => [r.api, r.attempt, r.index])).toEqual([
      ['chat', 1, 0],
      ['chat', 2, 1],
      ['responses', 1, 2],
    ])
    expect(seen[0]?.headers.authorization).toBe('Bearer sk-test')
  })
})

describe('fake OpenAI: structured answers and refusals', () => {
  const schema = {
    type: 'object',
    properties: { pass: { type: 'boolean' } },
    required: ['pass'],
    additionalProperties: false,
  }

  it('chat: reply() sees response_format; a refusal reply sets message.refusal', async () => {
    const seen: OpenAIReplyRequest[] = []
    const { client } = await setup({
      reply: (request) => {
        seen.push(request)
        return { kind: 'refusal', text: 'I cannot help with that.' }
      },
    })
    const response_format = {
      type: 'json_schema' as const,
      json_schema: { name: 'verdict', schema, strict: true },
    }
    const completion = await client.chat.completions.create({ ...chat, response_format })
    expect(seen[0]?.api === 'chat' && seen[0].body.response_format).toEqual(response_format)
    expect(completion.choices[0]?.message).toMatchObject({
      role: 'assistant',
      content: null,
      refusal: 'I cannot help with that.',
    })
    expect(completion.usage?.completion_tokens).toBe(
      Math.ceil('I cannot help with that.'.length / 4),
    )
  })

  it('responses: text.format is seen and echoed; a refusal is a refusal content part', async () => {
    const seen: OpenAIReplyRequest[] = []
    const { client } = await setup({
      reply: (request) => {
        seen.push(request)
        return request.attempt === 1
          ? { kind: 'text', text: '{"pass":true}' }
          : { kind: 'refusal', text: 'No.' }
      },
    })
    const format = { type: 'json_schema' as const, name: 'verdict', schema, strict: true }
    const body = { ...responses, text: { format } }
    const answered = await client.responses.create(body)
    expect(seen[0]?.api === 'responses' && seen[0].body.text).toEqual({ format })
    expect(answered.output_text).toBe('{"pass":true}')
    expect(answered.text).toEqual({ format, verbosity: 'medium' })
    const refused = await client.responses.create(body)
    expect(refused.output_text).toBe('')
    expect(refused.output).toMatchObject([
      { type: 'message', role: 'assistant', content: [{ type: 'refusal', refusal: 'No.' }] },
    ])
  })
})
