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
  if (root === null || typeof root !== 'object') return undefined
  const stack: Frame[] = [{ value: root, depth: 0, parent: undefined, key: undefined }]
  // Only lists and maps are pushed, and children are visited in place, with no list of entries
  // or closure made for each value: this runs on every case of a cases file.
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    const { value, depth } = frame
    if (depth > max) return pathOf(frame)
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const child: unknown = value[i]
        if (child !== null && typeof child === 'object')
          stack.push({ value: child, depth: depth + 1, parent: frame, key: i })
      }
    } else {
      const record = value as Record<string, unknown>
      for (const key of Object.keys(record)) {
        const child = record[key]
        if (child !== null && typeof child === 'object')
          stack.push({ value: child, depth: depth + 1, parent: frame, key })
      }
    }
  }
  return undefined
}

function pathOf(frame: Frame): PathKey[] {
  const path: PathKey[] = []
  for (let f: Frame | undefined = frame; f?.key !== undefined; f = f.parent) path.unshift(f.key)
  return path
}
