import { answer, sendError } from './answer.js'
import { AnthropicBatches, batchRoute } from './anthropic-batch.js'
import { chooseCallReply, messageCall } from './anthropic-calls.js'
import { anthropicWire } from './anthropic-wire.js'
import type { FakeBatches, FakeBatchOptions } from './batch-state.js'
import type { WireMessage } from './prompt.js'
import { startFakeServer } from './server.js'
import type { Exchange, FakeReply, FakeServer, ReplyRequest } from './server.js'

/** A `POST /v1/messages` body, checked for the fields the real API requires. */
export interface AnthropicRequestBody {
  /** Reported back in the answer unless the reply names another model. */
  readonly model: string
  readonly max_tokens: number
  /** Their text (string or text blocks) makes the default reply and input tokens. */
  readonly messages: readonly WireMessage[]
  /** A string or a list of text blocks; counted into the default input tokens. */
  readonly system?: unknown
  /** `true` answers with Server-Sent Events. */
  readonly stream?: boolean
  /** Tool definitions; a forced tool must be among them. */
  readonly tools?: unknown
  /** `{ type: 'tool', name }` makes a plain JSON-object answer a call of that tool. */
  readonly tool_choice?: unknown
  /** Every other field, unchecked. */
  readonly [key: string]: unknown
}

/** What `FakeAnthropicOptions.reply` learns about each request. */
export type AnthropicReplyRequest = ReplyRequest<AnthropicRequestBody>

/** Options of {@link startFakeAnthropic}. */
export interface FakeAnthropicOptions {
  /**
   * Chooses the answer to each valid request. Default: a `text` reply of `echo: ` plus the
   * text of the last user message. A throw is answered with a 500 `api_error` naming it.
   */
  readonly reply?: (request: AnthropicReplyRequest) => FakeReply | Promise<FakeReply>
  /**
   * How message batches advance and how each of their requests ends (default: ended on the
   * second retrieve, every request answered as `reply` says).
   */
  readonly batch?: FakeBatchOptions
}

/** The Batch API vocabulary, for tests that script batches. */
export type {
  FakeBatchOptions,
  FakeBatchOutcome,
  FakeBatchRecord,
  FakeBatchRefusal,
  FakeBatches,
} from './batch-state.js'

/** A running Anthropic fake: the server, plus the Message Batches counters and batches. */
export type FakeAnthropic = FakeServer & {
  /** Message batches: counters and every batch created. */
  readonly batches: FakeBatches
}

/**
 * Starts a loopback fake of the Anthropic Messages API: `POST /v1/messages`, plain and with
 * `stream: true`, and of Message Batches (`POST /v1/messages/batches`, `GET …/:id`,
 * `GET …/:id/results`, `POST …/:id/cancel`), each batch request answered as a live request with
 * its params would be. Other routes get a 404 `not_found_error`; a body without `model`,
 * `max_tokens` or `messages` gets a 400 `invalid_request_error`. A plain request forcing a tool
 * (`tool_choice: { type: 'tool', name }`) whose reply text is a JSON object gets a `tool_use`
 * block with that object as input and `stop_reason: 'tool_use'`; streams always carry text.
 */
export async function startFakeAnthropic(
  options: FakeAnthropicOptions = {},
): Promise<FakeAnthropic> {
  const batches = new AnthropicBatches(options)
  const server = await startFakeServer((ex) => serve(ex, options, batches))
  batches.baseUrl = server.url
  return { ...server, batches: batches.ledger }
}

async function serve(
  ex: Exchange,
  options: FakeAnthropicOptions,
  batches: AnthropicBatches,
): Promise<void> {
  const { method, path } = ex.request
  const route = path.split('?')[0] ?? path
  if (method === 'POST' && route === '/v1/messages') return serveMessage(ex, options)
  const batchApi = batchRoute(method, route)
  if (batchApi !== undefined) return batchApi(ex, batches)
  sendError(ex, anthropicWire(ex.index), 404, `Not found: ${method} ${path}`)
}

async function serveMessage(ex: Exchange, options: FakeAnthropicOptions): Promise<void> {
  const facts = { headers: ex.request.headers, attempt: ex.attempt, index: ex.index }
  const call = messageCall(ex.request.body, facts)
  if (typeof call === 'string') return sendError(ex, anthropicWire(ex.index), 400, call)
  await answer(ex, await chooseCallReply(options.reply, call), call.wire, call.ctx)
}
