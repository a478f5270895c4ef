import type OpenAI from 'openai'
import type { StructuredOutput } from '../../contracts/provider.js'

/**
 * How the two OpenAI APIs are asked for a structured answer (a strict JSON schema) and how they
 * say the model refused to give one.
 */

/** Chat Completions `response_format` for a strict JSON schema. */
export function chatFormat({
  name,
  description,
  schema,
}: StructuredOutput): OpenAI.ResponseFormatJSONSchema {
  return { type: 'json_schema', json_schema: { name, description, schema, strict: true } }
}

/** Responses API `text.format` for a strict JSON schema. */
export function responsesFormat({
  name,
  description,
  schema,
}: StructuredOutput): OpenAI.Responses.ResponseFormatTextJSONSchemaConfig {
  return { type: 'json_schema', name, description, schema, strict: true }
}

/** The refusal of a Responses API answer: the first `refusal` part of an output message. */
export function responsesRefusal(
  output: readonly OpenAI.Responses.ResponseOutputItem[],
): string | undefined {
  for (const item of output) {
    if (item.type !== 'message') continue
    const part = item.content.find((p) => p.type === 'refusal')
    if (part !== undefined) return part.refusal
  }
  return undefined
}
