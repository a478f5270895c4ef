import Anthropic from '@anthropic-ai/sdk'
import type {
  ChatMessage,
  CompletionRequest,
  CompletionResult,
  Provider,
  ProviderContext,
  ProviderFactory,
} from '../../contracts/provider.js'
import { apiKeyFrom, classifySdkError, timingOf } from '../http-shared.js'
import { anthropicOptions, type AnthropicOptions } from './schema.js'
import { mergeUsage, normalizeUsage, type AnthropicUsage } from './usage.js'

/** The `anthropic` provider: the Messages API through the official SDK, plain or streamed. */
export const anthropicProvider: ProviderFactory<AnthropicOptions> = {
  type: 'anthropic',
  options: anthropicOptions,
  create: (options, context) => new AnthropicProvider(options, context),
}

type Body = Anthropic.MessageCreateParamsNonStreaming

/** Anthropic requires max_tokens; this is used when params do not set it. */
const DEFAULT_MAX_TOKENS = 1024

class AnthropicProvider implements Provider {
  readonly type = 'anthropic'
  readonly id: string
  readonly model: string
  private readonly client: Anthropic

  constructor(
    private readonly options: AnthropicOptions,
    private readonly context: ProviderContext,
  ) {
    this.model = options.model
    this.id = `anthropic:${options.model}`
    this.client = new Anthropic({
      apiKey: apiKeyFrom(options.apiKeyEnv, context) ?? null,
      ...(options.baseUrl === undefined ? {} : { baseURL: options.baseUrl }),
      fetch: context.fetch,
      // The runner retries (honouring retry-after) and times out; the SDK must not do it too.
      maxRetries: 0,
      timeout: 24 * 3600_000,
      defaultHeaders: options.headers,
    })
  }

  async complete(
    request: CompletionRequest,
    { signal }: { signal: AbortSignal },
  ): Promise<CompletionResult> {
    const started = this.context.clock.now()
    try {
      const body = this.body(request.messages)
      return this.options.stream
        ? await this.streamed(body, signal, started)
        : await this.plain(body, signal, started)
    } catch (error) {
      return {
        ok: false,
        error: classifySdkError(error, { apiKeyEnv: this.options.apiKeyEnv }),
        latencyMs: this.context.clock.now() - started,
      }
    }
  }

  private body(messages: readonly ChatMessage[]): Body {
    const system = messages.filter((m) => m.role === 'system').map((m) => m.content)
    return {
      model: this.options.model,
      max_tokens: DEFAULT_MAX_TOKENS,
      ...(this.options.params as Partial<Body>),
      ...(system.length === 0 ? {} : { system: system.join('\n\n') }),
      messages: messages
        .filter((m) => m.role !== 'system')
        .map((m) => ({ role: m.role as 'user' | 'assistant', content: m.content })),
    }
  }

  private async plain(body: Body, signal: AbortSignal, started: number): Promise<CompletionResult> {
    const { data, response } = await this.client.messages.create(body, { signal }).withResponse()
    const output = data.content.map((block) => (block.type === 'text' ? block.text : '')).join('')
    return {
      ok: true,
      output,
      usage: normalizeUsage(data.usage),
      ...timingOf(response, this.context.clock.now() - started),
      model: data.model,
    }
  }

  private async streamed(
    body: Body,
    signal: AbortSignal,
    started: number,
  ): Promise<CompletionResult> {
    const { clock } = this.context
    const { data: stream, response } = await this.client.messages
      .create({ ...body, stream: true }, { signal })
      .withResponse()
    let output = ''
    let usage: AnthropicUsage = {}
    let model: string | undefined
    let ttftMs: number | undefined
    let stopped = false
    for await (const event of stream) {
      if (event.type === 'message_start') {
        model = event.message.model
        usage = mergeUsage(usage, event.message.usage)
      } else if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
        ttftMs ??= clock.now() - started
        output += event.delta.text
      } else if (event.type === 'message_delta') {
        usage = mergeUsage(usage, event.usage)
      } else if (event.type === 'message_stop') {
        stopped = true
      }
    }
    if (!stopped) {
      return {
        ok: false,
        error: {
          kind: 'unavailable',
          message: 'the stream ended before message_stop',
          retryable: true,
        },
        latencyMs: clock.now() - started,
      }
    }
    const timing = timingOf(response, clock.now() - started)
    return {
      ok: true,
      output,
      usage: normalizeUsage(usage),
      ...timing,
      // A replayed stream arrives at once: its time to first token means nothing.
      ...(ttftMs === undefined || timing.cached ? {} : { ttftMs }),
      ...(model === undefined ? {} : { model }),
    }
  }
}
