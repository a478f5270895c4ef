/**
 * The analysis endpoint's query, as an Argo Rollouts `web` metric calls it with
 * `{{ args.* }}`: `canary` and `stable` release ids, optionally `since` (an ISO time or a
 * duration back from now) and `interval` (default 1m). Untrusted text: a bad query is a value
 * (answered 400), never a throw.
 */
import { parseDuration } from '../../utils/duration.js'

/** A valid query. */
export interface AnalysisQuery {
  readonly canary: string
  readonly stable: string
  /** Where the first interval starts (epoch ms); `null`: from this pair's first call. */
  readonly startMs: number | null
  readonly intervalMs: number
}

/** The query, or why it is not one. */
export type ParsedQuery =
  | { readonly ok: true; readonly query: AnalysisQuery }
  | { readonly ok: false; readonly reason: string }

/** The interval when the query names none. */
export const DEFAULT_INTERVAL_MS = 60_000
/** Shortest interval: a few scrapes of a Prometheus scraping every second or so. */
const MIN_INTERVAL_MS = 1_000
/** Most intervals one answer reads (a day of 1-minute intervals). */
export const MAX_INTERVALS = 1_440
const MAX_RELEASE_LENGTH = 253

/** Parses `params` at `nowMs`. */
export function parseQuery(params: URLSearchParams, nowMs: number): ParsedQuery {
  const canary = release(params, 'canary')
  const stable = release(params, 'stable')
  if (typeof canary !== 'string') return canary
  if (typeof stable !== 'string') return stable
  if (canary === stable) return fail('canary and stable are the same release')
  const interval = params.get('interval')
  const intervalMs = interval === null ? DEFAULT_INTERVAL_MS : parseDuration(interval)
  if (intervalMs === undefined || intervalMs < MIN_INTERVAL_MS) {
    return fail('interval must be a duration of at least 1s, such as 30s or 1m')
  }
  const since = params.get('since')
  const startMs = since === null || since === '' ? null : startOf(since, nowMs)
  if (startMs === undefined || (startMs !== null && startMs > nowMs)) {
    return fail('since must be a time in the past (ISO 8601) or a duration back from now (10m)')
  }
  if (startMs !== null && (nowMs - startMs) / intervalMs > MAX_INTERVALS) {
    return fail(
      `since and interval give more than ${MAX_INTERVALS} intervals; use a longer interval`,
    )
  }
  return { ok: true, query: { canary, stable, startMs, intervalMs } }
}

function release(
  params: URLSearchParams,
  name: 'canary' | 'stable',
): string | { ok: false; reason: string } {
  const value = params.get(name)
  if (value === null || value === '') return fail(`${name} (a release id) is required`)
  // Control characters have no place in a release label, and would garble logs.
  if (value.length > MAX_RELEASE_LENGTH || /[\p{Cc}]/u.test(value)) {
    return fail(`${name} is not a release id`)
  }
  return value
}

/** `since` as epoch ms: a duration back from now, or an ISO 8601 time; undefined when neither. */
function startOf(since: string, nowMs: number): number | undefined {
  const back = parseDuration(since)
  if (back !== undefined) return nowMs - back
  if (!/^\d{4}-\d{2}-\d{2}T/.test(since)) return undefined
  const at = Date.parse(since)
  return Number.isFinite(at) ? at : undefined
}

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason }
}
