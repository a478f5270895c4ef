import { CASSETTE_HEADER, LATENCY_HEADER } from '../contracts/cassette.js'
import type { ProviderContext, ProviderError } from '../contracts/provider.js'
import { environmentError } from '../errors.js'

/**
 * Helpers shared by the providers that speak HTTP (anthropic, openai, http): credentials,
 * failure classification, and what a cassette says about a response.
 */

/**
 * The API key from the environment variable the config names. Offline (replay) needs none.
 * `orElse` ends the missing-key hint with the provider's own way out (a keyless local server).
 */
export function apiKeyFrom(
  envName: string | undefined,
  context: ProviderContext,
  orElse?: string,
): string | undefined {
  if (envName === undefined) return undefined
  const value = context.env[envName]
  if (value !== undefined && value !== '') return value
  if (context.offline) return 'shipgate-replay-needs-no-key'
  throw environmentError(
    `provider ${context.name}: the environment variable ${envName} is not set`,
    `export ${envName}=..., or run offline from recordings with --replay${orElse === undefined ? '' : `, or ${orElse}`}`,
  )
}

/** `retry-after-ms`, or `retry-after` in seconds or as an HTTP date, in milliseconds. */
export function retryAfterMs(
  headers: Headers | Record<string, string> | undefined,
  now = Date.now(),
): number | undefined {
  // A fetch's headers by their `get` (httpFetch's answers are read as `Headers`, not made one).
  const get = (name: string): string | null =>
    headers === undefined
      ? null
      : typeof headers.get === 'function'
        ? (headers as Headers).get(name)
        : ((headers as Record<string, string>)[name] ?? null)
  const ms = Number(get('retry-after-ms'))
  if (get('retry-after-ms') !== null && Number.isFinite(ms)) return Math.max(0, ms)
  const after = get('retry-after')
  if (after === null) return undefined
  const seconds = Number(after)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(after)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/** How an HTTP status is treated: only 408, 429 and 5xx are worth sending again. */
export function failureOfStatus(
  status: number,
  message: string,
  options: { retryAfterMs?: number | undefined; apiKeyEnv?: string | undefined },
): ProviderError {
  const base = { message, status }
  if (status === 401 || status === 403) {
    return {
      ...base,
      kind: 'auth',
      retryable: false,
      ...(options.apiKeyEnv === undefined ? {} : { hint: `check the key in ${options.apiKeyEnv}` }),
    }
  }
  if (status === 429) {
    return { ...base, kind: 'rate_limited', retryable: true, ...retryAfter(options.retryAfterMs) }
  }
  if (status === 408) return { ...base, kind: 'timeout', retryable: true }
  if (status >= 500)
    return { ...base, kind: 'unavailable', retryable: true, ...retryAfter(options.retryAfterMs) }
  return { ...base, kind: 'bad_request', retryable: false }
}

function retryAfter(ms: number | undefined): { retryAfterMs?: number } {
  return ms === undefined ? {} : { retryAfterMs: ms }
}

/**
 * Latency to report and whether the answer was replayed. The fetch shipgate hands providers
 * stamps the exchange's own duration (request out to last byte in) on the response, and a
 * replayed answer carries the latency it had when recorded; either is what the call took, not
 * the time the SDK spent around it. Without the stamp, the caller's measurement stands.
 */
export function timingOf(
  response: Response,
  measuredMs: number,
): { latencyMs: number; cached: boolean } {
  const stamped = Number(response.headers.get(LATENCY_HEADER) ?? Number.NaN)
  return {
    latencyMs: Number.isFinite(stamped) ? stamped : measuredMs,
    cached: response.headers.get(CASSETTE_HEADER) === 'replay',
  }
}
