/**
 * A small JSON path: dot-separated keys with `[n]` or `.n` indexes, e.g. `response`,
 * `choices[0].message.content`, `data.items.0.text`. An empty path is the whole value.
 */
export function parseJsonPath(path: string): (string | number)[] {
  if (path.trim() === '' || path === '$') return []
  return path
    .replace(/^\$\.?/, '')
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((part) => part !== '')
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part))
}

/** The value at `path` in `value`; `undefined` when any step is missing. */
export function getJsonPath(value: unknown, path: string | readonly (string | number)[]): unknown {
  const steps = typeof path === 'string' ? parseJsonPath(path) : path
  let node = value
  for (const step of steps) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<string | number, unknown>)[step]
  }
  return node
}
