import OpenAI from 'openai'
import type {
  CompletionRequest,
  CompletionResult,
  EmbeddingResult,
  Provider,
  ProviderContext,
  ProviderError,
  ProviderFactory,
  StructuredOutput,
} from '../../contracts/provider.js'
import { apiKeyFrom, timingOf } from '../http-shared.js'
import { classifySdkError, sendThenRead, truncatedStream } from '../sdk-errors.js'
import { chatAnswer, responsesAnswer } from './answers.js'
import { OpenAIBatches } from './batch.js'
import { embedTexts } from './embed.js'
import { readChatStream, readResponsesStream, type Answer } from './streams.js'
import { openaiOptions, type OpenAIOptions } from './schema.js'
import { chatFormat, responsesFormat } from './structured.js'
import { chatTools, responsesTools } from './tools.js'

/**
 * The `openai` provider: Chat Completions (also any OpenAI-compatible server through `baseUrl`)
 * or, with `api: responses`, the Responses API; plain or streamed. A request's tools are sent as
 * function tools and the answer's `tool_calls` / `function_call` items come back as tool calls.
 * Structured requests are plain calls with a strict JSON schema; `embed` calls the embeddings
 * endpoint of the same server.
 */
export const openaiProvider: ProviderFactory<OpenAIOptions> = {
  type: 'openai',
  options: openaiOptions,
  embeddings: true,
  create: (options, context) => new OpenAIProvider(options, context),
}

type Messages = CompletionRequest['messages']
type Tools = CompletionRequest['tools']

/** The way out for a local OpenAI-compatible server, which needs no key. */
const NO_KEY_HINT =
  'set noApiKey: true for a local server that needs no key (Ollama, vLLM, llama.cpp)'

class OpenAIProvider implements Provider {
  readonly type = 'openai'
  readonly id: string
  readonly model: string
  readonly batch: OpenAIBatches
  private readonly client: OpenAI

  constructor(
    private readonly options: OpenAIOptions,
    private readonly context: ProviderContext,
  ) {
    this.model = options.model
    this.id = `openai:${options.model}`
    const apiKey = options.noApiKey ? 'no-key' : apiKeyFrom(options.apiKeyEnv, context, NO_KEY_HINT)
    this.client = new OpenAI({
      apiKey: apiKey ?? 'no-key',
      ...(options.baseUrl === undefined ? {} : { baseURL: options.baseUrl }),
      ...(options.organization === undefined ? {} : { organization: options.organization }),
      fetch: context.fetch,
      // The runner retries (honouring retry-after) and times out; the SDK must not do it too.
      maxRetries: 0,
      timeout: 24 * 3600_000,
      defaultHeaders: options.headers,
    })
    this.batch = new OpenAIBatches(this.client, {
      endpoint: options.api === 'chat' ? '/v1/chat/completions' : '/v1/responses',
      encode: (request) => JSON.stringify(this.plainBody(request)),
      read: (body, structured) =>
        options.api === 'chat'
          ? chatAnswer(body as OpenAI.Chat.ChatCompletion, structured)
          : responsesAnswer(body as OpenAI.Responses.Response, structured),
      apiKeyEnv: this.keyEnv,
    })
  }

  /** What an unstreamed call of `request` sends: the body of each batch request. */
  private plainBody({ messages, tools, structured }: CompletionRequest): object {
    const sent = structured === undefined ? tools : undefined
    return this.options.api === 'chat'
      ? this.chatPlain(messages, sent, structured)
      : this.responsesPlain(messages, sent, structured)
  }

  async complete(
    request: CompletionRequest,
    { signal }: { signal: AbortSignal },
  ): Promise<CompletionResult> {
    const { clock } = this.context
    const started = clock.now()
    try {
      const { answer, response } = await this.call(request, signal, started)
      const measured = clock.now() - started
      const failure = failureOf(answer, response)
      if (failure !== undefined) return { ok: false, error: failure, latencyMs: measured }
      const timing = timingOf(response, measured)
      return {
        ok: true,
        output: answer.output,
        usage: answer.usage,
        ...timing,
        ...(answer.ttftMs === undefined || timing.cached ? {} : { ttftMs: answer.ttftMs }),
        ...(answer.model === undefined ? {} : { model: answer.model }),
        ...(answer.toolCalls === undefined ? {} : { toolCalls: answer.toolCalls }),
      }
    } catch (error) {
      return {
        ok: false,
        error: classifySdkError(error, { sdk: OpenAI, apiKeyEnv: this.keyEnv, signal }),
        latencyMs: clock.now() - started,
      }
    }
  }

  embed(texts: readonly string[], { signal }: { signal: AbortSignal }): Promise<EmbeddingResult> {
    const { client, context, options, keyEnv } = this
    return embedTexts(texts, signal, {
      client,
      model: options.embeddingModel,
      clock: context.clock,
      apiKeyEnv: keyEnv,
    })
  }

