import { errorMessage } from '../../utils/errors.js'
import type { Clock, Random } from '../../contracts/clock.js'
import type { ProviderError } from '../../contracts/provider.js'
import { retryDelay, type RetryPolicy } from './scheduler.js'

/** What {@link callWithRetries} needs. */
export interface RetryOptions {
  readonly timeoutMs: number
  readonly retry: RetryPolicy
  readonly clock: Clock
  readonly random: Random
  /** When it stops, pending retries are dropped and the call in flight gets `graceMs`. */
  readonly stop: StopFan
  readonly graceMs: number
}

/**
 * One listener on a stop signal, fanned out to the calls in flight: a listener per call would
 * pile up on the signal (and trip Node's leak warning) with many concurrent judge calls.
 */
export interface StopFan {
  readonly signal: AbortSignal
  /** Calls `callback` once when the signal aborts (at once if it has); returns an unsubscribe. */
  subscribe(callback: () => void): () => void
}

/** A {@link StopFan} over `signal`. */
export function stopFan(signal: AbortSignal): StopFan {
  const callbacks = new Set<() => void>()
  signal.addEventListener(
    'abort',
    () => {
      for (const callback of [...callbacks]) callback()
      callbacks.clear()
    },
    { once: true },
  )
  return {
    signal,
    subscribe(callback) {
      if (signal.aborted) {
        callback()
        return () => undefined
      }
      callbacks.add(callback)
      return () => callbacks.delete(callback)
    },
  }
}

type Outcome = { readonly ok: true } | { readonly ok: false; readonly error: ProviderError }

/**
 * One call outside the scheduler (a judge's), with the scheduler's policy: a timeout per attempt
 * and retries of retryable failures with backoff or the server's `retry-after`. Returns every
 * attempt's result, the last one deciding.
 */
export async function callWithRetries<R extends Outcome>(
  call: (signal: AbortSignal) => Promise<R>,
  options: RetryOptions,
): Promise<readonly (R | TimedOut)[]> {
  const attempts: (R | TimedOut)[] = []
  for (;;) {
    const result = await attempt(call, options)
    attempts.push(result)
    if (result.ok || options.stop.signal.aborted) return attempts
    const delay = retryDelay(result.error, attempts.length, options.retry, options.random)
    if (delay === undefined) return attempts
    await backoff(delay, options)
    if (options.stop.signal.aborted) return attempts
  }
}

/** Waits `delay`, or until the run stops: through the fan, not a listener of its own. */
function backoff(delay: number, { clock, stop }: RetryOptions): Promise<void> {
  return new Promise((resolve) => {
    let cancel = (): void => undefined
    let unsubscribe = (): void => undefined
    let done = false
    const wake = (): void => {
      if (done) return
      done = true
      cancel()
      unsubscribe()
      resolve()
    }
    cancel = clock.setTimer(delay, wake)
    unsubscribe = stop.subscribe(wake)
  })
}

/** An attempt that did not answer in time (or was stopped). */
export interface TimedOut {
  readonly ok: false
  readonly error: ProviderError
  readonly latencyMs: number
}

function attempt<R extends Outcome>(
  call: (signal: AbortSignal) => Promise<R>,
  { clock, timeoutMs, stop, graceMs }: RetryOptions,
): Promise<R | TimedOut> {
  const controller = new AbortController()
  const started = clock.now()
  return new Promise((resolve) => {
    let settled = false
    const finish = (value: R | TimedOut): void => {
      if (settled) return
      settled = true
      cancelTimer()
      cancelGrace()
      unsubscribe()
      resolve(value)
    }
    const fail = (message: string, retryable: boolean): TimedOut => ({
      ok: false,
      error: { kind: retryable ? 'timeout' : 'unknown', message, retryable },
      latencyMs: clock.now() - started,
    })
    const cancelTimer = clock.setTimer(timeoutMs, () => {
      controller.abort()
      finish(fail(`no answer within ${timeoutMs} ms`, true))
    })
    let cancelGrace = (): void => undefined
    const onStop = (): void => {
      cancelGrace = clock.setTimer(graceMs, () => {
        controller.abort()
        finish(fail('the run was interrupted', false))
      })
    }
    const unsubscribe = stop.subscribe(onStop)
    call(controller.signal).then(finish, (error: unknown) =>
      finish(fail(errorMessage(error), false)),
    )
  })
}
