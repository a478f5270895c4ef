/*
 * One JSON POST with retries, shared by the notifiers: exponential backoff with jitter on network
 * errors, timeouts, 408, 429 and 5xx (honouring `retry-after`); other answers are final. Reasons
 * never contain the URL: for Slack the URL is the secret.
 */
import type { Clock, Random } from '../contracts/clock.js'
import type { Logger } from '../contracts/logger.js'
import { systemClock } from '../utils/clock.js'
import { formatDuration } from '../utils/duration.js'
import { shipgateVersion } from '../utils/package.js'
import type { NotifierDeps } from './types.js'

/** How {@link postWithRetries} sends and waits. */
export interface PostOptions {
  /** Retries after the first attempt. */
  readonly retries: number
  /** Timeout of one attempt, in ms. */
  readonly timeoutMs: number
  /** Aborting stops at once, between or during attempts. */
  readonly signal: AbortSignal
  readonly fetch: typeof fetch
  readonly clock: Clock
  readonly random: Random
  /** First backoff delay in ms, doubled per retry. */
  readonly baseDelayMs: number
  /** Debug lines per failed attempt. */
  readonly logger: Logger
}

/** How a POST ended. `reason` is for people and names no URL. */
export type PostOutcome =
  | { readonly ok: true; readonly status: number; readonly attempts: number }
  | { readonly ok: false; readonly reason: string; readonly attempts: number }

/** Longest wait between attempts, whatever `retry-after` asks for. */
export const MAX_DELAY_MS = 30_000

interface Attempt {
  readonly ok: boolean
  readonly retryable: boolean
  readonly reason: string
  readonly status?: number
  readonly retryAfterMs?: number
}

/**
 * POSTs `body` to `url`, retrying what may succeed later. `headers` is called per attempt, so a
 * signature can carry the attempt's own timestamp. Never rejects: the outcome is a value.
 */
export async function postWithRetries(
  url: string,
  body: string,
  headers: () => Record<string, string>,
  options: PostOptions,
): Promise<PostOutcome> {
  for (let attempt = 1; ; attempt++) {
    if (options.signal.aborted) return { ok: false, reason: 'cancelled', attempts: attempt - 1 }
    const result = await attemptOnce(url, body, headers(), options)
    if (result.ok) return { ok: true, status: result.status ?? 200, attempts: attempt }
    if (!result.retryable || attempt > options.retries) {
      return { ok: false, reason: result.reason, attempts: attempt }
    }
    const delay = Math.min(
      MAX_DELAY_MS,
      result.retryAfterMs ?? backoff(attempt, options.baseDelayMs, options.random),
    )
    options.logger.debug(
      `attempt ${attempt} failed (${result.reason}); retrying in ${formatDuration(delay)}`,
    )
    await options.clock.sleep(delay, options.signal)
  }
}

/** Full-jitter exponential backoff: between half and all of `base × 2^(attempt-1)`. */
export function backoff(attempt: number, baseMs: number, random: Random): number {
  const ceiling = Math.min(MAX_DELAY_MS, baseMs * 2 ** (attempt - 1))
  return Math.round(ceiling * (0.5 + random() / 2))
}

async function attemptOnce(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: PostOptions,
): Promise<Attempt> {
  const timeout = AbortSignal.timeout(options.timeoutMs)
  const signal = AbortSignal.any([options.signal, timeout])
  try {
    const response = await options.fetch(url, { method: 'POST', headers, body, signal })
    const text = await response.text()
    return judge(response, text)
  } catch (error) {
    if (options.signal.aborted) return { ok: false, retryable: false, reason: 'cancelled' }
    if (timeout.aborted) {
      return {
        ok: false,
        retryable: true,
        reason: `timed out after ${formatDuration(options.timeoutMs)}`,
      }
    }
    return { ok: false, retryable: true, reason: `network error (${networkCode(error)})` }
  }
}

function judge(response: Response, text: string): Attempt {
  const status = response.status
  if (status >= 200 && status < 300) return { ok: true, retryable: false, reason: '', status }
  const snippet = text.trim().replace(/\s+/g, ' ').slice(0, 200)
  const reason = `HTTP ${status}${snippet === '' ? '' : `: ${snippet}`}`
  const retryable = status === 408 || status === 429 || status >= 500
  const after = parseRetryAfter(response.headers.get('retry-after'), Date.now())
  return {
    ok: false,
    retryable,
    reason,
    status,
    ...(after === undefined ? {} : { retryAfterMs: after }),
  }
}

/** `retry-after` in ms: delta-seconds or an HTTP date; `undefined` when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined
  const trimmed = value.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1_000)
  const at = Date.parse(trimmed)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

/** The system error code behind a failed fetch (`ECONNREFUSED`), never its message's URL. */
function networkCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause
  if (typeof cause?.code === 'string') return cause.code
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : 'connection failed'
}

/** {@link PostOptions} from a notifier's deps, with the defaults filled in. */
export function postOptionsOf(
  deps: NotifierDeps,
  limits: { retries: number; timeoutMs: number; signal: AbortSignal },
): PostOptions {
  return {
    ...limits,
    fetch: deps.fetch ?? globalThis.fetch,
    clock: deps.clock ?? systemClock,
    random: deps.random ?? Math.random,
    baseDelayMs: deps.retryBaseMs ?? 500,
    logger: deps.logger,
  }
}

/** Read once: the package's version does not change while the process runs. */
let agent: string | undefined
/** `shipgate/<version>`, the user agent of every delivery. */
export function userAgent(): string {
  return (agent ??= `shipgate/${shipgateVersion()}`)
}
