import type { ToolCall } from '../contracts/provider.js'

/**
 * Tool calls as the model APIs send them, made into the one {@link ToolCall} shape: argument
 * text parsed, and calls streamed in fragments put back together.
 */

/**
 * The arguments of a call from the model's JSON text: the parsed value, or the text itself when
 * it is not JSON (a model's malformed call stays visible to the assertions). No text is `{}`,
 * as the APIs send for a call without arguments.
 */
export function parseArguments(text: string): unknown {
  if (text.trim() === '') return {}
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/** A call built as the API sends it: fixed shape (docs/decisions/0009). */
export function toolCall(id: string | undefined, name: string, args: unknown): ToolCall {
  return id === undefined ? { name, arguments: args } : { id, name, arguments: args }
}

/** One call of a stream while its fragments arrive. */
interface Pending {
  id: string | undefined
  name: string
  text: string
}

/**
 * The tool calls of a streamed answer, gathered from their fragments by position (Chat
 * `tool_calls[].index`, Anthropic content block index, Responses `output_index`).
 */
export class StreamedCalls {
  private readonly pending = new Map<number, Pending>()

  /** Adds what a fragment says about the call at `index`: its id, its name, more arguments. */
  add(index: number, part: { id?: string | null; name?: string | null; text?: string | null }) {
    let call = this.pending.get(index)
    if (call === undefined) {
      call = { id: undefined, name: '', text: '' }
      this.pending.set(index, call)
    }
    if (typeof part.id === 'string' && part.id !== '') call.id = part.id
    if (typeof part.name === 'string' && part.name !== '') call.name = part.name
    if (typeof part.text === 'string') call.text += part.text
  }

  /** Replaces the argument text of the call at `index` with the whole text a `done` event gives. */
  complete(index: number, text: string): void {
    const call = this.pending.get(index)
    if (call !== undefined) call.text = text
  }

  /** Whether the call at `index` is being gathered. */
  has(index: number): boolean {
    return this.pending.has(index)
  }

  /** The calls in order of position; `undefined` when there were none. */
  list(): ToolCall[] | undefined {
    if (this.pending.size === 0) return undefined
    return [...this.pending.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, c]) => toolCall(c.id, c.name, parseArguments(c.text)))
  }
}
