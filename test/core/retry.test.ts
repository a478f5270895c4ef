import { describe, expect, it } from 'vitest'
import type { CompletionResult } from '../../src/contracts/provider.js'
import { callWithRetries, stopFan } from '../../src/core/eval/retry.js'
import { FakeClock } from '../helpers/clock.js'

const retry = { retries: 2, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 5_000 }
const ok: CompletionResult = { ok: true, output: 'x', usage: null, latencyMs: 1, cached: false }
const limited: CompletionResult = {
  ok: false,
  error: { kind: 'rate_limited', message: '429', retryable: true, retryAfterMs: 700 },
}

function options(clock: FakeClock, stop = new AbortController()) {
  return {
    timeoutMs: 1_000,
    retry,
    clock,
    random: () => 0.5,
    stop: stopFan(stop.signal),
    graceMs: 200,
  }
}

describe('callWithRetries', () => {
  it('waits the retry-after, then answers', async () => {
    const clock = new FakeClock()
    const started: number[] = []
    const answers = [limited, ok]
    const attempts = await clock.run(
      callWithRetries(() => {
        started.push(clock.now())
        return Promise.resolve(answers.shift() as CompletionResult)
      }, options(clock)),
    )
    expect(attempts.map((a) => a.ok)).toEqual([false, true])
    expect(started[1]! - started[0]!).toBe(700)
  })

  it('times out an attempt that never answers and stops after the retries', async () => {
    const clock = new FakeClock()
    const attempts = await clock.run(
      callWithRetries(() => new Promise<CompletionResult>(() => undefined), options(clock)),
    )
    expect(attempts).toHaveLength(3)
    expect(attempts.every((a) => !a.ok && a.error.kind === 'timeout')).toBe(true)
  })

  it('does not retry a failure that stands', async () => {
    const clock = new FakeClock()
    const bad: CompletionResult = {
      ok: false,
      error: { kind: 'bad_request', message: '400', retryable: false },
    }
    const attempts = await clock.run(callWithRetries(() => Promise.resolve(bad), options(clock)))
    expect(attempts).toHaveLength(1)
  })

  it('gives the call in flight its grace on stop, then cuts it off', async () => {
    const clock = new FakeClock()
    const stop = new AbortController()
    let signal: AbortSignal | undefined
    const call = callWithRetries(
      (s) => {
        signal = s
        clock.setTimer(50, () => stop.abort())
        return new Promise<CompletionResult>(() => undefined)
      },
      options(clock, stop),
    )
    const attempts = await clock.run(call)
    expect(attempts).toHaveLength(1)
    expect(attempts[0]).toMatchObject({ ok: false, error: { message: 'the run was interrupted' } })
    expect(clock.now()).toBe(250)
    expect(signal?.aborted).toBe(true)
  })
})
