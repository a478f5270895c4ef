import type { PathKey } from './source.js'

/** How deeply a config or case value may nest: deeper data cannot be hashed or validated. */
export const MAX_DEPTH = 100

interface Frame {
  readonly value: unknown
  readonly depth: number
  readonly parent: Frame | undefined
  readonly key: PathKey | undefined
}

/**
 * The path of the first value nested deeper than `max` lists and maps, or `undefined`.
 * Iterative: a JSONL line 200,000 levels deep must not exhaust the stack here either.
 */
export function tooDeep(root: unknown, max = MAX_DEPTH): PathKey[] | undefined {
  const stack: Frame[] = [{ value: root, depth: 0, parent: undefined, key: undefined }]
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    const { value, depth } = frame
    if (value === null || typeof value !== 'object') continue
    if (depth > max) return pathOf(frame)
    const entries: [PathKey, unknown][] = Array.isArray(value)
      ? value.map((v, i) => [i, v])
      : Object.entries(value)
    for (const [key, child] of entries) {
      if (child !== null && typeof child === 'object')
        stack.push({ value: child, depth: depth + 1, parent: frame, key })
    }
  }
  return undefined
}

function pathOf(frame: Frame): PathKey[] {
  const path: PathKey[] = []
  for (let f: Frame | undefined = frame; f?.key !== undefined; f = f.parent) path.unshift(f.key)
  return path
}
