import { answer, chooseReply } from './answer.js'
import type { Wire } from './answer.js'
import { chatWire } from './openai-chat.js'
import { openaiHeaders } from './openai-common.js'
import { serveEmbeddings } from './openai-embeddings.js'
import type { EmbedOption } from './openai-embeddings.js'
import { responsesWire } from './openai-responses.js'
import { echoText, isMessageList, isRecord, promptChars } from './prompt.js'
import type { WireMessage } from './prompt.js'
import { startFakeServer, writeJson } from './server.js'
import type { Exchange, FakeReply, FakeServer, ReplyRequest } from './server.js'

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
}

/**
 * Starts a loopback fake of the OpenAI Chat Completions (`POST /v1/chat/completions`) and
 * Responses (`POST /v1/responses`) APIs, plain and with `stream: true`, and of the embeddings
 * endpoint (`POST /v1/embeddings`). Other routes get a 404; a body without the required fields
 * gets a 400 `invalid_request_error`.
 */
export function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeServer> {
  return startFakeServer((ex) => serve(ex, options))
}

async function serve(ex: Exchange, options: FakeOpenAIOptions): Promise<void> {
  const { method, path } = ex.request
  const route = method === 'POST' ? path.split('?')[0] : undefined
  if (route === '/v1/chat/completions') return serveChat(ex, options)
  if (route === '/v1/responses') return serveResponses(ex, options)
  if (route === '/v1/embeddings') return serveEmbeddings(ex, options.embed)
  reject(ex, 404, `Invalid URL (${method} ${path})`)
}

async function serveChat(ex: Exchange, options: FakeOpenAIOptions): Promise<void> {
  const { body } = ex.request
  if (!isRecord(body) || typeof body.model !== 'string') return reject(ex, 400, NO_MODEL)
  if (!isMessageList(body.messages)) return reject(ex, 400, NO_MESSAGES)
  const chat: ChatRequestBody = { ...body, model: body.model, messages: body.messages }
  const includeUsage = isRecord(body.stream_options) && body.stream_options.include_usage === true
  const wire = chatWire(ex.index, createdAt(ex), includeUsage)
  await respond(ex, options, wire, { ...about(ex), api: 'chat', body: chat }, chat.messages)
}

async function serveResponses(ex: Exchange, options: FakeOpenAIOptions): Promise<void> {
  const { body } = ex.request
  if (!isRecord(body) || typeof body.model !== 'string') return reject(ex, 400, NO_MODEL)
  const request: OpenAIReplyRequest = {
    ...about(ex),
    api: 'responses',
    body: { ...body, model: body.model },
  }
  const echo = {
    instructions: body.instructions,
    maxOutputTokens: body.max_output_tokens,
    text: isRecord(body.text) ? body.text : undefined,
  }
  const wire = responsesWire(ex.index, createdAt(ex), echo)
  await respond(ex, options, wire, request, inputMessages(body.input))
}

const NO_MODEL = 'you must provide a model parameter'
const NO_MESSAGES = "Missing required parameter: 'messages'."

/** Answers a request the fake cannot serve, in the OpenAI error body. */
function reject(ex: Exchange, status: 400 | 404, message: string): void {
  const error = { message, type: 'invalid_request_error', param: null, code: null }
  writeJson(ex.res, status, { error }, openaiHeaders(ex.index))
}

function about(ex: Exchange): Omit<ReplyRequest<unknown>, 'body'> {
  return { headers: ex.request.headers, attempt: ex.attempt, index: ex.index }
}

function createdAt(ex: Exchange): number {
  return Math.floor(ex.request.receivedAt / 1000)
}

async function respond(
  ex: Exchange,
  options: FakeOpenAIOptions,
  wire: Wire,
  request: OpenAIReplyRequest,
  messages: readonly WireMessage[],
): Promise<void> {
  const defaultText = echoText(messages)
  const reply = await chooseReply(options.reply, request, { kind: 'text', text: defaultText })
  const system = request.api === 'responses' ? request.body.instructions : undefined
  await answer(ex, reply, wire, {
    stream: request.body.stream === true,
    model: request.body.model,
    promptChars: promptChars(system, messages),
    defaultText,
  })
}

/** Responses `input` as messages: a string is one user message; items without a role are skipped. */
function inputMessages(input: unknown): WireMessage[] {
  if (typeof input === 'string') return [{ role: 'user', content: input }]
  if (!Array.isArray(input)) return []
  return input.filter((i): i is WireMessage => isRecord(i) && typeof i.role === 'string')
}
