import { chooseReply, renderAnswer } from './answer.js'
import type { AnswerContext, RenderedAnswer, Wire } from './answer.js'
import { anthropicWire } from './anthropic-wire.js'
import type {
  AnthropicReplyRequest,
  AnthropicRequestBody,
  FakeAnthropicOptions,
} from './anthropic.js'
import { echoText, isMessageList, isRecord, promptChars } from './prompt.js'
import type { FakeReply, ReplyRequest } from './server.js'

/** One Messages call, ready to be answered live or rendered for a batch. */
export interface AnthropicCall {
  /** What `reply` is asked with. */
  readonly request: AnthropicReplyRequest
  /** How the answer is spelled (a forced tool turns a JSON-object text into its call). */
  readonly wire: Wire
  /** Model, prompt size, default text and whether it streams. */
  readonly ctx: AnswerContext
}

/** A `POST /v1/messages` call from a body, or what the real API would say is wrong with it. */
export function messageCall(
  body: unknown,
  facts: Omit<ReplyRequest<unknown>, 'body'>,
): AnthropicCall | string {
  const checked = checkBody(body)
  if (typeof checked === 'string') return checked
  const tool = forcedTool(checked.tool_choice)
  if (tool !== undefined && !toolNames(checked.tools).includes(tool)) {
    return `tool_choice: no tool named ${tool}`
  }
  const ctx = {
    stream: checked.stream === true,
    model: checked.model,
    promptChars: promptChars(checked.system, checked.messages),
    defaultText: echoText(checked.messages),
  }
  return { request: { ...facts, body: checked }, wire: anthropicWire(facts.index, tool), ctx }
}

/** Asks `reply` about a call; the default is the echo text. */
export function chooseCallReply(
  reply: FakeAnthropicOptions['reply'],
  call: AnthropicCall,
): Promise<FakeReply> {
  return chooseReply(reply, call.request, { kind: 'text', text: call.ctx.defaultText })
}

/** The non-streamed answer a live request making `call` would get, as a value. */
export async function renderCall(
  reply: FakeAnthropicOptions['reply'],
  call: AnthropicCall,
): Promise<RenderedAnswer> {
  return renderAnswer(await chooseCallReply(reply, call), call.wire, call.ctx)
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
