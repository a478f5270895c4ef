/**
 * Line and column of a place in a flag file's text, so that errors read `flags.json:12:9`.
 * JSON is read as YAML (a superset) only to learn where its nodes start; the values come from
 * `JSON.parse`.
 */
import { LineCounter, parseDocument } from 'yaml'

/** A 1-based position in a text. */
export interface Position {
  readonly line: number
  readonly column: number
}

/**
 * Where the value at `pointer` starts, or its closest ancestor that exists (a missing property
 * is reported on the object that lacks it); undefined when the text cannot be read as YAML.
 */
export function locate(text: string, pointer: readonly string[]): Position | undefined {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false })
  if (doc.errors.length > 0) return undefined
  for (let depth = pointer.length; depth >= 0; depth--) {
    const node: unknown = depth === 0 ? doc.contents : doc.getIn(pointer.slice(0, depth), true)
    const start = startOf(node)
    if (start !== undefined) return toPosition(lineCounter.linePos(start))
  }
  return undefined
}

/** The position of a character offset (as in `JSON.parse`'s "at position 42"). */
export function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset).split('\n')
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 }
}

function startOf(node: unknown): number | undefined {
  if (typeof node !== 'object' || node === null || !('range' in node)) return undefined
  const range: unknown = node.range
  return Array.isArray(range) && typeof range[0] === 'number' ? range[0] : undefined
}

function toPosition(pos: { line: number; col: number }): Position {
  return { line: pos.line, column: pos.col }
}
