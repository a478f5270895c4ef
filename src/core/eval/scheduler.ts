import { errorMessage } from '../../utils/errors.js'
import type { Clock, Random } from '../../contracts/clock.js'
import type { CompletionResult, ProviderError } from '../../contracts/provider.js'

/** How retryable failures are retried. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly retries: number
  /** First backoff ceiling; it doubles with each retry, with full jitter. */
  readonly baseDelayMs: number
  readonly maxDelayMs: number
  /** A `retry-after` longer than this is not waited for: the failure stands. */
  readonly maxRetryAfterMs: number
}

/** Options of {@link schedule}. */
export interface SchedulerOptions {
  /** Calls in flight at once, over all keys. */
  readonly concurrency: number
  /** Calls in flight at once per key (provider); keys not listed share only the global limit. */
  readonly limits: ReadonlyMap<string, number>
  /** Per-attempt timeout. */
  readonly timeoutMs: number
  /** Per-attempt timeouts of keys (providers) that set their own. */
  readonly timeouts?: ReadonlyMap<string, number>
  readonly retry: RetryPolicy
  /** After `stop` aborts, how long calls in flight may still finish before they are cut off. */
  readonly graceMs: number
  /** Aborting it stops scheduling: nothing new starts, pending retries are dropped. */
  readonly stop: AbortSignal
  readonly clock: Clock
  readonly random: Random
  /**
   * Schedules the hand-over of a settled job to `onSettled`; a microtask by default. Passing
   * `setImmediate` lets every call that is due start before earlier answers are graded, which
   * keeps slots busy when many answers arrive at once.
   */
  readonly defer?: (callback: () => void) => void
}

/** One unit of work: a provider call, attempted until it succeeds or its failure stands. */
export interface Job {
  readonly key: string
  call(signal: AbortSignal): Promise<CompletionResult>
}

/** The final result of a job and the attempts it took. */
export interface JobOutcome {
  readonly result: CompletionResult
  readonly attempts: number
}

/** How the scheduling ended. */
export interface ScheduleSummary {
  /** Jobs whose outcome was delivered. */
  readonly settled: number
  /** True when `stop` aborted before every job settled. */
  readonly interrupted: boolean
}

/**
 * Runs jobs under a global and per-key concurrency limit, with a timeout per attempt and retries
 * (exponential backoff with full jitter, honouring `retry-after`) for retryable failures.
 * A job waiting to retry holds no slot. `onSettled` gets each job's final outcome; its promise
 * is awaited before `schedule` resolves. Jobs cut off by an interrupt are never settled.
 */
export function schedule<J extends Job>(
  jobs: readonly J[],
  onSettled: (job: J, outcome: JobOutcome) => void | Promise<void>,
  options: SchedulerOptions,
): Promise<ScheduleSummary> {
  return new Scheduler(jobs, onSettled, options).run()
}

interface Entry<J> {
  readonly job: J
  attempts: number
}

/** A FIFO of one key's jobs; retries go first. O(1) at both ends that are used. */
class Queue<J> {
  private readonly items: Entry<J>[] = []
  private head = 0
  private readonly retries: Entry<J>[] = []

  get length(): number {
    return this.items.length - this.head + this.retries.length
  }
  push(entry: Entry<J>): void {
    this.items.push(entry)
  }
  /** Puts a job back at the front, to be retried before the others. */
  unshift(entry: Entry<J>): void {
    this.retries.push(entry)
  }
  shift(): Entry<J> | undefined {
    if (this.retries.length > 0) return this.retries.shift()
    if (this.head === this.items.length) return undefined
    const entry = this.items[this.head]
    this.items[this.head++] = undefined as unknown as Entry<J>
    return entry
  }
  clear(): void {
    this.items.length = 0
    this.head = 0
    this.retries.length = 0
  }
}

/** Why an attempt's signal was aborted. */
const TIMED_OUT = Object.freeze({ reason: 'the call timed out' })
const CUT_OFF = Object.freeze({ reason: 'the run was interrupted' })

class Scheduler<J extends Job> {
  private readonly queues = new Map<string, Queue<J>>()
  private readonly activeByKey = new Map<string, number>()
  /** Cuts off an attempt in flight; all are called when the interrupt's grace runs out. */
  private readonly inflight = new Set<() => void>()
  /** Outcomes handed over to onSettled and not yet done with. */
  private settling = 0
  private keys: string[] = []
  private cursor = 0
  private active = 0
  private waiting = 0
  private settled = 0
  private remaining: number
  private queued = 0
  private failure: { error: unknown } | undefined
  /** Wakes each job waiting for its retry; stopping wakes them all (one listener on `stop`). */
  private readonly backoffs = new Set<() => void>()
  private finish: (summary: ScheduleSummary) => void = () => undefined
  private fail: (error: unknown) => void = () => undefined

  constructor(
    jobs: readonly J[],
    private readonly onSettled: (job: J, outcome: JobOutcome) => void | Promise<void>,
    private readonly options: SchedulerOptions,
  ) {
    this.remaining = jobs.length
    for (const job of jobs) this.queueFor(job.key).push({ job, attempts: 0 })
    this.queued = jobs.length
    this.keys = [...this.queues.keys()]
  }

  run(): Promise<ScheduleSummary> {
    const done = new Promise<ScheduleSummary>((resolve, reject) => {
      this.finish = resolve
      this.fail = reject
    })
    const { stop } = this.options
    if (stop.aborted) this.onStop()
    else stop.addEventListener('abort', () => this.onStop(), { once: true })
    this.pump()
    this.checkDone()
    return done
  }

