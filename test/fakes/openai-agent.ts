import { startFakeServer, writeJson, type FakeServer } from './server.js'

/*
 * A Chat Completions fake that plays an agent's model turn by turn: scripted per scenario (a
 * word of the first user message), it answers each turn with `tool_calls` or a final text, in
 * the real wire format. It checks what an agent loop must send back: the `tools` it may call,
 * and a `tool` message answering every call of the previous turn, by `tool_call_id`.
 */

/** One model turn: tool calls to make, or the final answer. */
export type AgentTurn =
  | { readonly calls: readonly { readonly name: string; readonly arguments: object }[] }
  | { readonly text: string }

/** Turns by scenario: the first scenario whose name the first user message contains plays. */
export type AgentScript = Readonly<Record<string, readonly AgentTurn[]>>

interface ChatMessage {
  readonly role: string
  readonly content?: unknown
  readonly tool_calls?: readonly { readonly id: string }[]
  readonly tool_call_id?: string
}

/** Starts the fake on 127.0.0.1; the OpenAI SDK's base URL is `${url}/v1`. */
export function startAgentModel(script: AgentScript): Promise<FakeServer> {
  return startFakeServer(async ({ request, res, index }) => {
    if (request.method !== 'POST' || request.path !== '/v1/chat/completions') {
      return writeJson(res, 404, {
        error: { message: `no route ${request.path}`, type: 'invalid_request_error' },
      })
    }
    const body = request.body as { model?: string; messages?: ChatMessage[]; tools?: unknown[] }
    const messages = body.messages ?? []
    const problem = checkTurn(messages, body.tools)
    if (problem !== undefined) {
      return writeJson(res, 400, {
        error: { message: problem, type: 'invalid_request_error', param: 'messages', code: null },
      })
    }
    const first = messages.find((m) => m.role === 'user')
    const scenario = Object.keys(script).find((name) =>
      (typeof first?.content === 'string' ? first.content : '').includes(name),
    )
    const turns = scenario === undefined ? undefined : script[scenario]
    const turn = turns?.[messages.filter((m) => m.role === 'assistant').length]
    const reply = turn ?? { text: 'I have nothing more to say.' }
    await Promise.resolve()
    writeJson(res, 200, completion(index, body.model ?? 'gpt-4o-mini', reply))
  })
}

/** Why the conversation is not one the API accepts, if it is not. */
function checkTurn(messages: readonly ChatMessage[], tools: unknown): string | undefined {
  if (!Array.isArray(tools) || tools.length === 0) return 'this agent model expects `tools`'
  const open = new Set<string>()
  for (const m of messages) {
    if (m.role === 'assistant') {
      if (open.size > 0) return `tool calls ${[...open].join(', ')} were not answered`
      for (const call of m.tool_calls ?? []) open.add(call.id)
    } else if (m.role === 'tool') {
      if (m.tool_call_id === undefined || !open.delete(m.tool_call_id)) {
        return `a tool message answers no open call (${String(m.tool_call_id)})`
      }
    }
  }
  return open.size > 0 ? `tool calls ${[...open].join(', ')} were not answered` : undefined
}

function completion(index: number, model: string, turn: AgentTurn): object {
  const calls =
    'calls' in turn
      ? turn.calls.map((c, i) => ({
          id: `call_${index}_${i}`,
          type: 'function',
          function: { name: c.name, arguments: JSON.stringify(c.arguments) },
        }))
      : undefined
  const message =
    calls === undefined
      ? {
          role: 'assistant',
          content: (turn as { text: string }).text,
          refusal: null,
          annotations: [],
        }
      : { role: 'assistant', content: null, refusal: null, tool_calls: calls, annotations: [] }
  return {
    id: `chatcmpl-agent${index}`,
    object: 'chat.completion',
    created: 1_700_000_000 + index,
    model,
    choices: [
      {
        index: 0,
        message,
        logprobs: null,
        finish_reason: calls === undefined ? 'stop' : 'tool_calls',
      },
    ],
    usage: { prompt_tokens: 50, completion_tokens: 10, total_tokens: 60 },
  }
}
