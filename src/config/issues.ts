import type { $ZodIssue, $ZodType } from 'zod/v4/core'
import type { ConfigIssue } from '../errors.js'
import type { PathKey, Source } from './source.js'
import { clip, quoteValue } from './quote.js'
import { closest } from './suggest.js'

type ZodIssue = $ZodIssue
type Schema = $ZodType

/**
 * Turns zod issues into config issues with positions, plain messages and hints: unknown keys name
 * the key and the closest valid one, unions report the branch that came closest, and a missing
 * key points at the object that lacks it.
 */
export function toConfigIssues(
  issues: readonly ZodIssue[],
  source: Source,
  schema: Schema,
  base: readonly PathKey[] = [],
): ConfigIssue[] {
  return issues.flatMap((issue) => convert(issue, source, schema, base))
}

/**
 * `schema` describes the value at `root`; `base` is where `issue`'s path starts (deeper than
 * `root` inside a union's branch).
 */
function convert(
  issue: ZodIssue,
  source: Source,
  schema: Schema,
  base: readonly PathKey[],
  root: readonly PathKey[] = base,
): ConfigIssue[] {
  const path = [...base, ...(issue.path as PathKey[])]
  const where = (p: readonly PathKey[] = path) => ({ file: source.file, ...source.locate(p) })
  const dotted = path.length === 0 ? '(top level)' : clip(path.join('.'), 200)
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = keysAt(schema, path.slice(root.length), source.value, root)
      return issue.keys.map((key) => {
        const guess = closest(key, known)
        return {
          file: source.file,
          ...source.locateKey(path, key),
          message: `unknown key "${clip(key)}" in ${dotted}`,
          hint:
            guess !== undefined
              ? `did you mean "${guess}"?`
              : known.length > 0
                ? `valid keys here: ${known.join(', ')}`
                : 'remove it',
        }
      })
    }
    case 'invalid_union': {
      if ('note' in issue && issue.note === 'No matching discriminator') {
        const got = valueAt(source.value, path)
        const options = (issue as { options?: unknown[] }).options?.map(String) ?? []
        const guess = typeof got === 'string' ? closest(got, options) : undefined
        return [
          {
            ...where(),
            message: `${got === undefined ? 'missing' : `unknown ${String(path.at(-1))} ${quoteValue(got)}`} in ${dotted.split('.').slice(0, -1).join('.')}`,
            hint:
              guess !== undefined
                ? `did you mean "${guess}"?`
                : `expected one of: ${options.join(', ')}`,
          },
        ]
      }
      const branch = bestBranch(issue.errors)
      if (branch === undefined) return [{ ...where(), message: `invalid value at ${dotted}` }]
      return branch.flatMap((inner) => convert(inner, source, schema, path, root))
    }
    case 'invalid_value': {
      const got = valueAt(source.value, path)
      const options = issue.values.map(String)
      const guess = typeof got === 'string' ? closest(got, options) : undefined
      const short = options.length <= 6 ? `expected one of: ${options.join(', ')}` : undefined
      return [
        {
          ...where(),
          message: `${quoteValue(got)} is not a valid value for ${dotted}`,
          hint:
            guess !== undefined
              ? `did you mean "${guess}"?`
              : (short ?? 'see schema/shipgate.schema.json'),
        },
      ]
    }
    case 'invalid_type': {
      const got = valueAt(source.value, path)
      if (got === undefined) {
        const parent = path.slice(0, -1)
        return [
          {
            ...where(parent),
            message: `missing required key "${String(path.at(-1))}" in ${parent.length === 0 ? '(top level)' : parent.join('.')}`,
            hint: `add ${String(path.at(-1))}: <${issue.expected}>`,
          },
        ]
      }
      return [
        { ...where(), message: `${dotted}: expected ${issue.expected}, got ${typeName(got)}` },
      ]
    }
    case 'invalid_key': {
      return [
        {
          file: source.file,
          ...source.locateKey(path.slice(0, -1), String(path.at(-1))),
          message: `invalid name "${String(path.at(-1))}": ${issue.issues[0]?.message ?? 'not allowed'}`,
        },
      ]
    }
    case 'too_big':
    case 'too_small': {
      const got = valueAt(source.value, path)
      if (typeof got !== 'number') return [{ ...where(), message: `${dotted}: ${issue.message}` }]
      const bound = issue.code === 'too_big' ? issue.maximum : issue.minimum
      const what = issue.code === 'too_big' ? 'at most' : 'at least'
      return [
        {
          ...where(),
          message: `${dotted}: ${quoteValue(got)} is out of range (${issue.message})`,
          hint: `use a number ${what} ${String(bound)}`,
        },
      ]
    }
    default:
      return [{ ...where(), message: `${dotted}: ${issue.message}` }]
  }
}

