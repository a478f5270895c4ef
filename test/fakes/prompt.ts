/** A chat message as any of the faked APIs receives it; `content` is left unchecked. */
export interface WireMessage {
  readonly role: string
  readonly content?: unknown
}

/** True for a non-null, non-array object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** True for an array of objects that each have a string `role`. */
export function isMessageList(value: unknown): value is WireMessage[] {
  return Array.isArray(value) && value.every((m) => isRecord(m) && typeof m.role === 'string')
}

/**
 * The text of a message content: a string as is, or the `text` of every part of a part list
 * (Anthropic `text` blocks, OpenAI `text` / `input_text` parts), joined.
 */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return ''
  return content
    .map((part) => (isRecord(part) && typeof part.text === 'string' ? part.text : ''))
    .join('')
}

/** The number of characters of text in a system prompt plus messages. */
export function promptChars(system: unknown, messages: readonly WireMessage[]): number {
  return messages.reduce((sum, m) => sum + textOf(m.content).length, textOf(system).length)
}

/** The default reply text: `echo: ` and the text of the last user message. */
export function echoText(messages: readonly WireMessage[]): string {
  const last = messages.findLast((m) => m.role === 'user')
  return `echo: ${textOf(last?.content)}`
}

/** Splits `text` into about `parts` pieces of whole code points; `[]` for empty text. */
export function splitText(text: string, parts = 4): string[] {
  const points = Array.from(text)
  const size = Math.max(1, Math.ceil(points.length / parts))
  const pieces: string[] = []
  for (let i = 0; i < points.length; i += size) pieces.push(points.slice(i, i + size).join(''))
  return pieces
}
