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
    // Children are visited in place, with no list of entries made for each value: this runs on
    // every case of a cases file.
    const push = (key: PathKey, child: unknown): void => {
      if (child !== null && typeof child === 'object')
        stack.push({ value: child, depth: depth + 1, parent: frame, key })
    }
    if (Array.isArray(value)) for (let i = 0; i < value.length; i++) push(i, value[i])
    else for (const key of Object.keys(value)) push(key, (value as Record<string, unknown>)[key])
  }
  return undefined
}

function pathOf(frame: Frame): PathKey[] {
  const path: PathKey[] = []
  for (let f: Frame | undefined = frame; f?.key !== undefined; f = f.parent) path.unshift(f.key)
  return path
}
