import Anthropic from '@anthropic-ai/sdk'
import type {
  ChatMessage,
  CompletionRequest,
  CompletionResult,
  Provider,
  ProviderContext,
  ProviderFactory,
  StructuredOutput,
  ToolSpec,
} from '../../contracts/provider.js'
import { apiKeyFrom, timingOf } from '../http-shared.js'
import { classifySdkError, sendThenRead, truncatedStream } from '../sdk-errors.js'
import { StreamedCalls } from '../tool-calls.js'
import { messageAnswer, toolInputOf } from './answers.js'
import { AnthropicBatches } from './batch.js'
import { anthropicOptions, type AnthropicOptions } from './schema.js'
import { mergeUsage, normalizeUsage, type AnthropicUsage } from './usage.js'

/**
 * The `anthropic` provider: the Messages API through the official SDK, plain or streamed. A
 * request's tools are sent as the API's tools and its `tool_use` blocks come back as tool calls.
 * A structured request is one plain call forcing a tool whose input schema is the answer's.
 */
export const anthropicProvider: ProviderFactory<AnthropicOptions> = {
  type: 'anthropic',
  options: anthropicOptions,
  embeddings: false,
  create: (options, context) => new AnthropicProvider(options, context),
}

type Body = Anthropic.MessageCreateParamsNonStreaming

/** Anthropic requires max_tokens; this is used when params do not set it. */
const DEFAULT_MAX_TOKENS = 1024

class AnthropicProvider implements Provider {
  readonly type = 'anthropic'
  readonly id: string
  readonly model: string
  readonly batch: AnthropicBatches
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
    this.batch = new AnthropicBatches(this.client, {
      encode: (request) => JSON.stringify(this.plainBody(request)),
      apiKeyEnv: options.apiKeyEnv,
    })
  }

  /** What an unstreamed call of `request` sends: the params of each batch request. */
  private plainBody({ messages, tools, structured }: CompletionRequest): Body {
    const body = this.body(messages, tools)
    return structured === undefined ? body : withTool(body, structured)
  }

  async complete(
    request: CompletionRequest,
    { signal }: { signal: AbortSignal },
  ): Promise<CompletionResult> {
    const started = this.context.clock.now()
    try {
      const body = this.body(request.messages, request.tools)
      if (request.structured !== undefined) {
        return await this.plain(withTool(body, request.structured), signal, started, toolInputOf)
      }
      return this.options.stream
        ? await this.streamed(body, signal, started)
        : await this.plain(body, signal, started)
    } catch (error) {
      return {
        ok: false,
        error: classifySdkError(error, {
          sdk: Anthropic,
          apiKeyEnv: this.options.apiKeyEnv,
          signal,
        }),
        latencyMs: this.context.clock.now() - started,
      }
    }
  }

  private body(messages: readonly ChatMessage[], tools: readonly ToolSpec[] | undefined): Body {
    const system = messages.filter((m) => m.role === 'system').map((m) => m.content)
    return {
      model: this.options.model,
      max_tokens: DEFAULT_MAX_TOKENS,
      ...(this.options.params as Partial<Body>),
      ...(system.length === 0 ? {} : { system: system.join('\n\n') }),
      messages: messages
        .filter((m) => m.role !== 'system')
        .map((m) => ({ role: m.role as 'user' | 'assistant', content: m.content })),
      ...(tools === undefined || tools.length === 0 ? {} : { tools: tools.map(anthropicTool) }),
    }
  }

  private async plain(
    body: Body,
    signal: AbortSignal,
    started: number,
    structuredOf?: (content: readonly Anthropic.ContentBlock[]) => string,
  ): Promise<CompletionResult> {
    const call = this.client.messages.create(body, { signal })
    return sendThenRead(call, MESSAGES, (data, response) => ({
      ok: true,
      ...messageAnswer(data, structuredOf),
      ...timingOf(response, this.context.clock.now() - started),
    }))
  }

  private streamed(body: Body, signal: AbortSignal, started: number): Promise<CompletionResult> {
    const call = this.client.messages.create({ ...body, stream: true }, { signal })
    return sendThenRead(call, MESSAGES, (stream, response) =>
      this.readStream(stream, response, started),
    )
  }

  private async readStream(
    stream: AsyncIterable<Anthropic.RawMessageStreamEvent>,
    response: Response,
    started: number,
  ): Promise<CompletionResult> {
    const { clock } = this.context
    let output = ''
    let usage: AnthropicUsage = {}
    let model: string | undefined
    let ttftMs: number | undefined
    let stopped = false
    const calls = new StreamedCalls()
    for await (const event of stream) {
      if (event.type === 'message_start') {
        model = event.message.model
        usage = mergeUsage(usage, event.message.usage)
      } else if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
        ttftMs ??= clock.now() - started
        output += event.delta.text
      } else if (event.type === 'content_block_start' && event.content_block.type === 'tool_use') {
        const { id, name } = event.content_block
        calls.add(event.index, { id, name })
      } else if (
        event.type === 'content_block_delta' &&
        event.delta.type === 'input_json_delta' &&
        calls.has(event.index)
      ) {
        calls.add(event.index, { text: event.delta.partial_json })
      } else if (event.type === 'message_delta') {
        usage = mergeUsage(usage, event.usage)
      } else if (event.type === 'message_stop') {
        stopped = true
      }
    }
    if (!stopped) {
      const error = truncatedStream(response, 'message_stop')
      return { ok: false, error, latencyMs: clock.now() - started }
    }
    const timing = timingOf(response, clock.now() - started)
    const toolCalls = calls.list()
    return {
      ok: true,
      output,
      usage: normalizeUsage(usage),
      ...timing,
      // A replayed stream arrives at once: its time to first token means nothing.
      ...(ttftMs === undefined || timing.cached ? {} : { ttftMs }),
      ...(model === undefined ? {} : { model }),
      ...(toolCalls === undefined ? {} : { toolCalls }),
    }
  }
}

/** The API as the messages about its malformed answers name it. */
const MESSAGES = 'Anthropic Messages'

/** A suite's tool as the Messages API takes it: the parameters are the input schema. */
function anthropicTool({ name, description, parameters }: ToolSpec): Anthropic.Tool {
  return {
    name,
    ...(description === undefined ? {} : { description }),
    // A ToolSpec's parameters are an object schema (checked when the config is loaded).
    input_schema: parameters as Anthropic.Tool.InputSchema,
  }
}

/** The body with one tool, whose input is the structured answer, and a forced call of it. */
function withTool(body: Body, { name, description, schema }: StructuredOutput): Body {
  return {
    ...body,
    // The contract promises an object schema; the SDK's type wants that said.
    tools: [{ name, description, input_schema: schema as Anthropic.Tool.InputSchema }],
    tool_choice: { type: 'tool', name },
  }
}
