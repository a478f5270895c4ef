import type Anthropic from '@anthropic-ai/sdk'
import type { ToolCall } from '../../contracts/provider.js'
import { MalformedAnswer } from '../sdk-errors.js'
import { toolCall } from '../tool-calls.js'
import { normalizeUsage } from './usage.js'

/** How the provider reads a whole Messages answer, live or from a batch. */

/**
 * What a whole (unstreamed) answer says: text (or, for a structured request, the forced tool's
 * input), usage, model and tool calls. A live call and a batch result read alike.
 */
export function messageAnswer(
  data: Anthropic.Message,
  structuredOf?: (content: readonly Anthropic.ContentBlock[]) => string,
) {
  if (!Array.isArray((data as { content?: unknown } | null)?.content))
    throw new MalformedAnswer('it has no list of content blocks')
  // A structured answer's forced call is the answer itself, not a call of the suite's tools.
  const toolCalls = structuredOf === undefined ? callsOf(data.content) : undefined
  return {
    output: (structuredOf ?? textOf)(data.content),
    usage: normalizeUsage(data.usage),
    model: data.model,
    ...(toolCalls === undefined ? {} : { toolCalls }),
  }
}

/** The text blocks of an answer, joined. */
function textOf(content: readonly Anthropic.ContentBlock[]): string {
  return content.map((block) => (block.type === 'text' ? block.text : '')).join('')
}

/** The `tool_use` blocks of an answer as tool calls; `undefined` when it has none. */
function callsOf(content: readonly Anthropic.ContentBlock[]): ToolCall[] | undefined {
  const calls = content.flatMap((block) =>
    block.type === 'tool_use' ? [toolCall(block.id, block.name, block.input)] : [],
  )
  return calls.length === 0 ? undefined : calls
}

/**
 * The input of the first tool call, as JSON text. A model that answered in prose instead gives
 * its text: the caller validates the answer and decides whether to ask again.
 */
export function toolInputOf(content: readonly Anthropic.ContentBlock[]): string {
  const call = content.find((block) => block.type === 'tool_use')
  return call === undefined ? textOf(content) : JSON.stringify(call.input ?? null)
}
