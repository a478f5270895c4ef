import { isMap, isScalar, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml'
import type { ConfigIssue } from '../errors.js'
import { MAX_ALIAS_COUNT, toValueIssue, yamlMessage } from './yaml-issues.js'

/** A step of a path into a document: a key of a map or an index of a list. */
export type PathKey = string | number

/** A 1-based position in a file. */
export interface Position {
  readonly line: number
  readonly column: number
}

/**
 * Where a value is: its position in a file, or its key path (`suites.review.threshold`) in a
 * config given as a value, which has no lines. Spread into a `ConfigIssue`.
 */
export type Location = Position | { readonly path: string }

/**
 * A parsed document that remembers where each value came from, so validation issues can name
 * `file:line:column` (or the key path, for a config given as a value).
 */
export interface Source {
  readonly file: string
  readonly value: unknown
  /** Where the value at `path` is (a file: its position, or its nearest ancestor's that exists). */
  locate(path: readonly PathKey[]): Location
  /** Where the key `key` of the map at `path` is, when the file has one. */
  locateKey(path: readonly PathKey[], key: string): Location
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
    message: yamlMessage(e.message),
    hint: 'fix the YAML syntax (indentation, quoting, a missing colon)',
  }))
  if (issues.length > 0) return { source: undefined, issues }
  const interpolated: string[] = []
  if (options.env !== undefined)
    issues.push(...interpolate(doc, options.env, file, at, interpolated))
  let value: unknown
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown
  } catch (error) {
    return { source: undefined, issues: [toValueIssue(doc, error, file, at)] }
  }
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
      if (key === 'key' || typeof node.value !== 'string') return
      node.value = interpolateText(node.value, env, used, (name) =>
        issues.push(unsetVariable(name, { file, ...at(node.range?.[0] ?? 0) })),
      )
    },
  })
  return issues
}

/**
 * `text` with `${VAR}` and `${VAR:-default}` replaced from `env` (`$${VAR}` stays literal as
 * `${VAR}`); the values substituted are pushed onto `used`, and `onUnset` hears of each unset
 * variable without a default, which is left as written.
 */
export function interpolateText(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
  used: string[],
  onUnset: (name: string) => void,
): string {
  if (!text.includes('${')) return text
  return text.replace(
    VAR,
    (whole, escaped: string | undefined, name: string, fallback: string | undefined) => {
      if (escaped !== undefined) return whole.slice(1)
      const value = env[name]
      if (value !== undefined && value !== '') {
        used.push(value)
        return value
      }
      if (fallback !== undefined) return fallback
      onUnset(name)
      return whole
    },
  )
}

/** The issue of an unset `${VAR}` without a default, at `where`. */
export function unsetVariable(
  name: string,
  where: Pick<ConfigIssue, 'file' | 'line' | 'column' | 'path'>,
): ConfigIssue {
  return {
    ...where,
    message: `environment variable ${name} is not set`,
    hint: `export ${name}=..., or write \${${name}:-default} for a fallback`,
  }
}
