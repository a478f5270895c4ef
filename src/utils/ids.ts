import { randomBytes } from 'node:crypto'

/**
 * A run id that sorts by time and is short enough to type a prefix of:
 * `20261130-142501-3fa9c1` (UTC date, time, 6 random hex digits).
 */
export function newRunId(now: Date = new Date()): string {
  const iso = now.toISOString() // 2026-11-30T14:25:01.123Z
  const date = iso.slice(0, 10).replaceAll('-', '')
  const time = iso.slice(11, 19).replaceAll(':', '')
  return `${date}-${time}-${randomBytes(3).toString('hex')}`
}
