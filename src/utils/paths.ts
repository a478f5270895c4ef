import { relative } from 'node:path'

/** How to show `path` to a user: relative to `from` when inside it, absolute otherwise. */
export function displayPath(path: string, from: string): string {
  const rel = relative(from, path)
  return rel === '' || rel.startsWith('..') ? path : rel
}
