import type { Usage } from '../contracts/usage.js'
import type { ClientSpec, MethodSpec } from './instrument.js'
import type { StreamFolder } from './stream.js'
import { anthropicUsage, chatUsage, field, mergeAnthropicUsage, responsesUsage } from './usage.js'

type Fields = Readonly<Record<string, unknown>>

const usageWith =
  (normalize: (u: Fields) => Usage) =>
  (result: unknown): Usage | null => {
    const u = field(result, 'usage')
    return typeof u === 'object' && u !== null ? normalize(u as Fields) : null
  }

/**
 * Anthropic Messages: the usage of `message_start` (input and cache tokens), updated by each
 * cumulative `message_delta`.
 */
const anthropicMessages: MethodSpec = {
  operation: 'chat',
  usage: usageWith(anthropicUsage),
  stream(): StreamFolder {
    let known: Fields | undefined
    return {
      add(event) {
        const type = field(event, 'type')
        if (type === 'message_start')
          known = mergeAnthropicUsage({}, field(field(event, 'message'), 'usage'))
        else if (type === 'message_delta')
          known = mergeAnthropicUsage(known ?? {}, field(event, 'usage'))
      },
      usage: () => (known === undefined ? null : anthropicUsage(known)),
      failure: () => undefined,
    }
  },
}

/** Chat Completions: a stream reports usage in its last chunk, and only with `include_usage`. */
const chatCompletions: MethodSpec = {
  operation: 'chat',
  usage: usageWith(chatUsage),
  stream(): StreamFolder {
    let usage: Usage | null = null
    return {
      add(chunk) {
        const u = field(chunk, 'usage')
        if (typeof u === 'object' && u !== null) usage = chatUsage(u as Fields)
      },
      usage: () => usage,
      failure: () => undefined,
    }
  },
}

/** The Responses API: `response.completed`, `.incomplete` and `.failed` carry the response. */
const responses: MethodSpec = {
  operation: 'chat',
  usage: usageWith(responsesUsage),
  stream(): StreamFolder {
    let usage: Usage | null = null
    let failure: unknown
    return {
      add(event) {
        const type = field(event, 'type')
        if (
          type !== 'response.completed' &&
          type !== 'response.incomplete' &&
          type !== 'response.failed'
        )
          return
        const response = field(event, 'response')
        usage = usageWith(responsesUsage)(response) ?? usage
        if (type === 'response.failed') failure = { name: failureCode(response) }
      },
      usage: () => usage,
      failure: () => failure,
    }
  },
}

function failureCode(response: unknown): string {
  const code = field(field(response, 'error'), 'code')
  return typeof code === 'string' && code !== '' ? code : 'response.failed'
}

/** `messages.create` of `@anthropic-ai/sdk`. */
export const ANTHROPIC: ClientSpec = {
  provider: 'anthropic',
  methods: { 'messages.create': anthropicMessages },
}

/** `chat.completions.create` and `responses.create` of `openai`. */
export const OPENAI: ClientSpec = {
  provider: 'openai',
  methods: { 'chat.completions.create': chatCompletions, 'responses.create': responses },
}
