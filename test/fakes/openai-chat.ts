import type { CallAnswer, StreamScript, TextAnswer, Wire } from './answer.js'
import { chatUsage, openaiError, openaiHeaders, pad } from './openai-common.js'
import type { SseEvent } from './server.js'

const FINGERPRINT = 'fp_fake0001'

/**
 * The Chat Completions spelling of the answer to request number `index`. Streams carry
 * `usage: null` on every chunk and a last `choices: []` chunk with the usage only when
 * `includeUsage` (the request's `stream_options.include_usage`).
 */
export function chatWire(index: number, created: number, includeUsage: boolean): Wire {
  const id = `chatcmpl-fake${pad(index)}`
  return {
    headers: openaiHeaders(index),
    midStreamStatus: 500,
    message: (answer) => completion(id, created, answer, said(answer, index)),
    refusal: (answer) => completion(id, created, answer, { content: null, refusal: answer.text }),
    stream: (answer) => chunks({ id, index, created, model: answer.model, includeUsage }, answer),
    error: openaiError,
    // The SDK throws an APIError for any streamed `data:` whose JSON has an `error` key.
    streamError: (message) => ({ data: openaiError(500, message) }),
  }
}

/** What a message says: its text (null when empty beside calls), and its `tool_calls`. */
function said(answer: TextAnswer, index: number): Said {
  if (answer.toolCalls.length === 0) return { content: answer.text, refusal: null }
  const toolCalls = answer.toolCalls.map((call, i) => ({
    id: callId(call, index, i),
    type: 'function',
    function: { name: call.name, arguments: call.json },
  }))
  return { content: answer.text === '' ? null : answer.text, refusal: null, tool_calls: toolCalls }
}

function callId(call: CallAnswer, index: number, i: number): string {
  return call.id ?? `call_fake${pad(index)}_${i}`
}

interface Said {
  readonly content: string | null
  readonly refusal: string | null
  readonly tool_calls?: readonly object[]
}

/** A `chat.completion` whose one message says `said` (its content, or its refusal). */
function completion(id: string, created: number, answer: TextAnswer, said: Said): object {
  return {
    id,
    object: 'chat.completion',
    created,
    model: answer.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', ...said, annotations: [] },
        logprobs: null,
        finish_reason: said.tool_calls === undefined ? 'stop' : 'tool_calls',
      },
    ],
    usage: chatUsage(answer),
    service_tier: 'default',
    system_fingerprint: FINGERPRINT,
  }
}

interface ChunkHead {
  readonly id: string
  readonly index: number
  readonly created: number
  readonly model: string
  readonly includeUsage: boolean
}

function chunks(head: ChunkHead, answer: TextAnswer): StreamScript {
  const chunk = (choices: readonly object[], usage: object | null = null): SseEvent => ({
    data: {
      id: head.id,
      object: 'chat.completion.chunk',
      created: head.created,
      model: head.model,
      service_tier: 'default',
      system_fingerprint: FINGERPRINT,
      choices,
      ...(head.includeUsage ? { usage } : {}),
    },
  })
  const choice = (delta: object, finish: 'stop' | 'tool_calls' | null = null): object => ({
    index: 0,
    delta,
    logprobs: null,
    finish_reason: finish,
  })
  const usageChunk = head.includeUsage ? [chunk([], chatUsage(answer))] : []
  // A call's first chunk names it; the rest carry its argument text, found by `index`.
  const calls = answer.toolCalls.flatMap((call, i) => {
    const start = { id: callId(call, head.index, i), type: 'function' }
    return [
      chunk([
        choice({
          tool_calls: [{ index: i, ...start, function: { name: call.name, arguments: '' } }],
        }),
      ]),
      ...call.fragments.map((part) =>
        chunk([choice({ tool_calls: [{ index: i, function: { arguments: part } }] })]),
      ),
    ]
  })
  const finish = calls.length > 0 ? 'tool_calls' : 'stop'
  return {
    head: [chunk([choice({ role: 'assistant', content: '', refusal: null })])],
    deltas: answer.chunks.map((content) => chunk([choice({ content })])),
    tail: [...calls, chunk([choice({}, finish)]), ...usageChunk, { data: '[DONE]' }],
  }
}
