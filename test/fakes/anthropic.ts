import { answer, chooseReply, sendError } from './answer.js'
import { anthropicWire } from './anthropic-wire.js'
import { echoText, isMessageList, isRecord, promptChars } from './prompt.js'
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
}

/**
 * Starts a loopback fake of the Anthropic Messages API: `POST /v1/messages`, plain and with
 * `stream: true`. Other routes get a 404 `not_found_error`; a body without `model`,
 * `max_tokens` or `messages` gets a 400 `invalid_request_error`. A plain request forcing a tool
 * (`tool_choice: { type: 'tool', name }`) whose reply text is a JSON object gets a `tool_use`
 * block with that object as input and `stop_reason: 'tool_use'`; streams always carry text.
 */
export function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeServer> {
  return startFakeServer((ex) => serve(ex, options))
}

async function serve(ex: Exchange, options: FakeAnthropicOptions): Promise<void> {
  const { method, path, headers } = ex.request
  if (method !== 'POST' || path.split('?')[0] !== '/v1/messages') {
    return sendError(ex, anthropicWire(ex.index), 404, `Not found: ${method} ${path}`)
  }
  const body = checkBody(ex.request.body)
  if (typeof body === 'string') return sendError(ex, anthropicWire(ex.index), 400, body)
  const tool = forcedTool(body.tool_choice)
  if (tool !== undefined && !toolNames(body.tools).includes(tool)) {
    return sendError(ex, anthropicWire(ex.index), 400, `tool_choice: no tool named ${tool}`)
  }
  const wire = anthropicWire(ex.index, tool)
  const defaultText = echoText(body.messages)
  const request = { body, headers, attempt: ex.attempt, index: ex.index }
  const reply = await chooseReply(options.reply, request, { kind: 'text', text: defaultText })
  await answer(ex, reply, wire, {
    stream: body.stream === true,
    model: body.model,
    promptChars: promptChars(body.system, body.messages),
    defaultText,
  })
}

/** The tool a `tool_choice` forces, if it forces one. */
function forcedTool(choice: unknown): string | undefined {
  return isRecord(choice) && choice.type === 'tool' && typeof choice.name === 'string'
    ? choice.name
    : undefined
}

function toolNames(tools: unknown): string[] {
  if (!Array.isArray(tools)) return []
  return tools.flatMap((t) => (isRecord(t) && typeof t.name === 'string' ? [t.name] : []))
}

/** The typed body, or what the real API would say is wrong with it. */
function checkBody(body: unknown): AnthropicRequestBody | string {
  if (!isRecord(body)) return 'Request body must be a JSON object.'
  if (typeof body.model !== 'string') return 'model: Field required'
  if (typeof body.max_tokens !== 'number') return 'max_tokens: Field required'
  if (!isMessageList(body.messages)) return 'messages: Field required'
  return { ...body, model: body.model, max_tokens: body.max_tokens, messages: body.messages }
}
