/**
 * Smoke checks judged without I/O: what a check asks for, the seed's four default checks, and
 * whether one HTTP answer satisfies a check (with a reason people can act on when it does not,
 * and whether trying again could help while the service warms up).
 */
import { errorMessage } from '../../utils/errors.js'
import { canonicalJson } from '../../utils/hash.js'
import { getJsonPath } from '../../utils/json-path.js'
import type { HealthFailOn } from './defaults.js'

/** One smoke check, normalized from config (`smoke.checks[]`). */
export interface SmokeCheck {
  readonly name: string
  readonly method: string
  /** Path under the base URL, starting with `/`. */
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  /** JSON body; `undefined` sends none. */
  readonly body?: unknown
  /** Expected HTTP status. */
  readonly status: number
  /**
   * JSON path → expected value; `{ exists: true }` only needs the path to be there, and
   * `{ oneOf: [a, b] }` takes any of the values.
   */
  readonly expect: Readonly<Record<string, unknown>>
  /** Slowest acceptable answer in ms; `null` for no bound. */
  readonly maxLatencyMs: number | null
}

/** An HTTP answer as the judge sees it. */
export interface SmokeResponse {
  readonly status: number
  readonly statusText: string
  readonly body: string
  readonly latencyMs: number
}

/** A check's verdict on one attempt. `retryable` says whether a warming service could still pass. */
export type SmokeJudgement =
  | { readonly passed: true }
  | { readonly passed: false; readonly reason: string; readonly retryable: boolean }

const BASE = { headers: {}, status: 200, expect: {}, maxLatencyMs: null }

/**
 * `GET /health` answering 200 with a `status` that does not fail under `failOn`: `healthy`, or
 * `healthy` and `degraded` when only `unhealthy` fails.
 */
export function healthCheck(failOn: HealthFailOn): SmokeCheck {
  const status = failOn === 'degraded' ? 'healthy' : { oneOf: ['healthy', 'degraded'] }
  return { ...BASE, name: 'health', method: 'GET', path: '/health', expect: { status } }
}

/** The default checks: health, one agent query, the rate-limit endpoint and the metrics. */
export function defaultSmokeChecks(failOn: HealthFailOn): SmokeCheck[] {
  const base = BASE
  return [
    healthCheck(failOn),
    {
      ...base,
      name: 'query',
      method: 'POST',
      path: '/agent/query',
      headers: { 'content-type': 'application/json' },
      body: { query: 'smoke test', user_id: 'smoke_test' },
      expect: { response: { exists: true } },
    },
    { ...base, name: 'rate limit', method: 'GET', path: '/rate-limit/smoke_test' },
    { ...base, name: 'metrics', method: 'GET', path: '/metrics' },
  ]
}

/** `GET /health`: how a check is named in reasons. */
export function checkLabel(check: Pick<SmokeCheck, 'method' | 'path'>): string {
  return `${check.method} ${check.path}`
}

/**
 * Judges one answer: the status first, then the JSON expectations, then the latency bound.
 * A 5xx, a wrong body after the right status and a slow answer are retryable; a 4xx is not.
 */
export function judgeSmokeResponse(check: SmokeCheck, response: SmokeResponse): SmokeJudgement {
  const label = checkLabel(check)
  if (response.status !== check.status) {
    const text = `${response.status}${response.statusText === '' ? '' : ` ${response.statusText}`}`
    return {
      passed: false,
      reason: `${label}: ${text}, expected ${check.status}`,
      retryable: response.status >= 500,
    }
  }
  const body = bodyProblem(check, response.body)
  if (body !== null) return { passed: false, reason: `${label}: ${body}`, retryable: true }
  if (check.maxLatencyMs !== null && response.latencyMs > check.maxLatencyMs) {
    const reason = `${label}: took ${formatMs(response.latencyMs)}, limit ${formatMs(check.maxLatencyMs)}`
    return { passed: false, reason, retryable: true }
  }
  return { passed: true }
}

/** What is wrong with the body against the check's expectations; `null` when nothing is. */
function bodyProblem(check: SmokeCheck, text: string): string | null {
  const expectations = Object.entries(check.expect)
  if (expectations.length === 0) return null
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return `the body is not JSON (${preview(text)})`
  }
  for (const [path, expected] of expectations) {
    const actual = getJsonPath(body, path)
    if (isExistence(expected)) {
      if (actual === undefined) return `no \`${path}\` field in the body`
      continue
    }
    const choices = oneOf(expected)
    if (actual === undefined) {
      return `no \`${path}\` field in the body, expected ${choices === null ? show(expected) : `one of ${choices.map(show).join(', ')}`}`
    }
    if (choices !== null) {
      if (choices.some((c) => canonicalJson(c) === canonicalJson(actual))) continue
      return `${path} is ${show(actual)}, expected one of ${choices.map(show).join(', ')}`
    }
    if (canonicalJson(actual) !== canonicalJson(expected)) {
      return `${path} is ${show(actual)}, expected ${show(expected)}`
    }
  }
  return null
}

function isExistence(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.keys(value).length === 1 &&
    (value as { exists?: unknown }).exists === true
  )
}

/** The choices of a `{ oneOf: [...] }` expectation; `null` for any other expectation. */
function oneOf(value: unknown): readonly unknown[] | null {
  if (typeof value !== 'object' || value === null || Object.keys(value).length !== 1) return null
  const choices = (value as { oneOf?: unknown }).oneOf
  return Array.isArray(choices) ? choices : null
}

/** A failed request (no HTTP answer) in words: `connection refused`, `no answer within 10,000 ms`. */
export function describeRequestError(error: unknown, timeoutMs: number): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined
  const code = typeof cause?.code === 'string' ? cause.code : undefined
  if (
    error instanceof Error &&
    (error.name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT')
  )
    return `no answer within ${formatMs(timeoutMs)}`
  if (code === 'ECONNREFUSED') return 'connection refused'
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset'
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found'
  // fetch's own message is "fetch failed"; the cause says what failed.
  const inner = error instanceof Error && error.cause instanceof Error ? error.cause : error
  const message = errorMessage(inner)
  return code === undefined || message.includes(code) ? message : `${message} (${code})`
}

/** `5,200 ms`: whole milliseconds with thousands separators. */
export function formatMs(ms: number): string {
  return `${Math.round(ms).toLocaleString('en-US')} ms`
}

const show = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 80 ? `${text.slice(0, 79)}…` : text
}

const preview = (text: string): string =>
  text.trim() === '' ? 'empty' : JSON.stringify(text.length > 40 ? `${text.slice(0, 39)}…` : text)
