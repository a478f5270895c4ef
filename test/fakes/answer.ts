import { splitText } from './prompt.js'
import type {
  Exchange,
  FakeErrorStatus,
  FakeReply,
  RefusalReply,
  SseEvent,
  TextParts,
  TextReply,
} from './server.js'
import { openSse, sleep, writeJson, writeSse, writeTruncatedJson } from './server.js'

/** A text reply with every default filled in. */
export interface TextAnswer {
  /** The whole assistant text. */
  readonly text: string
  /** The model to report back. */
  readonly model: string
  /** The text as it is streamed, one delta per piece. */
  readonly chunks: readonly string[]
  /** The tool calls, in order; `[]` when the reply makes none. */
  readonly toolCalls: readonly CallAnswer[]
  /** Every count of `FakeUsage`, defaults applied. */
  readonly usage: {
    readonly input: number
    readonly output: number
    readonly cacheRead: number
    readonly cacheWrite: number
    readonly reasoning: number
  }
}

/** A tool call of an answer with its argument text resolved. */
export interface CallAnswer {
  readonly name: string
  /** The id the reply gave, if any (each wire makes its own default). */
  readonly id: string | undefined
  /** The arguments as the reply gave them (a string: raw text). */
  readonly arguments: unknown
  /** The argument text: a string argument as is, any other value as JSON. */
  readonly json: string
  /** `json` cut into the fragments a stream sends. */
  readonly fragments: readonly string[]
}

/** The events of a streamed answer: `deltas` holds one event per text chunk. */
export interface StreamScript {
  /** Events before the first text delta. */
  readonly head: readonly SseEvent[]
  /** One event per text chunk. */
  readonly deltas: readonly SseEvent[]
  /** Events after the last text delta, up to the end of the stream. */
  readonly tail: readonly SseEvent[]
}

/** How one API spells each part of an answer. Built per request, so ids can depend on it. */
export interface Wire {
  /** Headers sent with every response, e.g. the request id. */
  readonly headers: Readonly<Record<string, string>>
  /** The HTTP status a non-streamed request gets for a `stream-error` reply. */
  readonly midStreamStatus: FakeErrorStatus
  /** The body of a successful non-streamed answer. */
  message(answer: TextAnswer): unknown
  /** The body of a non-streamed answer in which the model declines, saying `answer.text`. */
  refusal(answer: TextAnswer): unknown
  /** The events of a successful streamed answer. */
  stream(answer: TextAnswer): StreamScript
  /** The body of an HTTP error. */
  error(status: FakeErrorStatus, message: string | undefined): unknown
  /** The in-stream error event, sent after `eventsSent` other events. */
  streamError(message: string | undefined, eventsSent: number): SseEvent
}

/** What `answer` needs to know about the request besides the reply. */
export interface AnswerContext {
  /** Whether the request asked for `stream: true`. */
  readonly stream: boolean
  /** The requested model, reported back unless the reply names another. */
  readonly model: string
  /** Characters of prompt text, for the default input token count. */
  readonly promptChars: number
  /** The default reply's text, for a `hang` reply without `text`. */
  readonly defaultText: string
}

/** Fills in a reply's defaults: model, usage and chunks. */
export function resolveAnswer(reply: TextParts, ctx: AnswerContext): TextAnswer {
  const usage = reply.usage ?? {}
  return {
    text: reply.text,
    model: reply.model ?? ctx.model,
    chunks: splitText(reply.text),
    toolCalls: (reply.toolCalls ?? []).map((call) => {
      const json =
        typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments)
      const fragments = splitText(json, 3)
      return { name: call.name, id: call.id, arguments: call.arguments, json, fragments }
    }),
    usage: {
      input: usage.input ?? Math.ceil(ctx.promptChars / 4),
      output: usage.output ?? Math.ceil(reply.text.length / 4),
      cacheRead: usage.cacheRead ?? 0,
      cacheWrite: usage.cacheWrite ?? 0,
      reasoning: usage.reasoning ?? 0,
    },
  }
}

/** Asks the fake's `reply` option; a throwing option becomes a 500 naming the failure. */
export async function chooseReply<TRequest>(
  reply: ((request: TRequest) => FakeReply | Promise<FakeReply>) | undefined,
  request: TRequest,
  fallback: FakeReply,
): Promise<FakeReply> {
  try {
    return (await reply?.(request)) ?? fallback
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    return { kind: 'error', status: 500, message: `fake reply() threw: ${detail}` }
  }
}

/** Answers one exchange with `reply`, spelled by `wire`. */
export async function answer(
  ex: Exchange,
  reply: FakeReply,
  wire: Wire,
  ctx: AnswerContext,
): Promise<void> {
  if (reply.kind === 'hang') return hang(ex, wire, ctx, reply)
  if (!(await waitDelay(ex, reply.delayMs))) return
  switch (reply.kind) {
    case 'error':
      return sendError(ex, wire, reply.status, reply.message, reply.retryAfter)
    case 'text':
    case 'refusal': {
      const text = resolveAnswer(reply, ctx)
      const body = messageBody(reply, text, wire)
      if (!ctx.stream) return writeJson(ex.res, 200, body, wire.headers)
      const { head, deltas, tail } = wire.stream(text)
      return streamThen(ex, wire, [...head, ...deltas, ...tail], reply, () => ex.res.end())
    }
    case 'stream-error': {
      if (!ctx.stream) return sendError(ex, wire, wire.midStreamStatus, reply.message)
      const events = prefix(wire, resolveAnswer(reply, ctx), reply.afterChunks)
      const error = wire.streamError(reply.message, events.length)
      return streamThen(ex, wire, [...events, error], reply, () => ex.res.end())
    }
    case 'truncated': {
      const text = resolveAnswer(reply, ctx)
      if (!ctx.stream) return writeTruncatedJson(ex.res, wire.message(text), wire.headers)
      const events = prefix(wire, text, reply.afterChunks)
      return streamThen(ex, wire, events, reply, () => void ex.res.destroy())
    }
    case 'malformed': {
      const body = reply.body ?? '{"unexpected":true}'
      const contentType = reply.contentType ?? 'application/json'
      ex.res.writeHead(200, { ...wire.headers, 'content-type': contentType })
      ex.res.end(body)
      return
    }
    case 'reset':
      return void ex.res.socket?.destroy()
  }
}

