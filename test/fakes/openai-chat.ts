import type { StreamScript, TextAnswer, Wire } from './answer.js'
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
    message: (answer) => completion(id, created, answer, { content: answer.text, refusal: null }),
    refusal: (answer) => completion(id, created, answer, { content: null, refusal: answer.text }),
    stream: (answer) => chunks({ id, created, model: answer.model, includeUsage }, answer),
    error: openaiError,
    // The SDK throws an APIError for any streamed `data:` whose JSON has an `error` key.
    streamError: (message) => ({ data: openaiError(500, message) }),
  }
}

/** A `chat.completion` whose one message says `said` (its content, or its refusal). */
function completion(
  id: string,
  created: number,
  answer: TextAnswer,
  said: { readonly content: string | null; readonly refusal: string | null },
): object {
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
        finish_reason: 'stop',
      },
    ],
    usage: chatUsage(answer),
    service_tier: 'default',
    system_fingerprint: FINGERPRINT,
  }
}

interface ChunkHead {
  readonly id: string
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
  const choice = (delta: object, finish: 'stop' | null = null): object => ({
    index: 0,
    delta,
    logprobs: null,
    finish_reason: finish,
  })
  const usageChunk = head.includeUsage ? [chunk([], chatUsage(answer))] : []
  return {
    head: [chunk([choice({ role: 'assistant', content: '', refusal: null })])],
    deltas: answer.chunks.map((content) => chunk([choice({ content })])),
    tail: [chunk([choice({}, 'stop')]), ...usageChunk, { data: '[DONE]' }],
  }
}
