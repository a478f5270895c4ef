import { getEventListeners } from 'node:events'
import { describe, expect, it } from 'vitest'
import type { CompletionResult, ProviderError } from '../../src/contracts/provider.js'
import {
  schedule,
  type Job,
  type JobOutcome,
  type SchedulerOptions,
} from '../../src/core/eval/scheduler.js'
import { FakeClock } from '../helpers/clock.js'

const OK: CompletionResult = { ok: true, output: 'ok', usage: null, latencyMs: 1, cached: false }

function fail(error: Partial<ProviderError> = {}): CompletionResult {
  return { ok: false, error: { kind: 'unavailable', message: 'down', retryable: true, ...error } }
}

function options(clock: FakeClock, overrides: Partial<SchedulerOptions> = {}): SchedulerOptions {
  return {
    concurrency: 4,
    limits: new Map(),
    timeoutMs: 60_000,
    retry: { retries: 3, baseDelayMs: 1000, maxDelayMs: 30_000, maxRetryAfterMs: 60_000 },
    graceMs: 2000,
    stop: new AbortController().signal,
    clock,
    random: () => 1,
    ...overrides,
  }
}

/** Tracks calls in flight overall and per key. */
class Gauge {
  active = 0
  peak = 0
  readonly byKey = new Map<string, { active: number; peak: number }>()
  enter(key: string): void {
    this.active += 1
    this.peak = Math.max(this.peak, this.active)
    const k = this.byKey.get(key) ?? { active: 0, peak: 0 }
    k.active += 1
    k.peak = Math.max(k.peak, k.active)
    this.byKey.set(key, k)
  }
  leave(key: string): void {
    this.active -= 1
    ;(this.byKey.get(key) as { active: number }).active -= 1
  }
}

function sleepingJob(clock: FakeClock, gauge: Gauge, key: string, ms: number): Job {
  return {
    key,
    async call(signal) {
      gauge.enter(key)
      await clock.sleep(ms, signal)
      gauge.leave(key)
      return OK
    },
  }
}

/** A job that records when each attempt starts and answers with `answer(attempt number)`. */
function recordingJob(clock: FakeClock, answer: (attempt: number) => CompletionResult) {
  const starts: number[] = []
  const job: Job = {
    key: 'p',
    call: () => {
      starts.push(clock.now())
      return Promise.resolve(answer(starts.length))
    },
  }
  return { job, starts }
}

async function collect(clock: FakeClock, jobs: Job[], opts: SchedulerOptions) {
  const outcomes = new Map<Job, JobOutcome>()
  const summary = await clock.run(
    schedule(jobs, (job, outcome) => void outcomes.set(job, outcome), opts),
  )
  return { summary, outcomes }
}

