/** Reading a page's query string: one value per name, and the errors a bad one gives. */
import { usageError } from '../../errors.js'

/** A page's query parameters, the first value of each. */
export type Query = Readonly<Record<string, string | undefined>>

/** A parameter's value, `undefined` when absent or blank. */
export function param(query: Query, name: string): string | undefined {
  const value = query[name]?.trim()
  return value === undefined || value === '' ? undefined : value
}

/** A `YYYY-MM-DD` date parameter as the ISO time of that day's start (UTC), plus `days`. */
export function dayParam(query: Query, name: string, days = 0): string | undefined {
  const value = param(query, name)
  if (value === undefined) return undefined
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00.000Z`) : null
  if (day === null || Number.isNaN(day.getTime()))
    throw usageError(`"${name}" must be a date written YYYY-MM-DD, got "${value}"`)
  return new Date(day.getTime() + days * 86_400_000).toISOString()
}

/** A whole-number parameter within `[min, max]`, else `fallback` when absent. */
export function intParam(
  query: Query,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = param(query, name)
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < min || n > max)
    throw usageError(`"${name}" must be a whole number from ${min} to ${max}, got "${value}"`)
  return n
}
