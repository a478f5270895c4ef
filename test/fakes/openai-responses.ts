import type { CallAnswer, StreamScript, TextAnswer, Wire } from './answer.js'
import { openaiError, openaiHeaders, pad, responsesUsage } from './openai-common.js'
import type { SseEvent } from './server.js'

/** What the Responses fake echoes back from the request. */
export interface ResponseEcho {
  readonly instructions: unknown
  readonly maxOutputTokens: unknown
  /** The request's `text` settings (e.g. a `json_schema` format), over the defaults. */
  readonly text: Readonly<Record<string, unknown>> | undefined
}

/**
 * The Responses API spelling of the answer to request number `index`. Streams are named
 * events (`event:` + `data:`) numbered by `sequence_number` from 0.
 */
export function responsesWire(index: number, created: number, echo: ResponseEcho): Wire {
  const ids = {
    response: `resp_fake${pad(index)}`,
    item: `msg_fake${pad(index)}`,
    pad: pad(index),
    created,
    echo,
  }
  return {
    headers: openaiHeaders(index),
    midStreamStatus: 500,
    message: (answer) => response(ids, answer, 'completed'),
    refusal: (answer) => ({
      ...response(ids, answer, 'completed'),
      output: [{ ...item(ids, null, 'completed'), content: [refusalPart(answer.text)] }],
    }),
    stream: (answer) => events(ids, answer),
    error: openaiError,
    // The real API nests the error object; that nesting is what makes the SDK throw.
    streamError: (message, eventsSent) => ({
      event: 'error',
      data: {
        type: 'error',
        error: { type: 'server_error', code: 'server_error', message, param: null },
        sequence_number: eventsSent,
      },
    }),
  }
}

interface Ids {
  readonly response: string
  readonly item: string
  readonly pad: string
  readonly created: number
  readonly echo: ResponseEcho
}

function response(ids: Ids, answer: TextAnswer, status: 'in_progress' | 'completed'): object {
  const done = status === 'completed'
  return {
    id: ids.response,
    object: 'response',
    created_at: ids.created,
    status,
    background: false,
    completed_at: done ? ids.created : null,
    error: null,
    incomplete_details: null,
    instructions: ids.echo.instructions ?? null,
    max_output_tokens: ids.echo.maxOutputTokens ?? null,
    model: answer.model,
    output: done ? outputOf(ids, answer) : [],
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    service_tier: 'default',
    store: true,
    temperature: 1,
    text: { format: { type: 'text' }, verbosity: 'medium', ...ids.echo.text },
    tool_choice: 'auto',
    tools: [],
    top_p: 1,
    truncation: 'disabled',
    usage: done ? responsesUsage(answer) : null,
    user: null,
    metadata: {},
  }
}

/** The message item (left out when its text is empty beside calls), then the calls. */
function outputOf(ids: Ids, answer: TextAnswer): object[] {
  const message = hasText(answer) ? [item(ids, answer.text, 'completed')] : []
  return [...message, ...answer.toolCalls.map((c, i) => functionCall(ids, c, i, 'completed'))]
}

function hasText(answer: TextAnswer): boolean {
  return answer.text !== '' || answer.toolCalls.length === 0
}

/** A `function_call` output item; in progress it has no argument text yet. */
function functionCall(
  ids: Ids,
  call: CallAnswer,
  i: number,
  status: 'in_progress' | 'completed',
): object {
  return {
    id: `fc_fake${ids.pad}_${i}`,
    type: 'function_call',
    status,
    arguments: status === 'completed' ? call.json : '',
    call_id: call.id ?? `call_fake${ids.pad}_${i}`,
    name: call.name,
  }
}

/** Added, argument deltas, arguments done, item done: the events of one streamed call. */
function callEvents(
  ids: Ids,
  call: CallAnswer,
  i: number,
  outputIndex: number,
): { readonly type: string; readonly [key: string]: unknown }[] {
  const at = { item_id: `fc_fake${ids.pad}_${i}`, output_index: outputIndex }
  const added = functionCall(ids, call, i, 'in_progress')
  return [
    { type: 'response.output_item.added', output_index: outputIndex, item: added },
    ...call.fragments.map((delta) => ({
      type: 'response.function_call_arguments.delta',
      ...at,
      delta,
    })),
    { type: 'response.function_call_arguments.done', ...at, name: call.name, arguments: call.json },
    {
      type: 'response.output_item.done',
      output_index: outputIndex,
      item: functionCall(ids, call, i, 'completed'),
    },
  ]
}

function item(ids: Ids, text: string | null, status: 'in_progress' | 'completed'): object {
  const content = text === null ? [] : [part(text)]
  return { id: ids.item, type: 'message', status, role: 'assistant', content }
}

function refusalPart(refusal: string): object {
  return { type: 'refusal', refusal }
}

function part(text: string): object {
  return { type: 'output_text', text, annotations: [], logprobs: [] }
}

/** created, in_progress, item and part added, text deltas, then the matching done events. */
function events(ids: Ids, answer: TextAnswer): StreamScript {
  const at = { item_id: ids.item, output_index: 0, content_index: 0 }
  const text = hasText(answer)
  const opening = [
    { type: 'response.output_item.added', output_index: 0, item: item(ids, null, 'in_progress') },
    { type: 'response.content_part.added', ...at, part: part('') },
  ]
  const head = [
    { type: 'response.created', response: response(ids, answer, 'in_progress') },
    { type: 'response.in_progress', response: response(ids, answer, 'in_progress') },
    ...(text ? opening : []),
  ]
  const deltas = answer.chunks.map((delta) => ({
    type: 'response.output_text.delta',
    ...at,
    delta,
    logprobs: [],
  }))
  const closing = [
    { type: 'response.output_text.done', ...at, text: answer.text, logprobs: [] },
    { type: 'response.content_part.done', ...at, part: part(answer.text) },
    {
      type: 'response.output_item.done',
      output_index: 0,
      item: item(ids, answer.text, 'completed'),
    },
  ]
  const first = text ? 1 : 0
  const tail = [
    ...(text ? closing : []),
    ...answer.toolCalls.flatMap((call, i) => callEvents(ids, call, i, first + i)),
    { type: 'response.completed', response: response(ids, answer, 'completed') },
  ]
  return {
    head: numbered(head, 0),
    deltas: numbered(deltas, head.length),
    tail: numbered(tail, head.length + deltas.length),
  }
}

function numbered(list: readonly { readonly type: string }[], first: number): SseEvent[] {
  return list.map((data, i) => ({
    event: data.type,
    data: { ...data, sequence_number: first + i },
  }))
}
