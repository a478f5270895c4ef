import { isMap, isScalar, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml'
import type { ConfigIssue } from '../errors.js'

/** A step of a path into a document: a key of a map or an index of a list. */
export type PathKey = string | number

/** A 1-based position in a file. */
export interface Position {
  readonly line: number
  readonly column: number
}

/**
 * A parsed document that remembers where each value came from, so validation issues can name
 * `file:line:column`.
 */
export interface Source {
  readonly file: string
  readonly value: unknown
  /** Position of the value at `path` (or of its nearest ancestor that exists). */
  locate(path: readonly PathKey[]): Position
  /** Position of the key `key` of the map at `path`, when the file has one. */
  locateKey(path: readonly PathKey[], key: string): Position
  /**
   * Values substituted for `${VAR}`: they may be secrets, so whatever shipgate records redacts
   * them (cassettes, logs).
   */
  readonly interpolated: readonly string[]
}

/** Options of {@link parseYamlSource}. */
export interface YamlOptions {
  /** Environment for `${VAR}` interpolation; no interpolation when absent. */
  readonly env?: Readonly<Record<string, string | undefined>>
}

/**
 * Parses YAML keeping positions. Syntax errors, duplicate keys and unset `${VAR}`s are returned
 * as issues; the source is `undefined` when the file cannot be used at all.
 */
export function parseYamlSource(
  file: string,
  text: string,
  options: YamlOptions = {},
): { source: Source | undefined; issues: ConfigIssue[] } {
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true })
  const at = (offset: number): Position => {
    const p = lines.linePos(offset)
    return { line: p.line, column: p.col }
  }
  const issues: ConfigIssue[] = doc.errors.map((e) => ({
    file,
    ...at(e.pos[0]),
    message: e.message.split('\n')[0] ?? e.message,
    hint: 'fix the YAML syntax (indentation, quoting, a missing colon)',
  }))
  if (issues.length > 0) return { source: undefined, issues }
  const interpolated: string[] = []
  if (options.env !== undefined)
    issues.push(...interpolate(doc, options.env, file, at, interpolated))
  const value = doc.toJS({ maxAliasCount: 1000 }) as unknown
  return { source: yamlSource(file, doc, value, at, interpolated), issues }
}

function yamlSource(
  file: string,
  doc: Document,
  value: unknown,
  at: (o: number) => Position,
  interpolated: readonly string[],
): Source {
  const nodeAt = (path: readonly PathKey[]): Node | undefined => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true)
      if (node !== undefined && node !== null && typeof node === 'object' && 'range' in node) {
        return node as Node
      }
    }
    return undefined
  }
  const locate = (path: readonly PathKey[]): Position => at(nodeAt(path)?.range?.[0] ?? 0)
  return {
    file,
    value,
    interpolated,
    locate,
    locateKey(path, key) {
      const map = nodeAt(path)
      if (isMap(map)) {
        const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key)
        if (pair !== undefined && isScalar(pair.key) && pair.key.range) return at(pair.key.range[0])
      }
      return locate(path)
    },
  }
}

const VAR = /\$(\$)?\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g

/**
 * Replaces `${VAR}` and `${VAR:-default}` in string values (never in keys); `$${VAR}` stays
 * literal as `${VAR}`. An unset variable without a default is an issue at its position.
 */
function interpolate(
  doc: Document,
  env: Readonly<Record<string, string | undefined>>,
  file: string,
  at: (o: number) => Position,
  used: string[],
): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  visit(doc, {
    Scalar(key, node) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('${')) return
      node.value = node.value.replace(
        VAR,
        (whole, escaped: string | undefined, name: string, fallback: string | undefined) => {
          if (escaped !== undefined) return whole.slice(1)
          const value = env[name]
          if (value !== undefined && value !== '') {
            used.push(value)
            return value
          }
          if (fallback !== undefined) return fallback
          issues.push({
            file,
            ...at(node.range?.[0] ?? 0),
            message: `environment variable ${name} is not set`,
            hint: `export ${name}=..., or write \${${name}:-default} for a fallback`,
          })
          return whole
        },
      )
    },
  })
  return issues
}