/** The body of a non-streamed `text` or `refusal` answer. */
function messageBody(reply: TextReply | RefusalReply, text: TextAnswer, wire: Wire): unknown {
  return reply.kind === 'text' ? wire.message(text) : wire.refusal(text)
}

/** A non-streamed answer as a value: what a batch line carries instead of an HTTP response. */
export type RenderedAnswer =
  | {
      readonly kind: 'message'
      /** The same body a live non-streamed request gets. */
      readonly body: unknown
      /** The counts the body reports; absent for a `malformed` body. */
      readonly usage: TextAnswer['usage'] | undefined
    }
  | { readonly kind: 'error'; readonly status: FakeErrorStatus; readonly body: unknown }
  /** A `hang`: the request never finishes (a batch line expires). */
  | { readonly kind: 'none' }

/**
 * Renders `reply` as the non-streamed answer a live request would get, without a socket:
 * `text` and `refusal` give the same body, `error` and `stream-error` the same error body.
 * Transport failures have no batch counterpart: `truncated` and `reset` become a 500 error,
 * `malformed` a 200 whose body is its text parsed as JSON (or the text itself), `hang` no
 * answer at all. Delays are ignored.
 */
export function renderAnswer(reply: FakeReply, wire: Wire, ctx: AnswerContext): RenderedAnswer {
  const error = (status: FakeErrorStatus, message?: string): RenderedAnswer => ({
    kind: 'error',
    status,
    body: wire.error(status, message),
  })
  switch (reply.kind) {
    case 'text':
    case 'refusal': {
      const text = resolveAnswer(reply, ctx)
      return { kind: 'message', body: messageBody(reply, text, wire), usage: text.usage }
    }
    case 'error':
      return error(reply.status, reply.message)
    case 'stream-error':
      return error(wire.midStreamStatus, reply.message)
    case 'truncated':
    case 'reset':
      return error(500)
    case 'malformed':
      return {
        kind: 'message',
        body: parseOrText(reply.body ?? '{"unexpected":true}'),
        usage: undefined,
      }
    case 'hang':
      return { kind: 'none' }
  }
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text // not JSON: the raw text is the body
  }
}

/**
 * Waits until `delayMs` after the request arrived; false when the fake closed meanwhile.
 * delayMs counts from the request's arrival, not from when the fake got round to it: a fake
 * "answering in 50 ms" must not add its own queueing when many requests arrive at once.
 */
export async function waitDelay(ex: Exchange, delayMs: number | undefined): Promise<boolean> {
  const waited = Date.now() - ex.request.receivedAt
  await sleep(Math.max(0, (delayMs ?? 0) - waited), ex.signal)
  return !ex.signal.aborted
}

/** Answers a `hang`: nothing at all, or for streams with `afterChunks` a prefix, then nothing. */
async function hang(
  ex: Exchange,
  wire: Wire,
  ctx: AnswerContext,
  reply: Extract<FakeReply, { kind: 'hang' }>,
): Promise<void> {
  if (!ctx.stream || reply.afterChunks === undefined) return
  const text = resolveAnswer({ text: reply.text ?? ctx.defaultText }, ctx)
  await streamThen(ex, wire, prefix(wire, text, reply.afterChunks), reply, () => undefined)
}

/** The head events and the first `afterChunks` deltas of a streamed answer. */
function prefix(wire: Wire, text: TextAnswer, afterChunks: number): SseEvent[] {
  const { head, deltas } = wire.stream(text)
  return [...head, ...deltas.slice(0, Math.max(0, afterChunks))]
}

/** Opens the event stream, writes `events` paced by `chunkDelayMs`, then calls `finish`. */
async function streamThen(
  ex: Exchange,
  wire: Wire,
  events: readonly SseEvent[],
  pacing: { readonly chunkDelayMs?: number },
  finish: () => void,
): Promise<void> {
  openSse(ex.res, wire.headers)
  const options = { delayMs: pacing.chunkDelayMs ?? 0, signal: ex.signal }
  if (await writeSse(ex.res, events, options)) finish()
}

/** Answers with an HTTP error in the API's error body, plus `retry-after` when given. */
export function sendError(
  ex: Exchange,
  wire: Pick<Wire, 'headers' | 'error'>,
  status: FakeErrorStatus,
  message: string | undefined,
  retryAfter?: number,
): void {
  const headers: Record<string, string> =
    retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) }
  writeJson(ex.res, status, wire.error(status, message), { ...wire.headers, ...headers })
}
