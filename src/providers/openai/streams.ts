import type OpenAI from 'openai'
import type { ToolCall } from '../../contracts/provider.js'
import type { Usage } from '../../contracts/usage.js'
import { MalformedAnswer, StreamErrorEvent } from '../sdk-errors.js'
import { StreamedCalls } from '../tool-calls.js'
import { readChatCalls } from './tools.js'
import { chatUsage, responsesUsage } from './usage.js'

/** The OpenAI answers as the provider reads them: the two APIs' streams, and their shape check. */

/** What a call produced, before timing is added. */
export interface Answer {
  output: string
  usage: Usage | null
  model?: string
  ttftMs?: number
  /** A stream that ended before its final event. */
  truncated?: boolean
  /** Why the model declined a structured answer. */
  refusal?: string
  /** The answer's tool calls, when it made any. */
  toolCalls?: ToolCall[]
}

/**
 * Reads a Chat Completions stream: text deltas, tool-call fragments by index, usage; `elapsed`
 * gives the time since the call started, for the first token.
 */
export async function readChatStream(
  stream: AsyncIterable<OpenAI.Chat.ChatCompletionChunk>,
  elapsed: () => number,
): Promise<Answer> {
  const answer: Answer = { output: '', usage: null, truncated: true }
  const calls = new StreamedCalls()
  for await (const chunk of stream) {
    checkChoices(chunk)
    answer.model ??= chunk.model
    const choice = chunk.choices[0]
    const delta = choice?.delta.content
    if (delta !== undefined && delta !== null && delta !== '') {
      answer.ttftMs ??= elapsed()
      answer.output += delta
    }
    readChatCalls(choice?.delta.tool_calls, calls)
    if (choice?.finish_reason !== undefined && choice.finish_reason !== null)
      answer.truncated = false
    if (chunk.usage !== undefined && chunk.usage !== null) answer.usage = chatUsage(chunk.usage)
  }
  const toolCalls = calls.list()
  if (toolCalls !== undefined) answer.toolCalls = toolCalls
  return answer
}

/**
 * Reads a Responses stream: text deltas, function calls and their argument deltas by output
 * index, the completed response; an error event is thrown as a {@link StreamErrorEvent}.
 */
export async function readResponsesStream(
  stream: AsyncIterable<OpenAI.Responses.ResponseStreamEvent>,
  elapsed: () => number,
): Promise<Answer> {
  const answer: Answer = { output: '', usage: null, truncated: true }
  const calls = new StreamedCalls()
  for await (const event of stream) {
    if (event.type === 'response.output_text.delta') {
      answer.ttftMs ??= elapsed()
      answer.output += event.delta
    } else if (event.type === 'response.output_item.added') {
      if (event.item.type === 'function_call') {
        const { call_id: id, name, arguments: text } = event.item
        calls.add(event.output_index, { id, name, text })
      }
    } else if (event.type === 'response.function_call_arguments.delta') {
      calls.add(event.output_index, { text: event.delta })
    } else if (event.type === 'response.function_call_arguments.done') {
      calls.complete(event.output_index, event.arguments)
    } else if (event.type === 'response.completed') {
      answer.truncated = false
      answer.model = event.response.model
      if (event.response.usage !== undefined && event.response.usage !== null) {
        answer.usage = responsesUsage(event.response.usage)
      }
    } else if (event.type === 'response.failed' || event.type === 'error') {
      const type = event.type === 'error' ? (event.code ?? 'error') : 'server_error'
      throw new StreamErrorEvent(type, `response failed: ${JSON.stringify(event)}`)
    }
  }
  const toolCalls = calls.list()
  if (toolCalls !== undefined) answer.toolCalls = toolCalls
  return answer
}

/** A completion or a stream chunk must carry a list of choices (a 2xx `{}` or `null` does not). */
export function checkChoices(data: { choices: unknown } | null): void {
  if (!Array.isArray((data as { choices?: unknown } | null)?.choices))
    throw new MalformedAnswer('it has no list of choices')
}
