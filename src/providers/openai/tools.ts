import type OpenAI from 'openai'
import type { ToolCall, ToolSpec } from '../../contracts/provider.js'
import { parseArguments, toolCall, type StreamedCalls } from '../tool-calls.js'

/**
 * How the two OpenAI APIs are sent a suite's tools (function tools) and how their answers'
 * calls (Chat `tool_calls`, Responses `function_call` items) become tool calls.
 */

/** Chat Completions `tools`: `{ type: 'function', function: { name, description, parameters } }`. */
export function chatTools(tools: readonly ToolSpec[]): OpenAI.Chat.ChatCompletionTool[] {
  return tools.map(({ name, description, parameters }) => ({
    type: 'function',
    function: { name, ...(description === undefined ? {} : { description }), parameters },
  }))
}

/**
 * Responses `tools`: `{ type: 'function', name, description, parameters, strict: false }`. Not
 * strict: a strict schema must list every property as required and forbid others, which a
 * suite's schema need not do.
 */
export function responsesTools(tools: readonly ToolSpec[]): OpenAI.Responses.FunctionTool[] {
  return tools.map(({ name, description, parameters }) => ({
    type: 'function',
    name,
    ...(description === undefined ? {} : { description }),
    parameters: { ...parameters },
    strict: false,
  }))
}

/** A Chat message's `tool_calls` (function calls only) as tool calls; none: `undefined`. */
export function chatCalls(
  calls: readonly OpenAI.Chat.ChatCompletionMessageToolCall[] | null | undefined,
): ToolCall[] | undefined {
  if (calls === undefined || calls === null || calls.length === 0) return undefined
  return calls.flatMap((c) =>
    c.type === 'function'
      ? [toolCall(c.id, c.function.name, parseArguments(c.function.arguments))]
      : [],
  )
}

/** Adds a streamed Chat delta's `tool_calls` fragments, found by their `index`. */
export function readChatCalls(
  deltas: readonly OpenAI.Chat.ChatCompletionChunk.Choice.Delta.ToolCall[] | undefined,
  calls: StreamedCalls,
): void {
  if (deltas === undefined) return
  for (const d of deltas) {
    calls.add(d.index, { id: d.id, name: d.function?.name, text: d.function?.arguments })
  }
}

/** A Responses answer's `function_call` items as tool calls; none: `undefined`. */
export function responsesCalls(
  output: readonly OpenAI.Responses.ResponseOutputItem[],
): ToolCall[] | undefined {
  const calls = output.flatMap((item) =>
    item.type === 'function_call'
      ? [toolCall(item.call_id, item.name, parseArguments(item.arguments))]
      : [],
  )
  return calls.length === 0 ? undefined : calls
}
