import type { ConfigIssue } from '../errors.js'
import { interpolateText, unsetVariable, type PathKey, type Source } from './source.js'

/** What issues of a config given as a value name in place of a file. */
export const INLINE_CONFIG = '<inline config>'

/**
 * A config given as a value (the library's `config` option) as sources whose locations are key
 * paths: `raw` is the value as given (checked for literal secrets), `source` a copy with
 * `${VAR}` interpolated from `env` as in a file's strings, so the values substituted are
 * redacted from what is recorded. The caller's object is never changed. Only plain objects and
 * arrays are copied: functions (a function provider's `call`) and other objects stay as given.
 */
export function inlineSources(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
): { raw: Source; source: Source; issues: ConfigIssue[] } {
  const used: string[] = []
  const issues: ConfigIssue[] = []
  const copy = (node: unknown, path: readonly PathKey[]): unknown => {
    if (typeof node === 'string') {
      return interpolateText(node, env, used, (name) =>
        issues.push(unsetVariable(name, { file: INLINE_CONFIG, path: keyPath(path) })),
      )
    }
    if (Array.isArray(node)) return node.map((item, i) => copy(item, [...path, i]))
    if (!isPlainObject(node)) return node
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, copy(v, [...path, k])]))
  }
  const interpolated = copy(value, [])
  return { raw: valueSource(value, []), source: valueSource(interpolated, used), issues }
}

function valueSource(value: unknown, interpolated: readonly string[]): Source {
  const locate = (path: readonly PathKey[]) => ({ path: keyPath(path) })
  return {
    file: INLINE_CONFIG,
    value,
    interpolated,
    locate,
    locateKey: (path, key) => locate([...path, key]),
  }
}

/** `suites.review.threshold`; the top level is `(top level)`, as in the issue messages. */
function keyPath(path: readonly PathKey[]): string {
  return path.length === 0 ? '(top level)' : path.join('.')
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}
