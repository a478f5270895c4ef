import { hash } from 'node:crypto'

/**
 * Hex sha256 of a string, by the one-shot `crypto.hash` (Node >= 20.12): for the short strings
 * hashed per case and per call it is several times faster than a `createHash` object.
 */
export function sha256(text: string): string {
  return hash('sha256', text, 'hex')
}

/**
 * JSON with object keys sorted at every level, so equal values hash equally whatever the order
 * their keys were written in. Members that JSON leaves out (`undefined`, functions) are left
 * out here too. Written as it goes, without copying the value: it runs for every replayed call.
 */
export function canonicalJson(value: unknown): string {
  return write(value) ?? 'null'
}

function write(value: unknown): string | undefined {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return JSON.stringify(value)
    case 'object':
      break
    default:
      return undefined
  }
  if (Array.isArray(value)) return `[${value.map((v) => write(v) ?? 'null').join(',')}]`
  const record = value as Record<string, unknown> & { toJSON?: () => unknown }
  if (typeof record.toJSON === 'function') return write(record.toJSON())
  const keys = Object.keys(record).sort()
  let out = ''
  for (const key of keys) {
    const text = write(record[key])
    if (text === undefined) continue
    out += `${out === '' ? '' : ','}${JSON.stringify(key)}:${text}`
  }
  return `{${out}}`
}

/** A short content hash used as a version: the first 12 hex digits of sha256. */
export function contentVersion(text: string): string {
  return sha256(text).slice(0, 12)
}