describe('schedule', () => {
  it('never exceeds the global limit, and uses all of it', async () => {
    const clock = new FakeClock()
    const gauge = new Gauge()
    const jobs = Array.from({ length: 50 }, () => sleepingJob(clock, gauge, 'p', 10))
    const { summary, outcomes } = await collect(clock, jobs, options(clock, { concurrency: 4 }))
    expect(summary).toEqual({ settled: 50, interrupted: false })
    expect(outcomes.size).toBe(50)
    expect(gauge.peak).toBe(4)
    // 50 jobs of 10 ms, 4 at a time: ceil(50 / 4) rounds.
    expect(clock.now()).toBe(130)
  })

  it('keeps per-key limits without starving other keys', async () => {
    const clock = new FakeClock()
    const gauge = new Gauge()
    const jobs = [
      ...Array.from({ length: 20 }, () => sleepingJob(clock, gauge, 'slow', 10)),
      ...Array.from({ length: 20 }, () => sleepingJob(clock, gauge, 'fast', 10)),
    ]
    await collect(clock, jobs, options(clock, { concurrency: 5, limits: new Map([['slow', 2]]) }))
    expect(gauge.byKey.get('slow')?.peak).toBe(2)
    expect(gauge.byKey.get('fast')?.peak).toBe(3)
    expect(gauge.peak).toBe(5)
  })

  it('retries retryable failures with exponential backoff, then succeeds', async () => {
    const clock = new FakeClock()
    const { job, starts } = recordingJob(clock, (n) => (n < 3 ? fail() : OK))
    const { outcomes } = await collect(clock, [job], options(clock))
    expect(outcomes.get(job)).toMatchObject({ attempts: 3, result: { ok: true } })
    // random() = 1 gives the full backoff ceiling: 1000, then 2000.
    expect(starts).toEqual([0, 1000, 3000])
  })

  it('gives up after the configured retries', async () => {
    const clock = new FakeClock()
    let calls = 0
    const job: Job = { key: 'p', call: () => Promise.resolve((calls++, fail({ status: 503 }))) }
    const { outcomes } = await collect(clock, [job], options(clock))
    expect(calls).toBe(4)
    expect(outcomes.get(job)).toMatchObject({
      attempts: 4,
      result: { ok: false, error: { status: 503 } },
    })
  })

  it('never retries a non-retryable failure', async () => {
    const clock = new FakeClock()
    let calls = 0
    const job: Job = {
      key: 'p',
      call: () =>
        Promise.resolve((calls++, fail({ kind: 'bad_request', retryable: false, status: 400 }))),
    }
    const { outcomes } = await collect(clock, [job], options(clock))
    expect(calls).toBe(1)
    expect(outcomes.get(job)?.attempts).toBe(1)
  })

  it('waits exactly retry-after when the server gives one', async () => {
    const clock = new FakeClock()
    const starts: number[] = []
    const job: Job = {
      key: 'p',
      call: () => {
        starts.push(clock.now())
        return Promise.resolve(
          starts.length === 1 ? fail({ kind: 'rate_limited', retryAfterMs: 7000 }) : OK,
        )
      },
    }
    await collect(clock, [job], options(clock))
    expect(starts).toEqual([0, 7000])
  })

  it('does not wait for a retry-after beyond the maximum', async () => {
    const clock = new FakeClock()
    let calls = 0
    const job: Job = {
      key: 'p',
      call: () => Promise.resolve((calls++, fail({ kind: 'rate_limited', retryAfterMs: 120_000 }))),
    }
    const { outcomes } = await collect(clock, [job], options(clock))
    expect(calls).toBe(1)
    expect(outcomes.get(job)?.result).toMatchObject({ ok: false, error: { kind: 'rate_limited' } })
  })

  it('jitters the backoff below its ceiling', async () => {
    const clock = new FakeClock()
    const { job, starts } = recordingJob(clock, (n) => (n < 2 ? fail() : OK))
    await collect(clock, [job], options(clock, { random: () => 0.25 }))
    expect(starts).toEqual([0, 250])
  })

  it('times out a call that does not answer, aborts its signal, and retries it', async () => {
    const clock = new FakeClock()
    const signals: AbortSignal[] = []
    const job: Job = {
      key: 'p',
      call: (signal) => {
        signals.push(signal)
        return new Promise<CompletionResult>(() => undefined)
      },
    }
    const opts = options(clock, {
      timeoutMs: 500,
      retry: { retries: 1, baseDelayMs: 100, maxDelayMs: 100, maxRetryAfterMs: 0 },
    })
    const { outcomes } = await collect(clock, [job], opts)
    expect(outcomes.get(job)).toMatchObject({
      attempts: 2,
      result: { ok: false, error: { kind: 'timeout' } },
    })
    expect(signals.every((s) => s.aborted)).toBe(true)
    expect(clock.now()).toBe(500 + 100 + 500)
  })

  it("uses a key's own timeout over the default", async () => {
    const clock = new FakeClock()
    const hang = (key: string): Job => ({
      key,
      call: () => new Promise<CompletionResult>(() => undefined),
    })
    const jobs = [hang('fast'), hang('slow')]
    const ended = new Map<string, number>()
    const opts = options(clock, {
      timeoutMs: 1000,
      timeouts: new Map([['fast', 200]]),
      retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 0 },
    })
    await clock.run(schedule(jobs, (job) => void ended.set(job.key, clock.now()), opts))
    expect(Object.fromEntries(ended)).toEqual({ fast: 200, slow: 1000 })
  })

  it('turns a call that throws into an unknown, non-retryable failure', async () => {
    const clock = new FakeClock()
    const job: Job = { key: 'p', call: () => Promise.reject(new Error('boom')) }
    const { outcomes } = await collect(clock, [job], options(clock))
    expect(outcomes.get(job)).toMatchObject({
      attempts: 1,
      result: { ok: false, error: { kind: 'unknown', message: 'boom' } },
    })
  })

  it('holds no slot while a job waits to retry', async () => {
    const clock = new FakeClock()
    const order: string[] = []
    let first = true
    const a: Job = {
      key: 'p',
      call: () => {
        order.push(`a@${clock.now()}`)
        const result = first ? fail({ kind: 'rate_limited', retryAfterMs: 1000 }) : OK
        first = false
        return Promise.resolve(result)
      },
    }
    const b: Job = {
      key: 'p',
      call: async (signal) => {
        order.push(`b@${clock.now()}`)
        await clock.sleep(10, signal)
        return OK
      },
    }
    await collect(clock, [a, b], options(clock, { concurrency: 1 }))
    expect(order).toEqual(['a@0', 'b@0', 'a@1000'])
  })

  it('on stop, starts nothing new and lets calls in flight finish within the grace period', async () => {
    const clock = new FakeClock()
    const gauge = new Gauge()
    const stop = new AbortController()
    const jobs = Array.from({ length: 100 }, () => sleepingJob(clock, gauge, 'p', 200))
    const settled: Job[] = []
    void clock.sleep(450).then(() => stop.abort())
    const summary = await clock.run(
      schedule(
        jobs,
        (job) => void settled.push(job),
        options(clock, { concurrency: 8, stop: stop.signal, graceMs: 1000 }),
      ),
    )
    // Rounds at 0 and 200 finished; the round started at 400 finishes at 600, inside the grace.
    expect(summary).toEqual({ settled: 24, interrupted: true })
    expect(settled).toHaveLength(24)
    expect(clock.now()).toBe(600)
  })

  it('cuts off calls still in flight when the grace period runs out, and never settles them', async () => {
    const clock = new FakeClock()
    const stop = new AbortController()
    const signals: AbortSignal[] = []
    const hanging: Job = {
      key: 'p',
      call: (signal) => {
        signals.push(signal)
        return new Promise<CompletionResult>(() => undefined)
      },
    }
    void clock.sleep(100).then(() => stop.abort())
    const settled: Job[] = []
    const summary = await clock.run(
      schedule(
        [hanging, hanging],
        (job) => void settled.push(job),
        options(clock, { stop: stop.signal, graceMs: 300 }),
      ),
    )
    expect(summary).toEqual({ settled: 0, interrupted: true })
    expect(settled).toHaveLength(0)
    expect(signals.every((s) => s.aborted)).toBe(true)
    expect(clock.now()).toBe(400)
  })

  it('drops a pending retry when stopped', async () => {
    const clock = new FakeClock()
    const stop = new AbortController()
    let calls = 0
    const job: Job = {
      key: 'p',
      call: () => Promise.resolve((calls++, fail({ retryAfterMs: 5000 }))),
    }
    void clock.sleep(100).then(() => stop.abort())
    const { summary } = await collect(clock, [job], options(clock, { stop: stop.signal }))
    expect(calls).toBe(1)
    expect(summary).toEqual({ settled: 0, interrupted: true })
    expect(clock.now()).toBe(100)
  })

  it('rejects when onSettled throws, after the rest has settled', async () => {
    const clock = new FakeClock()
    const jobs: Job[] = [1, 2, 3].map(() => ({ key: 'p', call: () => Promise.resolve(OK) }))
    let seen = 0
    const run = schedule(
      jobs,
      () => {
        seen += 1
        if (seen === 2) throw new Error('store is full')
      },
      options(clock),
    )
    await expect(clock.run(run)).rejects.toThrow('store is full')
    expect(seen).toBe(3)
  })

  it('resolves at once with nothing to do', async () => {
    const clock = new FakeClock()
    expect(await clock.run(schedule([], () => undefined, options(clock)))).toEqual({
      settled: 0,
      interrupted: false,
    })
  })
})

