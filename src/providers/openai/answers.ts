import type OpenAI from 'openai'
import { MalformedAnswer } from '../sdk-errors.js'
import { checkChoices, type Answer } from './streams.js'
import { responsesRefusal } from './structured.js'
import { chatCalls, responsesCalls } from './tools.js'
import { chatUsage, responsesUsage } from './usage.js'

/**
 * Reads a whole (unstreamed) Chat Completions answer: the first choice's text and tool calls,
 * usage, and the refusal of a structured request. A live call and a batch result read alike.
 */
export function chatAnswer(data: OpenAI.Chat.ChatCompletion, structured: boolean): Answer {
  checkChoices(data)
  const message = data.choices[0]?.message
  const refusal = structured ? (message?.refusal ?? null) : null
  const toolCalls = chatCalls(message?.tool_calls)
  return {
    output: message?.content ?? '',
    usage: data.usage === undefined ? null : chatUsage(data.usage),
    model: data.model,
    ...(refusal === null ? {} : { refusal }),
    ...(toolCalls === undefined ? {} : { toolCalls }),
  }
}

/**
 * Reads a whole Responses answer. `output_text` is what the SDK adds to a live answer; a batch
 * result is the raw body, whose text is gathered from its message items the same way.
 */
export function responsesAnswer(data: OpenAI.Responses.Response, structured: boolean): Answer {
  const output = typeof data.output_text === 'string' ? data.output_text : outputText(data.output)
  // The SDK adds output_text only to a body that is a response: anything else is no answer.
  if (output === undefined) throw new MalformedAnswer('it has no output_text')
  const refusal = structured ? responsesRefusal(data.output) : undefined
  const toolCalls = responsesCalls(data.output)
  return {
    output,
    usage: data.usage === undefined || data.usage === null ? null : responsesUsage(data.usage),
    model: data.model,
    ...(refusal === undefined ? {} : { refusal }),
    ...(toolCalls === undefined ? {} : { toolCalls }),
  }
}

/** The text parts of a response's message items, joined; `undefined` when it has no item list. */
function outputText(output: unknown): string | undefined {
  if (!Array.isArray(output)) return undefined
  let text = ''
  for (const item of output as { type?: unknown; content?: unknown }[]) {
    if (item.type !== 'message' || !Array.isArray(item.content)) continue
    for (const part of item.content as { type?: unknown; text?: unknown }[]) {
      if (part.type === 'output_text' && typeof part.text === 'string') text += part.text
    }
  }
  return text
}
