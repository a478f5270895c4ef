import { isAlias, visit, type Alias, type Document } from 'yaml'
import type { ConfigIssue } from '../errors.js'
import { clip } from './quote.js'

/** Aliases a document may expand, in nodes per alias: beyond it, an alias bomb is refused. */
export const MAX_ALIAS_COUNT = 1000

/**
 * The issue of a document that parsed but cannot become a value: an alias with no anchor
 * (`*nope`), aliases that expand past {@link MAX_ALIAS_COUNT} ("billion laughs"), nesting the
 * stack cannot hold. Positioned at the alias at fault, or the first alias.
 */
export function toValueIssue(
  doc: Document,
  error: unknown,
  file: string,
  at: (offset: number) => { line: number; column: number },
): ConfigIssue {
  const message = error instanceof Error ? error.message : String(error)
  const aliases: Alias[] = []
  visit(doc, { Alias: (_key, node) => void aliases.push(node) })
  const unresolved = aliases.find((a) => a.resolve(doc) === undefined)
  if (unresolved !== undefined) {
    return {
      file,
      ...at(unresolved.range?.[0] ?? 0),
      message: `alias *${clip(unresolved.source)} names no anchor (&${clip(unresolved.source)}) before it`,
      hint: 'define the anchor before its first use, or write the value out',
    }
  }
  const first = aliases[0]
  const where = at(first !== undefined && isAlias(first) ? (first.range?.[0] ?? 0) : 0)
  if (/alias/i.test(message)) {
    return {
      file,
      ...where,
      message: `YAML aliases here expand to too much data (an alias bomb?): more than ${MAX_ALIAS_COUNT} nodes per alias`,
      hint: 'write the values out, or nest fewer aliases inside aliases',
    }
  }
  return { file, ...where, message: yamlMessage(message), hint: 'simplify the document' }
}

/** A parser message for an issue: its first line, clipped; stack exhaustion said plainly. */
export function yamlMessage(message: string): string {
  if (/call stack/i.test(message)) return 'nested too deeply for shipgate to read'
  return clip(message.split('\n')[0] ?? message, 200)
}
