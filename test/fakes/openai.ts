import { answer } from './answer.js'
import type { FakeBatches, FakeBatchOptions } from './batch-state.js'
import { batchRoute, OpenAIBatches } from './openai-batch.js'
import { chatCall, chooseCallReply, responsesCall } from './openai-calls.js'
import type { CallMaker } from './openai-calls.js'
import { rejectRequest } from './openai-common.js'
import { serveEmbeddings } from './openai-embeddings.js'
import type { EmbedOption } from './openai-embeddings.js'
import type { WireMessage } from './prompt.js'
import { startFakeServer } from './server.js'
import type { Exchange, FakeReply, FakeServer, ReplyRequest } from './server.js'

/** The Batch API vocabulary, for tests that script batches. */
export type {
  FakeBatchOptions,
  FakeBatchOutcome,
  FakeBatchRecord,
  FakeBatchRefusal,
  FakeBatches,
} from './batch-state.js'

/** The embeddings vocabulary, for tests that script `embed`. */
export type {
  EmbedOption,
  EmbeddingsReply,
  EmbeddingsReplyRequest,
  EmbeddingsRequestBody,
  VectorsReply,
} from './openai-embeddings.js'

/** A `POST /v1/chat/completions` body, checked for `model` and `messages`. */
export interface ChatRequestBody {
  /** Reported back in the answer unless the reply names another model. */
  readonly model: string
  /** Their text (string or text parts) makes the default reply and input tokens. */
  readonly messages: readonly WireMessage[]
  /** `true` answers with `chat.completion.chunk` events and `data: [DONE]`. */
  readonly stream?: boolean
  /** `{ include_usage: true }` adds the final usage chunk to a stream. */
  readonly stream_options?: unknown
  /** E.g. `{ type: 'json_schema', json_schema }`; the reply decides what is answered. */
  readonly response_format?: unknown
  /** Every other field, unchecked. */
  readonly [key: string]: unknown
}

/** A `POST /v1/responses` body, checked for `model`. */
export interface ResponsesRequestBody {
  /** Reported back in the answer unless the reply names another model. */
  readonly model: string
  /** A string (one user message) or a list of input items. */
  readonly input?: unknown
  /** Echoed in the response and counted into the default input tokens. */
  readonly instructions?: unknown
  /** `true` answers with named, numbered Responses stream events. */
  readonly stream?: boolean
  /** E.g. `{ format: { type: 'json_schema', ... } }`; echoed in the response. */
  readonly text?: unknown
  /** Every other field, unchecked. */
  readonly [key: string]: unknown
}

/** What `FakeOpenAIOptions.reply` learns about each request; `api` says which endpoint. */
export type OpenAIReplyRequest =
  | (ReplyRequest<ChatRequestBody> & { readonly api: 'chat' })
  | (ReplyRequest<ResponsesRequestBody> & { readonly api: 'responses' })

/** Options of {@link startFakeOpenAI}. */
export interface FakeOpenAIOptions {
  /**
   * Chooses the answer to each valid request. Default: a `text` reply of `echo: ` plus the
   * text of the last user message. A throw is answered with a 500 `server_error` naming it.
   */
  readonly reply?: (request: OpenAIReplyRequest) => FakeReply | Promise<FakeReply>
  /**
   * Chooses the answer to each valid embeddings request: vectors (one per text, in order), or
   * an `error` reply. Default (or `undefined`): a `bagOfWords` vector of each text, of
   * `dimensions` numbers (default 16). A throw is answered with a 500 `server_error`.
   */
  readonly embed?: EmbedOption
  /**
   * How batches advance and how each of their requests ends (default: done on the second
   * retrieve, every request answered as `reply` says).
   */
  readonly batch?: FakeBatchOptions
}

/** A running OpenAI fake: the server, plus the Batch API's counters and batches. */
export type FakeOpenAI = FakeServer & {
  /** Files and batches: counters and every batch created. */
  readonly batches: FakeBatches
}

/**
 * Starts a loopback fake of the OpenAI Chat Completions (`POST /v1/chat/completions`) and
 * Responses (`POST /v1/responses`) APIs, plain and with `stream: true`, of the embeddings
 * endpoint (`POST /v1/embeddings`), and of the Files and Batch APIs that run those two chat
 * endpoints (`POST /v1/files`, `GET /v1/files/:id[/content]`, `POST /v1/batches`,
 * `GET /v1/batches/:id`, `POST /v1/batches/:id/cancel`), each batch line answered as a live
 * request with its body would be. Other routes get a 404; a body without the required fields
 * gets a 400 `invalid_request_error`.
 */
export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const batches = new OpenAIBatches(options)
  const server = await startFakeServer((ex) => serve(ex, options, batches))
  return { ...server, batches: batches.ledger }
}

async function serve(
  ex: Exchange,
  options: FakeOpenAIOptions,
  batches: OpenAIBatches,
): Promise<void> {
  const { method, path } = ex.request
  const route = path.split('?')[0] ?? path
  if (method === 'POST' && route === '/v1/chat/completions') return serveCall(ex, options, chatCall)
  if (method === 'POST' && route === '/v1/responses') return serveCall(ex, options, responsesCall)
  if (method === 'POST' && route === '/v1/embeddings') return serveEmbeddings(ex, options.embed)
  const batchApi = batchRoute(method, route)
  if (batchApi !== undefined) return batchApi(ex, batches)
  rejectRequest(ex, 404, `Invalid URL (${method} ${path})`)
}

/** Answers a chat endpoint live: the body checked, `reply` asked, the answer written. */
async function serveCall(ex: Exchange, options: FakeOpenAIOptions, make: CallMaker): Promise<void> {
  const facts = { headers: ex.request.headers, attempt: ex.attempt, index: ex.index }
  const call = make(ex.request.body, facts, Math.floor(ex.request.receivedAt / 1000))
  if (typeof call === 'string') return rejectRequest(ex, 400, call)
  await answer(ex, await chooseCallReply(options.reply, call), call.wire, call.ctx)
}
