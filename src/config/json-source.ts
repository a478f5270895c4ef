import type { ConfigIssue } from '../errors.js'
import {
  interpolateText,
  parseYamlSource,
  unsetVariable,
  type PathKey,
  type Position,
  type Source,
  type YamlOptions,
} from './source.js'

/**
 * Parses a config document: a `.json` file with `JSON.parse`, anything else as YAML (with
 * positions). Same contract as {@link parseYamlSource}.
 */
export function parseConfigSource(
  file: string,
  text: string,
  options: YamlOptions = {},
): { source: Source | undefined; issues: ConfigIssue[] } {
  return /\.json$/i.test(file)
    ? parseJsonSource(file, text, options)
    : parseYamlSource(file, text, options)
}

/** Where a JSON value starts, and where its children (by key or index) start. */
interface Spot {
  readonly offset: number
  readonly keyOffset?: number
  children?: Map<PathKey, Spot>
}

/** Past this depth values are not indexed: they are located at their nearest indexed ancestor. */
const INDEX_DEPTH = 64

/**
 * Parses a JSON document with `JSON.parse` (a YAML parser with positions costs ~50 times as
 * much). Positions are found only when asked for: the first `locate` scans the text once for
 * where each value starts. A syntax error comes back as an issue at its line and column.
 */
export function parseJsonSource(
  file: string,
  text: string,
  options: YamlOptions = {},
): { source: Source | undefined; issues: ConfigIssue[] } {
  const lines = lineStarts(text)
  let value: unknown
  try {
    value = JSON.parse(text) as unknown
  } catch (error) {
    return { source: undefined, issues: [syntaxIssue(file, text, lines, (error as Error).message)] }
  }
  let root: Spot | undefined
  const spotOf = (path: readonly PathKey[]): Spot => {
    root ??= indexJson(text)
    let spot = root
    for (const key of path) {
      const next = spot.children?.get(key)
      if (next === undefined) break
      spot = next
    }
    return spot
  }
  const locate = (path: readonly PathKey[]): Position => positionOf(lines, spotOf(path).offset)
  const located = (parsed: unknown, interpolated: readonly string[]): Source => ({
    file,
    value: parsed,
    interpolated,
    locate,
    locateKey(path, key) {
      const spot = spotOf(path).children?.get(key)
      return positionOf(lines, spot?.keyOffset ?? spotOf(path).offset)
    },
  })
  if (options.env === undefined || !text.includes('${')) {
    return { source: located(value, []), issues: [] }
  }
  const used: string[] = []
  const issues: ConfigIssue[] = []
  const interpolated = interpolateValue(value, [], options.env, used, (name, path) =>
    issues.push(unsetVariable(name, { file, ...locate(path) })),
  )
  return { source: located(interpolated, used), issues }
}

/** `value` with `${VAR}` interpolated in its strings (never in keys), as YAML's scalars are. */
function interpolateValue(
  value: unknown,
  path: readonly PathKey[],
  env: Readonly<Record<string, string | undefined>>,
  used: string[],
  onUnset: (name: string, path: readonly PathKey[]) => void,
): unknown {
  if (typeof value === 'string') return interpolateText(value, env, used, (n) => onUnset(n, path))
  if (Array.isArray(value)) {
    return value.map((item: unknown, i) => interpolateValue(item, [...path, i], env, used, onUnset))
  }
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      interpolateValue(v, [...path, k], env, used, onUnset),
    ]),
  )
}

/**
 * A JSON syntax error at its position: from the message when it has one, or else where the
 * YAML parser (JSON is YAML, and this path is rare) sees the first problem.
 */
function syntaxIssue(
  file: string,
  text: string,
  lines: readonly number[],
  message: string,
): ConfigIssue {
  const offset = /at position (\d+)/.exec(message)?.[1]
  const where =
    offset === undefined
      ? (parseYamlSource(file, text).issues[0] ?? { line: 1, column: 1 })
      : positionOf(lines, Number(offset))
  return {
    file,
    line: where.line ?? 1,
    column: where.column ?? 1,
    message: `not valid JSON: ${message}`,
    hint: 'fix the JSON syntax (a missing comma or quote, a trailing comma)',
  }
}

function lineStarts(text: string): number[] {
  const starts = [0]
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1)
  return starts
}

function positionOf(starts: readonly number[], offset: number): Position {
  let low = 0
  let high = starts.length - 1
  while (low < high) {
    const mid = (low + high + 1) >> 1
    if ((starts[mid] as number) <= offset) low = mid
    else high = mid - 1
  }
  return { line: low + 1, column: offset - (starts[low] as number) + 1 }
}

/** Where every value of a JSON text (already known to be valid) starts, to `INDEX_DEPTH`. */
function indexJson(text: string): Spot {
  let i = 0
  const space = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++
  }
  const skipString = (): string => {
    const start = i++
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1
    i++
    return text.slice(start, i)
  }
  const value = (depth: number): Spot => {
    space()
    const spot: Spot = { offset: i }
    const open = text[i]
    if (open === '"') skipString()
    else if (open === '{' || open === '[') container(spot, open, depth)
    else while (i < text.length && !',]} \t\n\r'.includes(text[i] as string)) i++
    return spot
  }
  const container = (spot: Spot, open: string, depth: number): void => {
    const close = open === '{' ? '}' : ']'
    if (depth >= INDEX_DEPTH) return skipContainer()
    const children = new Map<PathKey, Spot>()
    i++
    space()
    for (let index = 0; text[i] !== close; index++) {
      let key: PathKey = index
      let keyOffset: number | undefined
      if (open === '{') {
        keyOffset = i
        key = JSON.parse(skipString()) as string
        space()
        i++ // the colon
      }
      const child = value(depth + 1)
      children.set(key, keyOffset === undefined ? child : { ...child, keyOffset })
      space()
      if (text[i] === ',') i++
      space()
    }
    i++
    spot.children = children
  }
  // Without recursion: a document may nest far deeper than the stack allows.
  const skipContainer = (): void => {
    let depth = 0
    do {
      const c = text[i]
      if (c === '"') {
        skipString()
        continue
      }
      if (c === '{' || c === '[') depth++
      else if (c === '}' || c === ']') depth--
      i++
    } while (depth > 0 && i < text.length)
  }
  return value(0)
}
