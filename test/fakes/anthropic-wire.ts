import type { CallAnswer, StreamScript, TextAnswer, Wire } from './answer.js'
import type { FakeErrorStatus, SseEvent } from './server.js'

/** Error type and default message per status, as the Messages API reports them. */
const ERRORS = {
  400: ['invalid_request_error', 'Invalid request.'],
  401: ['authentication_error', 'invalid x-api-key'],
  403: ['permission_error', 'Your API key does not have permission to use the specified resource.'],
  404: ['not_found_error', 'The requested resource could not be found.'],
  429: ['rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit.'],
  500: ['api_error', 'Internal server error'],
  503: ['api_error', 'Service unavailable'],
  529: ['overloaded_error', 'Overloaded'],
} as const satisfies Record<FakeErrorStatus, readonly [string, string]>

/**
 * The Anthropic Messages API's spelling of the answer to request number `index`. With
 * `forcedTool` (the request's `tool_choice: { type: 'tool', name }`), a plain answer whose text
 * is a JSON object is that tool's call with the object as its input; other text stays text.
 */
export function anthropicWire(index: number, forcedTool?: string): Wire {
  const pad = String(index).padStart(6, '0')
  const id = `msg_fake${pad}`
  const requestId = `req_fake${pad}`
  const toolCall =
    forcedTool === undefined ? () => undefined : toolUse(`toolu_fake${pad}`, forcedTool)
  return {
    headers: { 'request-id': requestId },
    midStreamStatus: 529,
    message: (answer) => {
      const call = toolCall(answer.text)
      const content = call === undefined ? contentOf(answer, pad) : [call]
      const calls = content.some((block) => block.type === 'tool_use')
      return {
        ...messageShell(id, answer.model, calls ? 'tool_use' : 'end_turn'),
        content,
        usage: { ...usage(answer), output_tokens: answer.usage.output, ...details(answer) },
      }
    },
    refusal: (answer) => ({
      ...messageShell(id, answer.model, 'refusal'),
      content: [{ type: 'text', text: answer.text, citations: null }],
      usage: { ...usage(answer), output_tokens: answer.usage.output, ...details(answer) },
    }),
    stream: (answer) => streamScript(id, pad, answer),
    error: (status, message) => ({
      type: 'error',
      error: { type: ERRORS[status][0], message: message ?? ERRORS[status][1] },
      request_id: requestId,
    }),
    streamError: (message) => ({
      event: 'error',
      data: {
        type: 'error',
        error: { type: 'overloaded_error', message: message ?? 'Overloaded' },
      },
    }),
  }
}

/**
 * The content of a plain answer: its text block (left out when the text is empty and the answer
 * makes calls), then one `tool_use` block per call.
 */
function contentOf(answer: TextAnswer, pad: string): { readonly type: string }[] {
  const text = hasText(answer) ? [{ type: 'text', text: answer.text, citations: null }] : []
  const calls = answer.toolCalls.map((call, i) => ({
    type: 'tool_use',
    id: callId(call, pad, i),
    name: call.name,
    input: call.arguments,
    caller: { type: 'direct' },
  }))
  return [...text, ...calls]
}

/** Whether an answer has a text block: any text, or no calls at all. */
function hasText(answer: TextAnswer): boolean {
  return answer.text !== '' || answer.toolCalls.length === 0
}

function callId(call: CallAnswer, pad: string, i: number): string {
  return call.id ?? `toolu_fake${pad}_${i}`
}

/** A `tool_use` block calling `name` with `text` parsed, when `text` is a JSON object. */
function toolUse(id: string, name: string): (text: string) => { type: string } | undefined {
  return (text) => {
    const input = parseObject(text)
    return input === undefined
      ? undefined
      : { type: 'tool_use', id, name, input, caller: { type: 'direct' } }
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined // not JSON: the model answered in prose
  }
}

type StopReason = 'end_turn' | 'tool_use' | 'refusal' | null

function messageShell(id: string, model: string, stopReason: StopReason): object {
  return {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content: [],
    stop_reason: stopReason,
    stop_sequence: null,
    stop_details: null,
    container: null,
  }
}

/** Input-side usage: `input_tokens` excludes both cache counts, as the real API reports it. */
function usage({ usage: u }: TextAnswer): object {
  return {
    input_tokens: Math.max(0, u.input - u.cacheRead - u.cacheWrite),
    cache_creation_input_tokens: u.cacheWrite,
    cache_read_input_tokens: u.cacheRead,
    cache_creation: { ephemeral_5m_input_tokens: u.cacheWrite, ephemeral_1h_input_tokens: 0 },
    service_tier: 'standard',
  }
}

function details({ usage: u }: TextAnswer): object {
  return { output_tokens_details: u.reasoning > 0 ? { thinking_tokens: u.reasoning } : null }
}

/**
 * message_start, content_block_start, ping, text deltas, content_block_stop, then per tool call
 * a `tool_use` block whose input arrives as `input_json_delta` fragments, message_delta,
 * message_stop.
 */
function streamScript(id: string, pad: string, answer: TextAnswer): StreamScript {
  const message = {
    ...messageShell(id, answer.model, null),
    usage: { ...usage(answer), output_tokens: 1 },
  }
  const text = hasText(answer)
  const first = text ? 1 : 0
  return {
    head: [
      named({ type: 'message_start', message }),
      ...(text
        ? [
            named({
              type: 'content_block_start',
              index: 0,
              content_block: { type: 'text', text: '' },
            }),
          ]
        : []),
      named({ type: 'ping' }),
    ],
    deltas: answer.chunks.map((text) =>
      named({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }),
    ),
    tail: [
      ...(text ? [named({ type: 'content_block_stop', index: 0 })] : []),
      ...answer.toolCalls.flatMap((call, i) =>
        toolUseEvents(call, callId(call, pad, i), first + i),
      ),
      named({
        type: 'message_delta',
        delta: {
          stop_reason: answer.toolCalls.length > 0 ? 'tool_use' : 'end_turn',
          stop_sequence: null,
          stop_details: null,
          container: null,
        },
        // Cumulative: the whole message's output tokens, not those since message_start.
        usage: { output_tokens: answer.usage.output, ...details(answer) },
      }),
      named({ type: 'message_stop' }),
    ],
  }
}

/** A streamed `tool_use` block: its start (input `{}`), its input's JSON fragments, its stop. */
function toolUseEvents(call: CallAnswer, id: string, index: number): SseEvent[] {
  const block = { type: 'tool_use', id, name: call.name, input: {}, caller: { type: 'direct' } }
  return [
    named({ type: 'content_block_start', index, content_block: block }),
    ...call.fragments.map((partial_json) =>
      named({
        type: 'content_block_delta',
        index,
        delta: { type: 'input_json_delta', partial_json },
      }),
    ),
    named({ type: 'content_block_stop', index }),
  ]
}

/** An event whose SSE name is its `type`, as every Messages stream event is sent. */
function named(data: { readonly type: string; readonly [key: string]: unknown }): SseEvent {
  return { event: data.type, data }
}
