/**
 * What the built-in sinks share: a bounded queue that `write` fills without blocking, sent in
 * batches one at a time (on an interval, when a batch is full, on `flush` and on `close`), a
 * failed batch sent again with exponential backoff and jitter, and counters. A sink supplies
 * only `send(batch)`, which says what became of the batch.
 */
import type { ExperimentEvent, ExperimentSink } from '../events.js'

/** What became of one batch. */
export type SendResult =
  | { readonly kind: 'sent'; readonly duplicates?: number }
  /** A transient failure (5xx, network, timeout, a file error): send the same batch again. */
  | { readonly kind: 'retry'; readonly problem: string }
  /** The batch can never succeed (400, 401, 403): drop it. `key` makes the log line once-only. */
  | { readonly kind: 'drop'; readonly key: string; readonly problem: string }

/** Counters of a sink since it was created, for health and metrics. */
export interface SinkStats {
  /** Events delivered (for the collector: acknowledged with 202, duplicates included). */
  readonly sent: number
  /** Events lost: the queue full (oldest first), a batch refused or given up, writes after close. */
  readonly dropped: number
  /** Batches sent again after a transient failure. */
  readonly retries: number
  /** Events waiting now, the batch in flight included. */
  readonly queued: number
  /** Events the collector already had (same id): delivered before, by a retry or another process. */
  readonly duplicates: number
}

/** A sink with counters. */
export interface BatchingSink extends ExperimentSink {
  stats(): SinkStats
}

/** Batching and retry settings, shared by the built-in sinks. */
export interface BatchingOptions {
  /** Events per batch; default 500. */
  readonly batchSize?: number
  /** How often the queue is sent; default 1,000 ms. */
  readonly flushIntervalMs?: number
  /** Events waiting at most (besides the batch in flight); the oldest go first; default 10,000. */
  readonly maxQueue?: number
  /**
   * Backoff of a failed batch: the n-th retry waits between half and all of
   * min(`maxMs`, `initialMs` × 2ⁿ⁻¹); after `retries` retries the batch is dropped.
   * Default 250 ms, 30,000 ms, 6 retries (at most 16 s in all).
   */
  readonly retry?: {
    readonly initialMs?: number
    readonly maxMs?: number
    readonly retries?: number
  }
  /** Problems, each kind once; default `console.warn`. */
  readonly logger?: { warn(message: string): void }
  /** Uniform in [0, 1), for the jitter; default `Math.random`. */
  readonly random?: () => number
}

/** The default logger of the experiments module: `console.warn`, tagged. */
export const consoleWarn = {
  warn: (message: string) => console.warn(`shipgate experiments: ${message}`),
}

/** A sink over `send`; see the module doc. `name` prefixes its log lines. */
export function createBatchingSink(
  name: string,
  send: (batch: readonly ExperimentEvent[]) => Promise<SendResult>,
  options: BatchingOptions = {},
): BatchingSink {
  const batcher = new Batcher(name, send, options)
  return {
    write: (events) => batcher.write(events),
    flush: () => batcher.flush(),
    close: () => batcher.close(),
    stats: () => batcher.stats(),
  }
}

/** The queue, the one sender and the counters behind a batching sink. */
class Batcher {
  private readonly batchSize: number
  private readonly maxQueue: number
  private readonly backoff: Backoff
  private readonly logger: { warn(message: string): void }
  private readonly logged = new Set<string>()
  private readonly counts = { sent: 0, dropped: 0, retries: 0, duplicates: 0 }
  private queue: ExperimentEvent[] = []
  private inflight: readonly ExperimentEvent[] = []
  /** Events ever written, and events sent or dropped: in order, so `settled ≥ n` means done. */
  private written = 0
  private settled = 0
  private closed = false
  private pumping: Promise<void> | undefined
  private readonly timer: NodeJS.Timeout

  constructor(
    private readonly name: string,
    private readonly send: (batch: readonly ExperimentEvent[]) => Promise<SendResult>,
    options: BatchingOptions,
  ) {
    this.batchSize = options.batchSize ?? 500
    this.maxQueue = options.maxQueue ?? 10_000
    this.backoff = backoffOf(options)
    this.logger = options.logger ?? consoleWarn
    this.timer = setInterval(() => void this.kick(), options.flushIntervalMs ?? 1_000)
    this.timer.unref()
  }

  write(events: readonly ExperimentEvent[]): void {
    this.written += events.length
    if (this.closed) {
      this.warnOnce('closed', 'events written after close()')
      return this.drop(events.length)
    }
    for (const event of events) this.queue.push(event)
    const over = this.queue.length - this.maxQueue
    if (over > 0) {
      this.queue.splice(0, over)
      this.drop(over)
      this.warnOnce('full', `the queue is full (${this.maxQueue} events): dropping the oldest`)
    }
    if (this.queue.length >= this.batchSize) void this.kick()
  }

  /** Resolves once every event written before the call is sent or dropped. */
  async flush(): Promise<void> {
    const target = this.written
    while (this.settled < target) await this.kick()
  }

  async close(): Promise<void> {
    this.closed = true
    clearInterval(this.timer)
    await this.flush()
  }

  stats(): SinkStats {
    return { ...this.counts, queued: this.queue.length + this.inflight.length }
  }

  /** Starts sending unless a send is under way; resolves when the queue is empty. */
  private kick(): Promise<void> {
    this.pumping ??= this.pump().finally(() => {
      this.pumping = undefined
    })
    return this.pumping
  }

  private async pump(): Promise<void> {
    while (this.queue.length > 0) {
      this.inflight = this.queue.slice(0, this.batchSize)
      this.queue = this.queue.slice(this.inflight.length)
      await this.sendBatch(this.inflight)
      this.inflight = []
    }
  }

  /** Sends one batch until it is delivered, refused, or out of retries. */
  private async sendBatch(batch: readonly ExperimentEvent[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const result = await this.send(batch).catch((error: unknown): SendResult => ({
        kind: 'retry',
        problem: String(error),
      }))
      if (result.kind === 'sent') {
        this.counts.sent += batch.length
        this.counts.duplicates += result.duplicates ?? 0
        this.settled += batch.length
        return
      }
      if (result.kind === 'drop') {
        this.warnOnce(result.key, `${result.problem}; dropping events (counted as dropped)`)
        return this.drop(batch.length)
      }
      if (attempt >= this.backoff.retries) {
        this.warnOnce('given-up', `${result.problem}; gave up on a batch after ${attempt} retries`)
        return this.drop(batch.length)
      }
      this.counts.retries++
      await sleep(this.backoff.delay(attempt))
    }
  }

  private drop(n: number): void {
    this.counts.dropped += n
    this.settled += n
  }

  private warnOnce(key: string, message: string): void {
    if (this.logged.has(key)) return
    this.logged.add(key)
    this.logger.warn(`${this.name}: ${message}`)
  }
}

interface Backoff {
  readonly retries: number
  /** The wait before retry number `attempt + 1`: between half and all of its cap. */
  delay(attempt: number): number
}

function backoffOf(options: BatchingOptions): Backoff {
  const initialMs = options.retry?.initialMs ?? 250
  const maxMs = options.retry?.maxMs ?? 30_000
  const random = options.random ?? Math.random
  return {
    retries: options.retry?.retries ?? 6,
    delay: (attempt) => {
      const cap = Math.min(maxMs, initialMs * 2 ** attempt)
      return cap / 2 + (random() * cap) / 2
    },
  }
}

function sleep(ms: number): Promise<void> {
  // Not unref'd: a process awaiting close() must not exit in the middle of a backoff.
  return new Promise((resolve) => setTimeout(resolve, ms))
}