describe('schedule under many retries', () => {
  it('keeps one abort listener on the stop signal however many calls wait to retry', async () => {
    const clock = new FakeClock()
    const stop = new AbortController()
    let peak = 0
    const jobs: Job[] = Array.from({ length: 40 }, (_, i) => {
      let attempts = 0
      return {
        key: 'p',
        call: () => {
          attempts += 1
          peak = Math.max(peak, getEventListeners(stop.signal, 'abort').length)
          return Promise.resolve(attempts === 1 ? fail({ retryAfterMs: 100 + i }) : OK)
        },
      }
    })
    const { summary } = await collect(
      clock,
      jobs,
      options(clock, { concurrency: 40, stop: stop.signal }),
    )
    expect(summary).toEqual({ settled: 40, interrupted: false })
    expect(peak).toBe(1)
  })

  it('drops the waiting retries at once when stopped', async () => {
    const clock = new FakeClock()
    const stop = new AbortController()
    clock.setTimer(10, () => stop.abort())
    const jobs: Job[] = Array.from({ length: 8 }, () => ({
      key: 'p',
      call: () => Promise.resolve(fail({ retryAfterMs: 50_000 })),
    }))
    const started = clock.now()
    const { summary } = await collect(
      clock,
      jobs,
      options(clock, { concurrency: 8, stop: stop.signal }),
    )
    expect(summary.interrupted).toBe(true)
    expect(clock.now() - started).toBeLessThan(50_000)
    expect(clock.pending).toBe(0)
  })
})