  private queueFor(key: string): Queue<J> {
    let queue = this.queues.get(key)
    if (queue === undefined) {
      queue = new Queue<J>()
      this.queues.set(key, queue)
    }
    return queue
  }

  /** Starts as many jobs as the limits allow, visiting keys round-robin. */
  private pump(): void {
    if (this.options.stop.aborted) return
    let idle = 0
    while (this.active < this.options.concurrency && idle < this.keys.length) {
      const key = this.keys[this.cursor % this.keys.length] as string
      this.cursor = (this.cursor + 1) % this.keys.length
      const queue = this.queues.get(key) as Queue<J>
      const limit = this.options.limits.get(key) ?? Infinity
      const busy = this.activeByKey.get(key) ?? 0
      if (queue.length === 0 || busy >= limit) {
        idle += 1
        continue
      }
      idle = 0
      this.queued -= 1
      this.start(queue.shift() as Entry<J>)
    }
  }

  private start(entry: Entry<J>): void {
    const key = entry.job.key
    this.active += 1
    this.activeByKey.set(key, (this.activeByKey.get(key) ?? 0) + 1)
    entry.attempts += 1
    void this.attempt(entry).then((result) => {
      this.active -= 1
      this.activeByKey.set(key, (this.activeByKey.get(key) ?? 1) - 1)
      if (result !== 'cut-off') this.afterAttempt(entry, result)
      this.pump()
      this.checkDone()
    })
  }

  /**
   * One attempt, raced against its timeout; `cut-off` when the interrupt's grace ran out. The
   * timer is cancelled when the call answers, so a finished call costs no abort event.
   */
  private attempt(entry: Entry<J>): Promise<CompletionResult | 'cut-off'> {
    const { clock } = this.options
    const timeoutMs = this.options.timeouts?.get(entry.job.key) ?? this.options.timeoutMs
    const controller = new AbortController()
    return new Promise((resolve) => {
      let settled = false
      const finish = (value: CompletionResult | 'cut-off'): void => {
        if (settled) return
        settled = true
        cancelTimer()
        this.inflight.delete(cutOff)
        resolve(value)
      }
      const cancelTimer = clock.setTimer(timeoutMs, () => {
        controller.abort(TIMED_OUT)
        finish(timeoutResult(timeoutMs))
      })
      const cutOff = (): void => {
        controller.abort(CUT_OFF)
        finish('cut-off')
      }
      this.inflight.add(cutOff)
      entry.job.call(controller.signal).then(finish, (error: unknown) =>
        finish({
          ok: false,
          error: { kind: 'unknown', message: messageOf(error), retryable: false },
        }),
      )
    })
  }

  private afterAttempt(entry: Entry<J>, result: CompletionResult): void {
    const delay = result.ok ? undefined : this.retryDelay(result.error, entry.attempts)
    if (delay === undefined || this.options.stop.aborted) {
      this.deliver(entry, result)
      return
    }
    this.waiting += 1
    let cancel = (): void => undefined
    const wake = (): void => {
      this.backoffs.delete(wake)
      cancel()
      this.waiting -= 1
      // Dropped retries count as unfinished: the run is interrupted.
      if (!this.options.stop.aborted) {
        this.queueFor(entry.job.key).unshift(entry)
        this.queued += 1
      }
      this.pump()
      this.checkDone()
    }
    this.backoffs.add(wake)
    cancel = this.options.clock.setTimer(delay, wake)
  }

  private retryDelay(error: ProviderError, attempts: number): number | undefined {
    return retryDelay(error, attempts, this.options.retry, this.options.random)
  }

  private deliver(entry: Entry<J>, result: CompletionResult): void {
    this.remaining -= 1
    this.settled += 1
    this.settling += 1
    const handOver = this.options.defer ?? queueMicrotask
    handOver(() => void this.settle(entry, { result, attempts: entry.attempts }))
  }

  private async settle(entry: Entry<J>, outcome: JobOutcome): Promise<void> {
    try {
      await this.onSettled(entry.job, outcome)
    } catch (error) {
      this.failure ??= { error }
    }
    this.settling -= 1
    this.checkDone()
  }

  private onStop(): void {
    for (const queue of this.queues.values()) queue.clear()
    this.queued = 0
    for (const wake of [...this.backoffs]) wake()
    if (this.active > 0) {
      void this.options.clock.sleep(this.options.graceMs).then(() => {
        for (const cutOff of [...this.inflight]) cutOff()
      })
    }
    this.checkDone()
  }

  private checkDone(): void {
    if (this.active > 0 || this.waiting > 0 || this.queued > 0 || this.settling > 0) return
    if (this.failure !== undefined) this.fail(this.failure.error)
    else this.finish({ settled: this.settled, interrupted: this.remaining > 0 })
  }
}

/**
 * The wait before the next attempt after `attempts` failed ones, or `undefined` when the
 * failure stands: not retryable, out of retries, or a `retry-after` longer than allowed.
 * Otherwise the server's `retry-after`, or exponential backoff with full jitter.
 */
export function retryDelay(
  error: ProviderError,
  attempts: number,
  retry: RetryPolicy,
  random: Random,
): number | undefined {
  if (!error.retryable || attempts > retry.retries) return undefined
  if (error.retryAfterMs !== undefined) {
    return error.retryAfterMs <= retry.maxRetryAfterMs ? error.retryAfterMs : undefined
  }
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempts - 1))
  return random() * ceiling
}

function timeoutResult(timeoutMs: number): CompletionResult {
  return {
    ok: false,
    error: { kind: 'timeout', message: `no answer within ${timeoutMs} ms`, retryable: true },
  }
}

function messageOf(error: unknown): string {
  return errorMessage(error)
}
