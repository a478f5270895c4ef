import type { StreamScript, TextAnswer, Wire } from './answer.js'
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

/** The Anthropic Messages API's spelling of the answer to request number `index`. */
export function anthropicWire(index: number): Wire {
  const id = `msg_fake${String(index).padStart(6, '0')}`
  const requestId = `req_fake${String(index).padStart(6, '0')}`
  return {
    headers: { 'request-id': requestId },
    midStreamStatus: 529,
    message: (answer) => ({
      ...messageShell(id, answer.model, 'end_turn'),
      content: [{ type: 'text', text: answer.text, citations: null }],
      usage: { ...usage(answer), output_tokens: answer.usage.output, ...details(answer) },
    }),
    stream: (answer) => streamScript(id, answer),
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

function messageShell(id: string, model: string, stopReason: 'end_turn' | null): object {
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

/** message_start, content_block_start, ping, text deltas, content_block_stop, message_delta, message_stop. */
function streamScript(id: string, answer: TextAnswer): StreamScript {
  const message = {
    ...messageShell(id, answer.model, null),
    usage: { ...usage(answer), output_tokens: 1 },
  }
  return {
    head: [
      named({ type: 'message_start', message }),
      named({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
      named({ type: 'ping' }),
    ],
    deltas: answer.chunks.map((text) =>
      named({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }),
    ),
    tail: [
      named({ type: 'content_block_stop', index: 0 }),
      named({
        type: 'message_delta',
        delta: {
          stop_reason: 'end_turn',
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

/** An event whose SSE name is its `type`, as every Messages stream event is sent. */
function named(data: { readonly type: string; readonly [key: string]: unknown }): SseEvent {
  return { event: data.type, data }
}
