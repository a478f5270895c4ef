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
  readonly retry: RetryPolicy
  /** After `stop` aborts, how long calls in flight may still finish before they are cut off. */
  readonly graceMs: number
  /** Aborting it stops scheduling: nothing new starts, pending retries are dropped. */
  readonly stop: AbortSignal
  readonly clock: Clock
  readonly random: Random
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

class Scheduler<J extends Job> {
  private readonly queues = new Map<string, Entry<J>[]>()
  private readonly activeByKey = new Map<string, number>()
  /** One per attempt in flight; aborted when the interrupt's grace runs out. */
  private readonly controllers = new Set<AbortController>()
  private readonly settling = new Set<Promise<void>>()
  private keys: string[] = []
  private cursor = 0
  private active = 0
  private waiting = 0
  private settled = 0
  private remaining: number
  private queued = 0
  private failure: { error: unknown } | undefined
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

  private queueFor(key: string): Entry<J>[] {
    let queue = this.queues.get(key)
    if (queue === undefined) {
      queue = []
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
      const queue = this.queues.get(key) as Entry<J>[]
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

  /** One attempt, raced against its timeout; `cut-off` when the interrupt's grace ran out. */
  private async attempt(entry: Entry<J>): Promise<CompletionResult | 'cut-off'> {
    const { clock, timeoutMs } = this.options
    const controller = new AbortController()
    this.controllers.add(controller)
    const timer = clock
      .sleep(timeoutMs, controller.signal)
      .then(() => (controller.signal.aborted ? ('cut-off' as const) : ('timeout' as const)))
    const call = entry.job.call(controller.signal).catch((error: unknown): CompletionResult => ({
      ok: false,
      error: { kind: 'unknown', message: messageOf(error), retryable: false },
    }))
    const winner = await Promise.race([call, timer])
    this.controllers.delete(controller)
    controller.abort()
    if (winner === 'timeout') return timeoutResult(timeoutMs)
    return winner
  }

  private afterAttempt(entry: Entry<J>, result: CompletionResult): void {
    const delay = result.ok ? undefined : this.retryDelay(result.error, entry.attempts)
    if (delay === undefined || this.options.stop.aborted) {
      this.deliver(entry, result)
      return
    }
    this.waiting += 1
    void this.options.clock.sleep(delay, this.options.stop).then(() => {
      this.waiting -= 1
      if (this.options.stop.aborted) {
        // Dropped retries count as unfinished: the run is interrupted.
      } else {
        this.queueFor(entry.job.key).unshift(entry)
        this.queued += 1
      }
      this.pump()
      this.checkDone()
    })
  }

  /** The wait before the next attempt, or `undefined` when the failure stands. */
  private retryDelay(error: ProviderError, attempts: number): number | undefined {
    const { retry, random } = this.options
    if (!error.retryable || attempts > retry.retries) return undefined
    if (error.retryAfterMs !== undefined) {
      return error.retryAfterMs <= retry.maxRetryAfterMs ? error.retryAfterMs : undefined
    }
    const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempts - 1))
    return random() * ceiling
  }

  private deliver(entry: Entry<J>, result: CompletionResult): void {
    this.remaining -= 1
    this.settled += 1
    const pending = Promise.resolve()
      .then(() => this.onSettled(entry.job, { result, attempts: entry.attempts }))
      .catch((error: unknown) => {
        this.failure ??= { error }
      })
      .finally(() => {
        this.settling.delete(pending)
        this.checkDone()
      })
    this.settling.add(pending)
  }

  private onStop(): void {
    for (const queue of this.queues.values()) queue.length = 0
    this.queued = 0
    if (this.active > 0) {
      void this.options.clock.sleep(this.options.graceMs).then(() => {
        for (const controller of this.controllers) controller.abort()
      })
    }
    this.checkDone()
  }

  private checkDone(): void {
    if (this.active > 0 || this.waiting > 0 || this.queued > 0 || this.settling.size > 0) return
    if (this.failure !== undefined) this.fail(this.failure.error)
    else this.finish({ settled: this.settled, interrupted: this.remaining > 0 })
  }
}

function timeoutResult(timeoutMs: number): CompletionResult {
  return {
    ok: false,
    error: { kind: 'timeout', message: `no answer within ${timeoutMs} ms`, retryable: true },
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
