/* What a fake answers, chosen per request by its `reply` option. Re-exported by server.ts. */

/**
 * Token counts a reply reports, in shipgate's convention (see `src/contracts/usage.ts`):
 * `input` counts every prompt token, cached ones included, and each fake spells that the way
 * its API does (Anthropic's `input_tokens` excludes cache tokens, OpenAI's `prompt_tokens`
 * includes them). Absent fields default to `input = ceil(prompt chars / 4)`,
 * `output = ceil(text.length / 4)` and 0 for the rest.
 */
export interface FakeUsage {
  /** Every prompt token, cache reads and writes included. */
  readonly input?: number
  /** Every output token, reasoning included. */
  readonly output?: number
  /** Prompt tokens read from the cache (part of `input`). */
  readonly cacheRead?: number
  /** Prompt tokens written to the cache (part of `input`; OpenAI reports none). */
  readonly cacheWrite?: number
  /** Reasoning tokens, a subset of `output`. */
  readonly reasoning?: number
}

/** The HTTP statuses an `error` reply may answer with. */
export type FakeErrorStatus = 400 | 401 | 403 | 404 | 429 | 500 | 503 | 529

/** What every reply that carries assistant text may say. */
export interface TextParts {
  /** The assistant's text; streamed as about four deltas. */
  readonly text: string
  /** Token counts to report; see {@link FakeUsage} for the defaults. */
  readonly usage?: FakeUsage
  /** The model reported back; defaults to the requested one. */
  readonly model?: string
  /** Milliseconds to wait before answering at all. */
  readonly delayMs?: number
  /** Milliseconds between two Server-Sent Events of a streamed answer. */
  readonly chunkDelayMs?: number
  /**
   * Tool calls the answer makes after its text (`text: ''` for an answer of calls only), in the
   * API's own format: Anthropic `tool_use` blocks, Chat `tool_calls`, Responses `function_call`
   * items; streamed, each call's argument JSON arrives in about three fragments.
   */
  readonly toolCalls?: readonly FakeToolCall[]
}

/** One tool call a fake answers with. */
export interface FakeToolCall {
  readonly name: string
  /**
   * The arguments: a value is sent as its JSON; a string is sent as is, as the model's raw
   * argument text (so malformed JSON can be sent). A plain Anthropic answer has no argument
   * text: there a string is sent as the block's `input` value itself.
   */
  readonly arguments: unknown
  /** The call's id; default `toolu_fake…`/`call_fake…` from the request index and position. */
  readonly id?: string
}

/** A successful answer: a full message, or a complete event stream when `stream: true`. */
export interface TextReply extends TextParts {
  readonly kind: 'text'
}

/**
 * The model declines to answer: Chat Completions `message.refusal` (content `null`), a Responses
 * `refusal` content part, an Anthropic message with `stop_reason: 'refusal'` and `text` as its
 * text. Streamed refusals are not modelled: a streamed request gets `text` as a `text` reply.
 */
export interface RefusalReply extends TextParts {
  readonly kind: 'refusal'
}

/** An HTTP error with the API's own error body and error type. */
export interface ErrorReply {
  readonly kind: 'error'
  /** Picks the error type, e.g. 429 → Anthropic `rate_limit_error`, OpenAI `requests`. */
  readonly status: FakeErrorStatus
  /** Seconds, sent as the `retry-after` header. */
  readonly retryAfter?: number
  /** The error body's message; defaults to one like the real API's. */
  readonly message?: string
  /** Milliseconds to wait before answering. */
  readonly delayMs?: number
}

/**
 * Streams: a 200 event stream, `afterChunks` text deltas, then the API's in-stream error
 * event, then the end. Non-streamed requests get the matching HTTP error instead (Anthropic
 * 529 `overloaded_error`, OpenAI 500 `server_error`).
 */
export interface StreamErrorReply extends TextParts {
  readonly kind: 'stream-error'
  /** Text deltas sent before the error event (at most all of them). */
  readonly afterChunks: number
  /** The error event's message. */
  readonly message?: string
}

/**
 * Streams: `afterChunks` text deltas, then the socket is destroyed without the final events.
 * Non-streamed requests get the headers and the first half of the JSON body, then the same.
 */
export interface TruncatedReply extends TextParts {
  readonly kind: 'truncated'
  /** Text deltas sent before the socket is destroyed (at most all of them). */
  readonly afterChunks: number
}

/**
 * Never finishes answering; only `close()` or the client ends the request. With `afterChunks`,
 * a streamed request first gets its head events and that many deltas of `text` (default: the
 * default reply's text), then stalls.
 */
export interface HangReply {
  readonly kind: 'hang'
  /** For streams: text deltas sent before stalling; absent = not even the headers. */
  readonly afterChunks?: number
  /** The text those deltas are cut from. */
  readonly text?: string
  /** Milliseconds between the events sent before stalling. */
  readonly chunkDelayMs?: number
}

/**
 * A 200 that is not the API's answer: `body` sent as is with `content-type: application/json`
 * (or `contentType`), streamed request or not (a proxy's error page, a server speaking another
 * API).
 */
export interface MalformedReply {
  readonly kind: 'malformed'
  /** The raw body; default `{"unexpected":true}`, valid JSON without any of the API's fields. */
  readonly body?: string
  /**
   * The `content-type` sent; default `application/json`. `text/event-stream` with a `body` of
   * `data:` lines makes an event stream whose events are not the API's.
   */
  readonly contentType?: string
  /** Milliseconds to wait before answering. */
  readonly delayMs?: number
}

/**
 * The connection is reset before any byte of the answer: the socket is destroyed as soon as the
 * request has arrived (the client sees ECONNRESET or "socket hang up").
 */
export interface ResetReply {
  readonly kind: 'reset'
  /** Milliseconds to wait before resetting. */
  readonly delayMs?: number
}

/** What a fake answers to one request; chosen per request by the fake's `reply` option. */
export type FakeReply =
  | TextReply
  | RefusalReply
  | ErrorReply
  | StreamErrorReply
  | TruncatedReply
  | HangReply
  | MalformedReply
  | ResetReply

/** What a fake's `reply` function learns about the request it answers. */
export interface ReplyRequest<TBody> {
  /** The JSON body, checked for the fields the API requires. */
  readonly body: TBody
  /** The request headers, as in {@link RecordedRequest.headers}. */
  readonly headers: Record<string, string>
  /** 1-based count of the requests seen so far with this same method, path and body. */
  readonly attempt: number
  /**
   * 0-based index of this request in `FakeServer.requests`; for a batch line, its number among
   * every batch line this fake received, in creation order.
   */
  readonly index: number
  /** Set when the request is a line of a batch (attempt is then always 1). */
  readonly batch?: BatchLineInfo
}

/** Which batch line a `reply` call answers. */
export interface BatchLineInfo {
  /** The batch's id (`batch_…` or `msgbatch_…`). */
  readonly id: string
  /** The line's `custom_id`. */
  readonly customId: string
  /** The line's 0-based position in its batch. */
  readonly position: number
}
