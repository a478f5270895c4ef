/**
 * Waiting for a release to be up: `GET /health` until it answers 200 with `status: healthy`
 * and, when the service names its release (the runtime SDK does), the release expected. Used
 * after apply and after a rollback, so "healthy" always means "the right version is healthy".
 */
import { errorMessage } from '../../utils/errors.js'
import type { Clock } from '../../contracts/clock.js'
import { systemClock } from '../../utils/clock.js'
import { formatDuration } from '../../utils/duration.js'

/** Options of {@link waitHealthy}. */
export interface WaitHealthyOptions {
  readonly url: string
  readonly path: string
  /** The release `/health` must name, when it names one. */
  readonly release: string | null
  readonly timeoutMs: number
  readonly signal: AbortSignal
  readonly intervalMs?: number
  readonly clock?: Clock
}

/** The outcome: healthy, or the last thing seen when time ran out. */
export type HealthWait =
  { readonly ok: true; readonly detail: string } | { readonly ok: false; readonly reason: string }

/** Polls until healthy, the timeout, or the signal; never throws. */
export async function waitHealthy(options: WaitHealthyOptions): Promise<HealthWait> {
  const clock = options.clock ?? systemClock
  const started = clock.now()
  const target = new URL(options.path, options.url).toString()
  let last = 'no answer yet'
  for (let attempt = 1; ; attempt++) {
    const seen = await probe(target, options.release, options.signal)
    if (seen.ok) {
      const took = formatDuration(clock.now() - started)
      return {
        ok: true,
        detail: `${target} healthy${options.release === null ? '' : ` on ${options.release}`} after ${took} (${attempt} polls)`,
      }
    }
    last = seen.reason
    if (options.signal.aborted) return { ok: false, reason: `interrupted; last: ${last}` }
    if (clock.now() - started >= options.timeoutMs) {
      return {
        ok: false,
        reason: `not healthy within ${formatDuration(options.timeoutMs)}: ${last}`,
      }
    }
    await clock.sleep(options.intervalMs ?? 500, options.signal)
  }
}

async function probe(
  url: string,
  release: string | null,
  signal: AbortSignal,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    const response = await fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.any([signal, AbortSignal.timeout(5_000)]),
    })
    const body: unknown = await response.json().catch(() => null)
    if (response.status !== 200)
      return { ok: false, reason: `GET ${url} answered ${response.status}` }
    const fields =
      typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {}
    if (fields.status !== 'healthy') {
      return {
        ok: false,
        reason: `status is ${JSON.stringify(fields.status ?? null)}, not "healthy"`,
      }
    }
    if (release !== null && typeof fields.release === 'string' && fields.release !== release) {
      return { ok: false, reason: `it runs release ${fields.release}, not ${release} yet` }
    }
    return { ok: true }
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code
    return { ok: false, reason: cause ?? errorMessage(error) }
  }
}