  /** The variable an authentication failure should name; none for a keyless server. */
  private get keyEnv(): string | undefined {
    return this.options.noApiKey ? undefined : this.options.apiKeyEnv
  }

  private call(
    { messages, structured, tools }: CompletionRequest,
    signal: AbortSignal,
    started: number,
  ): Promise<{ answer: Answer; response: Response }> {
    const { api, stream } = this.options
    // A structured answer is parsed whole by the caller: streaming it would gain nothing.
    if (structured !== undefined) {
      return api === 'chat'
        ? this.chat(messages, undefined, signal, structured)
        : this.responses(messages, undefined, signal, structured)
    }
    if (api === 'chat') {
      return stream
        ? this.chatStream(messages, tools, signal, started)
        : this.chat(messages, tools, signal)
    }
    return stream
      ? this.responsesStream(messages, tools, signal, started)
      : this.responses(messages, tools, signal)
  }

  private chatBody(
    messages: Messages,
    tools: Tools,
  ): OpenAI.Chat.ChatCompletionCreateParamsNonStreaming {
    // Copied, then set: on Node 20 a literal that starts with a spread and goes on gets a hidden
    // class of its own, made anew for every call. Keys keep the order the spread gave them.
    const body = { ...this.options.params } as Record<string, unknown>
    body.model = this.options.model
    body.messages = messages.map((m) => ({ role: m.role, content: m.content }))
    if (tools !== undefined && tools.length > 0) body.tools = chatTools(tools)
    return body as unknown as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming
  }

  private chat(
    messages: Messages,
    tools: Tools,
    signal: AbortSignal,
    structured?: StructuredOutput,
  ) {
    const call = this.client.chat.completions.create(this.chatPlain(messages, tools, structured), {
      signal,
    })
    return sendThenRead(call, CHAT, (data, response) => ({
      answer: chatAnswer(data, structured !== undefined),
      response,
    }))
  }

  /** The body of an unstreamed Chat Completions call; a structured one asks for its schema. */
  private chatPlain(messages: Messages, tools: Tools, structured?: StructuredOutput) {
    const body = this.chatBody(messages, tools)
    return structured === undefined ? body : { ...body, response_format: chatFormat(structured) }
  }

  private chatStream(messages: Messages, tools: Tools, signal: AbortSignal, started: number) {
    const call = this.client.chat.completions.create(
      // Without include_usage an OpenAI stream reports no usage at all.
      { ...this.chatBody(messages, tools), stream: true, stream_options: { include_usage: true } },
      { signal },
    )
    return sendThenRead(call, CHAT, (stream, response) =>
      readChatStream(stream, () => this.context.clock.now() - started).then((answer) => ({
        answer,
        response,
      })),
    )
  }

  private responsesBody(
    messages: Messages,
    tools: Tools,
  ): OpenAI.Responses.ResponseCreateParamsNonStreaming {
    return {
      ...(this.options.params as Partial<OpenAI.Responses.ResponseCreateParamsNonStreaming>),
      model: this.options.model,
      input: messages.map((m) => ({ role: m.role, content: m.content })),
      ...(tools === undefined || tools.length === 0 ? {} : { tools: responsesTools(tools) }),
    }
  }

  private responses(
    messages: Messages,
    tools: Tools,
    signal: AbortSignal,
    structured?: StructuredOutput,
  ) {
    const call = this.client.responses.create(this.responsesPlain(messages, tools, structured), {
      signal,
    })
    return sendThenRead(call, RESPONSES, (data, response) => ({
      answer: responsesAnswer(data, structured !== undefined),
      response,
    }))
  }

  /** The body of an unstreamed Responses call; a structured one asks for its schema. */
  private responsesPlain(messages: Messages, tools: Tools, structured?: StructuredOutput) {
    const body = this.responsesBody(messages, tools)
    return structured === undefined
      ? body
      : { ...body, text: { ...body.text, format: responsesFormat(structured) } }
  }

  private responsesStream(messages: Messages, tools: Tools, signal: AbortSignal, started: number) {
    const call = this.client.responses.create(
      { ...this.responsesBody(messages, tools), stream: true },
      { signal },
    )
    return sendThenRead(call, RESPONSES, (stream, response) =>
      readResponsesStream(stream, () => this.context.clock.now() - started).then((answer) => ({
        answer,
        response,
      })),
    )
  }
}

/** The APIs as the messages about their malformed answers name them. */
const CHAT = 'OpenAI Chat Completions'
const RESPONSES = 'OpenAI Responses'

/** An answer that came back but is no success: a cut stream, or a refusal. */
function failureOf(answer: Answer, response: Response): ProviderError | undefined {
  if (answer.truncated === true) return truncatedStream(response, 'its final event')
  if (answer.refusal !== undefined) {
    return {
      kind: 'bad_request',
      message: `the model refused: ${answer.refusal}`,
      retryable: false,
    }
  }
  return undefined
}
