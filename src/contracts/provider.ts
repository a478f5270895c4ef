import type { $ZodType as ZodType } from 'zod/v4/core'
import type { Clock } from './clock.js'
import type { Logger } from './logger.js'
import type { Usage } from './usage.js'

/** One chat message of a rendered prompt. */
export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant'
  readonly content: string
}

/** What the runner asks a provider for. */
export interface CompletionRequest {
  /** The rendered prompt. */
  readonly messages: readonly ChatMessage[]
  /** The case's variables, for providers that template their own request (http, exec). */
  readonly vars: Readonly<Record<string, unknown>>
  /**
   * Ask for a JSON answer matching a JSON schema (judges): OpenAI `response_format` with a
   * strict `json_schema`, Anthropic a forced tool call whose input is the answer. The output is
   * then the JSON text. Providers without such a feature answer as usual; the caller validates.
   */
  readonly structured?: StructuredOutput
  /**
   * Tools (functions) the model may call, sent in the API's own format. Calls come back in
   * {@link CompletionSuccess.toolCalls}; providers without tools ignore this.
   */
  readonly tools?: readonly ToolSpec[]
}

/** A tool the model may call: the suite's `tools:` entry. */
export interface ToolSpec {
  /** Letters, digits, `_` and `-`, as every API accepts. */
  readonly name: string
  readonly description?: string
  /** JSON Schema of the arguments object. */
  readonly parameters: Readonly<Record<string, unknown>>
}

/**
 * One tool call, the same shape for every API: Anthropic `tool_use` blocks, OpenAI Chat
 * `tool_calls`, Responses `function_call` items, and the steps an agent reports.
 */
export interface ToolCall {
  /** The API's id of the call (`toolu_…`, `call_…`), when it gave one. */
  readonly id?: string
  readonly name: string
  /**
   * The arguments, parsed from JSON (an object for a well-formed call). When the model's JSON
   * does not parse, the raw text is kept as a string, so `tool-calls-valid` can fail on it.
   */
  readonly arguments: unknown
  /** What the tool returned, when an agent reports its steps. */
  readonly result?: unknown
  /** 0-based model turn of a multi-step run that asked for the call. */
  readonly step?: number
}

/** The shape a structured answer must have. */
export interface StructuredOutput {
  /** A name for the answer (the tool or schema name): letters, digits, `_` and `-`. */
  readonly name: string
  /** What the answer is, for the model. */
  readonly description: string
  /** A JSON schema of an object, strict-mode ready: every property required, no extras. */
  readonly schema: Readonly<Record<string, unknown>>
}

/** How a provider call failed. Only the runner decides what to do about it. */
export type ProviderErrorKind =
  'auth' | 'rate_limited' | 'timeout' | 'bad_request' | 'unavailable' | 'unknown'

/** A failed provider call, as a value. */
export interface ProviderError {
  readonly kind: ProviderErrorKind
  readonly message: string
  /** Whether the same request may succeed if sent again. */
  readonly retryable: boolean
  /** The server's `retry-after`, in milliseconds, when it gave one. */
  readonly retryAfterMs?: number
  /** The HTTP status, when there was one. */
  readonly status?: number
  /** What to do about it, when the provider knows (e.g. which environment variable to check). */
  readonly hint?: string
}

/** A successful provider call. */
export interface CompletionSuccess {
  readonly ok: true
  readonly output: string
  /** Token usage; `null` when the API did not report it. */
  readonly usage: Usage | null
  /** Wall time of the call itself, excluding time spent queued in the runner. */
  readonly latencyMs: number
  /** Time to the first token, for streamed calls. */
  readonly ttftMs?: number
  /** True when the answer came from a cassette or cache rather than the model. */
  readonly cached: boolean
  /** The model that actually answered, when the API says (e.g. a dated id for an alias). */
  readonly model?: string
  /** The tool calls of the answer, in order; absent or empty when it called none. */
  readonly toolCalls?: readonly ToolCall[]
  /**
   * Every tool call of a multi-step (agent) run, in order, with `step` and `result` when the
   * system under test reports its steps (an `http` or `exec` provider, or a trace).
   */
  readonly trajectory?: readonly ToolCall[]
  /**
   * True when the answer came through the provider's batch API (`eval --batch`): it is priced at
   * batch rates, and `latencyMs` is the wait from the batch's submission to its results.
   */
  readonly batched?: boolean
}

/** A failed provider call. */
export interface CompletionFailure {
  readonly ok: false
  readonly error: ProviderError
  readonly latencyMs?: number
}

/** The outcome of one provider call. Providers never throw for API failures. */
export type CompletionResult = CompletionSuccess | CompletionFailure

/** Embedding vectors of some texts, in their order. */
export interface EmbeddingSuccess {
  readonly ok: true
  readonly vectors: readonly (readonly number[])[]
  readonly usage: Usage | null
  readonly latencyMs: number
  readonly cached: boolean
  /** The embedding model that answered, for its price. */
  readonly model?: string
}

