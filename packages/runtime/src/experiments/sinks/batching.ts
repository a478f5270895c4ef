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
  const batchSize = options.batchSize ?? 500
  const maxQueue = options.maxQueue ?? 10_000
  const backoff = backoffOf(options)
  const logger = options.logger ?? consoleWarn
  const logged = new Set<string>()
  const warnOnce = (key: string, message: string): void => {
    if (logged.has(key)) return
    logged.add(key)
    logger.warn(`${name}: ${message}`)
  }
  const counts = { sent: 0, dropped: 0, retries: 0, duplicates: 0 }
  let queue: ExperimentEvent[] = []
  let inflight: readonly ExperimentEvent[] = []
  let written = 0
  let settled = 0
  let closed = false
  let pumping: Promise<void> | undefined
  const drop = (n: number): void => {
    counts.dropped += n
    settled += n
  }

  const sendBatch = async (batch: readonly ExperimentEvent[]): Promise<void> => {
    for (let attempt = 0; ; attempt++) {
      const result = await send(batch).catch((error: unknown): SendResult => ({
        kind: 'retry',
        problem: String(error),
      }))
      if (result.kind === 'sent') {
        counts.sent += batch.length
        counts.duplicates += result.duplicates ?? 0
        settled += batch.length
        return
      }
      if (result.kind === 'drop') {
        warnOnce(result.key, `${result.problem}; dropping events (counted in stats().dropped)`)
        return drop(batch.length)
      }
      if (attempt >= backoff.retries) {
        warnOnce('given-up', `${result.problem}; gave up on a batch after ${attempt} retries`)
        return drop(batch.length)
      }
      counts.retries++
      await sleep(backoff.delay(attempt))
    }
  }
  const pump = async (): Promise<void> => {
    while (queue.length > 0) {
      inflight = queue.slice(0, batchSize)
      queue = queue.slice(inflight.length)
      await sendBatch(inflight)
      inflight = []
    }
  }
  const kick = (): Promise<void> => {
    pumping ??= pump().finally(() => {
      pumping = undefined
    })
    return pumping
  }
  /** Resolves once every event written before the call is sent or dropped. */
  const flush = async (): Promise<void> => {
    const target = written
    while (settled < target) await kick()
  }
  const timer = setInterval(() => void kick(), options.flushIntervalMs ?? 1_000)
  timer.unref()

  return {
    write(events) {
      if (closed) {
        warnOnce('closed', 'events written after close()')
        written += events.length
        return drop(events.length)
      }
      queue.push(...events)
      written += events.length
      const over = queue.length - maxQueue
      if (over > 0) {
        queue.splice(0, over)
        drop(over)
        warnOnce('full', `the queue is full (${maxQueue} events): dropping the oldest`)
      }
      if (queue.length >= batchSize) void kick()
    },
    flush,
    async close() {
      closed = true
      clearInterval(timer)
      await flush()
    },
    stats: () => ({ ...counts, queued: queue.length + inflight.length }),
  }
}

function backoffOf(options: BatchingOptions) {
  const initialMs = options.retry?.initialMs ?? 250
  const maxMs = options.retry?.maxMs ?? 30_000
  const random = options.random ?? Math.random
  return {
    retries: options.retry?.retries ?? 6,
    delay: (attempt: number): number => {
      const cap = Math.min(maxMs, initialMs * 2 ** attempt)
      return cap / 2 + (random() * cap) / 2
    },
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
