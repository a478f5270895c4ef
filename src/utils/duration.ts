/** Durations as people write them in config and flags: `500ms`, `30s`, `5m`, `1h`, `30d`, or ms. */

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const
const PATTERN = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/

/** Whether `text` is a duration `parseDuration` accepts. */
export function isDuration(text: string): boolean {
  return PATTERN.test(text.trim())
}

/** Milliseconds of `30s`, `5m`, `1.5h`, `2d`, `250ms` or a bare number of ms; `undefined` otherwise. */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed)
  const match = PATTERN.exec(trimmed)
  if (match === null) return undefined
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]
}

/**
 * Milliseconds of a duration a config schema has already validated (`durationSchema`). Throws
 * when it is not one, which is a bug: a fallback here would restate the schema's default.
 */
export function durationToMs(value: string | number): number {
  const ms = parseDuration(value)
  if (ms === undefined) throw new TypeError(`not a duration: ${JSON.stringify(value)}`)
  return ms
}

/** `90000` → `1m30s`; for messages. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`
  const s = Math.round(ms / 1_000)
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  const rest = s % 60
  if (m < 60) return rest === 0 ? `${m}m` : `${m}m${rest}s`
  const h = Math.floor(m / 60)
  return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`
}
