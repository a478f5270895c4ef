import type { PathKey } from './source.js'

/** How deeply a config or case value may nest: deeper data cannot be hashed or validated. */
export const MAX_DEPTH = 100

/**
 * The path of the first value nested deeper than `max` lists and maps, or `undefined`.
 * Recursive but bounded: it goes no deeper than `max + 1` calls, so a JSONL line 200,000 levels
 * deep cannot exhaust the stack here. It allocates nothing on the way down (this runs on every
 * case of a cases file); the path is built only for the value it reports.
 */
export function tooDeep(value: unknown, max = MAX_DEPTH): PathKey[] | undefined {
  if (value === null || typeof value !== 'object') return undefined
  if (max < 0) return []
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const path = tooDeep(value[i], max - 1)
      if (path !== undefined) return [i, ...path]
    }
    return undefined
  }
  const record = value as Record<string, unknown>
  for (const key of Object.keys(record)) {
    const path = tooDeep(record[key], max - 1)
    if (path !== undefined) return [key, ...path]
  }
  return undefined
}
