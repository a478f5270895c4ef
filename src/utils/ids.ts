import { randomBytes } from 'node:crypto'

/**
 * A run id that sorts by time and is short enough to type a prefix of:
 * `20261130-142501-3fa9c1` (UTC date, time, 6 random hex digits).
 */
export function newRunId(now: Date = new Date()): string {
  return `${runIdStamp(now)}-${randomBytes(3).toString('hex')}`
}

/** The time part of a run id: `20261130-142501` (UTC date and time to the second). */
export function runIdStamp(at: Date): string {
  const iso = at.toISOString() // 2026-11-30T14:25:01.123Z
  const date = iso.slice(0, 10).replaceAll('-', '')
  const time = iso.slice(11, 19).replaceAll(':', '')
  return `${date}-${time}`
}