/** The union branch that got furthest: its issues are the deepest, then the fewest. */
function bestBranch(branches: readonly (readonly ZodIssue[])[]): readonly ZodIssue[] | undefined {
  let best: readonly ZodIssue[] | undefined
  let bestScore = -Infinity
  for (const issues of branches) {
    const depth = Math.max(0, ...issues.map((i) => i.path.length))
    const typeMismatchAtRoot = issues.some((i) => i.code === 'invalid_type' && i.path.length === 0)
    const score = (typeMismatchAtRoot ? -100 : 0) + depth * 10 - issues.length
    if (score > bestScore) {
      best = issues
      bestScore = score
    }
  }
  return best
}

function valueAt(root: unknown, path: readonly PathKey[]): unknown {
  let node = root
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<PathKey, unknown>)[key]
  }
  return node
}

function typeName(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a map'
  return `${typeof value} ${quoteValue(value)}`
}

/** The keys an object schema allows at `path`, found by walking the schema alongside the value. */
function keysAt(
  schema: Schema,
  path: readonly PathKey[],
  root: unknown,
  base: readonly PathKey[],
): string[] {
  let node: Schema | undefined = schema
  let value = valueAt(root, base)
  for (const key of path) {
    node = child(unwrap(node, value), key, value)
    value =
      value !== null && typeof value === 'object'
        ? (value as Record<PathKey, unknown>)[key]
        : undefined
    if (node === undefined) return []
  }
  const target = unwrap(node, value)
  const def = target?._zod.def as { type: string; shape?: Record<string, unknown> } | undefined
  return def?.type === 'object' && def.shape !== undefined ? Object.keys(def.shape) : []
}

function unwrap(schema: Schema | undefined, value: unknown): Schema | undefined {
  let node = schema
  for (let i = 0; i < 10 && node !== undefined; i++) {
    const def = node._zod.def as unknown as Record<string, unknown> & { type: string }
    if (
      def.type === 'optional' ||
      def.type === 'default' ||
      def.type === 'nullable' ||
      def.type === 'prefault'
    ) {
      node = def.innerType as Schema
    } else if (def.type === 'pipe') {
      node = def.in as Schema
    } else if (def.type === 'union') {
      node = pickOption(def.options as Schema[], value)
    } else {
      return node
    }
  }
  return node
}

/** The object option of a union that best fits `value`: matching discriminator, else most keys. */
function pickOption(options: readonly Schema[], value: unknown): Schema | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return options[0]
  const keys = Object.keys(value)
  let best: Schema | undefined
  let bestScore = -1
  for (const option of options) {
    const def = unwrap(option, value)?._zod.def as
      { type: string; shape?: Record<string, Schema> } | undefined
    if (def?.type !== 'object' || def.shape === undefined) continue
    const shape = def.shape
    const literal = shape.type?._zod.def as { type: string; values?: unknown[] } | undefined
    if (literal?.type === 'literal' && literal.values?.includes((value as { type?: unknown }).type))
      return option
    const score = keys.filter((k) => k in shape).length
    if (score > bestScore) {
      best = option
      bestScore = score
    }
  }
  return best
}

function child(schema: Schema | undefined, key: PathKey, _value: unknown): Schema | undefined {
  if (schema === undefined) return undefined
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string }
  if (def.type === 'object') return (def.shape as Record<string, Schema>)[String(key)]
  if (def.type === 'record') return def.valueType as Schema
  if (def.type === 'array') return def.element as Schema
  return undefined
}
