import { chooseReply, renderAnswer } from './answer.js'
import type { AnswerContext, RenderedAnswer, Wire } from './answer.js'
import { chatWire } from './openai-chat.js'
import { responsesWire } from './openai-responses.js'
import type { ChatRequestBody, FakeOpenAIOptions, OpenAIReplyRequest } from './openai.js'
import { echoText, isMessageList, isRecord, promptChars } from './prompt.js'
import type { WireMessage } from './prompt.js'
import type { ReplyRequest } from './server.js'

/** One Chat Completions or Responses call, ready to be answered live or rendered for a batch. */
export interface OpenAICall {
  /** What `reply` is asked with. */
  readonly request: OpenAIReplyRequest
  /** How the answer is spelled. */
  readonly wire: Wire
  /** Model, prompt size, default text and whether it streams. */
  readonly ctx: AnswerContext
}

/** What a call knows about its request besides the body. */
export type RequestFacts = Omit<ReplyRequest<unknown>, 'body'>

/** Builds a call of the endpoint from a body, or says (400) what is wrong with the body. */
export type CallMaker = (body: unknown, facts: RequestFacts, created: number) => OpenAICall | string

/** A `POST /v1/chat/completions` call, or what is wrong with its body. */
export const chatCall: CallMaker = (body, facts, created) => {
  if (!isRecord(body) || typeof body.model !== 'string') return NO_MODEL
  if (!isMessageList(body.messages)) return NO_MESSAGES
  const chat: ChatRequestBody = { ...body, model: body.model, messages: body.messages }
  const includeUsage = isRecord(body.stream_options) && body.stream_options.include_usage === true
  const request: OpenAIReplyRequest = { ...facts, api: 'chat', body: chat }
  const wire = chatWire(facts.index, created, includeUsage)
  return { request, wire, ctx: context(request, undefined, chat.messages) }
}

/** A `POST /v1/responses` call, or what is wrong with its body. */
export const responsesCall: CallMaker = (body, facts, created) => {
  if (!isRecord(body) || typeof body.model !== 'string') return NO_MODEL
  const request: OpenAIReplyRequest = {
    ...facts,
    api: 'responses',
    body: { ...body, model: body.model },
  }
  const echo = {
    instructions: body.instructions,
    maxOutputTokens: body.max_output_tokens,
    text: isRecord(body.text) ? body.text : undefined,
  }
  const wire = responsesWire(facts.index, created, echo)
  return { request, wire, ctx: context(request, body.instructions, inputMessages(body.input)) }
}

const NO_MODEL = 'you must provide a model parameter'
const NO_MESSAGES = "Missing required parameter: 'messages'."

function context(
  request: OpenAIReplyRequest,
  system: unknown,
  messages: readonly WireMessage[],
): AnswerContext {
  return {
    stream: request.body.stream === true,
    model: request.body.model,
    promptChars: promptChars(system, messages),
    defaultText: echoText(messages),
  }
}

/** Asks `reply` about a call; the default is the echo text. */
export function chooseCallReply(
  reply: FakeOpenAIOptions['reply'],
  call: OpenAICall,
): ReturnType<typeof chooseReply> {
  return chooseReply(reply, call.request, { kind: 'text', text: call.ctx.defaultText })
}

/** The non-streamed answer a live request making `call` would get, as a value. */
export async function renderCall(
  reply: FakeOpenAIOptions['reply'],
  call: OpenAICall,
): Promise<RenderedAnswer> {
  return renderAnswer(await chooseCallReply(reply, call), call.wire, call.ctx)
}

/** Responses `input` as messages: a string is one user message; items without a role are skipped. */
function inputMessages(input: unknown): WireMessage[] {
  if (typeof input === 'string') return [{ role: 'user', content: input }]
  if (!Array.isArray(input)) return []
  return input.filter((i): i is WireMessage => isRecord(i) && typeof i.role === 'string')
}