/** The outcome of one embeddings call. */
export type EmbeddingResult = EmbeddingSuccess | CompletionFailure

/**
 * A model API or system under test. `complete` never throws for failures of the API; it
 * returns `{ ok: false, error }`. It must stop work promptly when `signal` aborts.
 */
export interface Provider {
  /** Stable identity, `type:model`, e.g. `anthropic:claude-3-5-haiku-20241022`. */
  readonly id: string
  /** The provider type (`mock`, `anthropic`, ...), used with `model` to look up prices. */
  readonly type: string
  /** The configured model, if any. */
  readonly model: string | undefined
  complete(request: CompletionRequest, options: { signal: AbortSignal }): Promise<CompletionResult>
  /**
   * Embedding vectors of `texts` through the API's embeddings endpoint; absent when the
   * provider has none (then {@link ProviderFactory.embeddings} is false).
   */
  embed?(texts: readonly string[], options: { signal: AbortSignal }): Promise<EmbeddingResult>
  /**
   * The provider's batch API (OpenAI Batch, Anthropic Message Batches), for `eval --batch`;
   * absent when it has none.
   */
  readonly batch?: ProviderBatchApi
  /** Releases connections and child processes. Called once, after the run. */
  close?(): Promise<void>
}

/** One request of a batch: the id its result comes back under, and its encoded body. */
export interface BatchEntry {
  /** Unique in its batch: letters, digits, `_` and `-`, at most 64 characters. */
  readonly customId: string
  /** The body one live call would send, never streamed, as {@link ProviderBatchApi.encode} made it. */
  readonly body: string
}

/** What became of one request of an ended batch. */
export type BatchOutcome =
  /** It ran: the answer (marked `batched`), or the API's error for it, as a live call gives them. */
  | { readonly ran: true; readonly result: CompletionResult }
  /** It did not run: the batch expired, was cancelled or failed before reaching it. */
  | { readonly ran: false; readonly reason: string }

/** One request's result in an ended batch, read for the request that was sent. */
export type BatchResult = (request: CompletionRequest) => BatchOutcome

/** Where a submitted batch is. */
export interface BatchStatus {
  /** True once none of its requests will run any more (completed, ended, expired, failed, cancelled). */
  readonly ended: boolean
  /** The API's own word for it (`in_progress`, `completed`, `ended`, `expired`, ...). */
  readonly status: string
  /** Why the whole batch failed, when it did (e.g. its file did not validate). */
  readonly failure?: string
  /** True when the answer came from a cassette: there is no point waiting before asking again. */
  readonly replayed: boolean
}

/**
 * A provider's batch API: requests are submitted together, answered within a day, and billed
 * at half the price. Calls go through the provider's SDK and `fetch`, so cassettes record and
 * replay them. Failures of the API itself are thrown (the SDK's errors).
 */
export interface ProviderBatchApi {
  /** The most requests one batch may hold. */
  readonly maxRequests: number
  /** The most bytes of encoded bodies one batch may hold (the API's file or request limit, with room). */
  readonly maxBytes: number
  /** The JSON body of one request as the batch will send it (what a live, unstreamed call sends). */
  encode(request: CompletionRequest): string
  /** Submits the entries as one batch; resolves to the API's batch id. */
  submit(entries: readonly BatchEntry[], signal: AbortSignal): Promise<string>
  status(id: string, signal: AbortSignal): Promise<BatchStatus>
  /**
   * The results of an ended batch, by custom id: each reads its outcome for the request that
   * was sent (a structured request's answer is read as its live call's would be). A request of
   * the batch absent from the map did not run.
   */
  results(id: string, signal: AbortSignal): Promise<ReadonlyMap<string, BatchResult>>
}

/** What a provider factory receives besides its options. */
export interface ProviderContext {
  /** The provider's name in config. */
  readonly name: string
  /** Directory of the config file; relative paths in options resolve against it. */
  readonly baseDir: string
  readonly env: Readonly<Record<string, string | undefined>>
  readonly clock: Clock
  readonly logger: Logger
  /**
   * The `fetch` HTTP providers must use: it records and replays through cassettes. Never call
   * the global fetch directly, or record/replay and the proxy are bypassed.
   */
  readonly fetch: typeof fetch
  /** True when answers come only from cassettes: credentials are not needed. */
  readonly offline: boolean
}

/** One provider implementation: its options schema and how to build an instance. */
export interface ProviderFactory<O> {
  readonly type: string
  /** Validates the provider's config entry (everything but `type`). */
  readonly options: ZodType<O>
  /** Whether instances offer `embed` (checked when a config asks for embeddings). */
  readonly embeddings: boolean
  create(options: O, context: ProviderContext): Provider
}
