/**
 * `eval --batch`: a provider whose calls are gathered into its API's batches (OpenAI Batch,
 * Anthropic Message Batches) instead of being sent one by one. The runner calls it like any
 * provider; each call waits for its batch's result. Batches are stored as they are submitted,
 * so a later process collects them (`eval --resume RUN`) instead of paying again.
 */
import type { Clock } from '../../../contracts/clock.js'
import type { Logger } from '../../../contracts/logger.js'
import type {
  BatchOutcome,
  BatchResult,
  CompletionRequest,
  CompletionResult,
  EmbeddingResult,
  Provider,
  ProviderBatchApi,
} from '../../../contracts/provider.js'
import type { StoredBatch } from '../../../contracts/store.js'
import { errorMessage } from '../../../utils/errors.js'
import { sha256 } from '../../../utils/hash.js'
import { untilAborted } from '../../../utils/abort.js'

/** How batched calls are gathered and waited for. */
export interface BatchSettings {
  /** After the last request arrives, how long to wait for more before submitting a batch. */
  readonly gatherMs: number
  /** First wait between polls of a batch; it doubles up to `maxPollMs`. */
  readonly pollMs: number
  readonly maxPollMs: number
  /** Polls that may fail in a row (the API unreachable) before the batch is given up on. */
  readonly pollFailures: number
}

/** Half a second to gather, polls from 5 s doubling to a minute. */
export const DEFAULT_BATCH_SETTINGS: BatchSettings = Object.freeze({
  gatherMs: 500,
  pollMs: 5_000,
  maxPollMs: 60_000,
  pollFailures: 8,
})

/** What a batching provider needs besides the provider it batches for. */
export interface BatchQueueOptions {
  /** The provider's name in config. */
  readonly name: string
  readonly settings: BatchSettings
  readonly clock: Clock
  readonly logger: Logger
  /** Batches an earlier process of the run submitted: their requests are collected, not sent again. */
  readonly resumed: readonly StoredBatch[]
  /** Records a batch as soon as it is submitted, before its results are waited for. */
  readonly onSubmit: (batch: StoredBatch) => Promise<void>
  /** The run's stop: nothing is submitted or polled after it aborts. */
  readonly stop: AbortSignal
  /** How to collect what is left after a stop, for the messages (`shipgate eval --resume RUN`). */
  readonly resumeHint: string
  /** Calls sent live at once (requests a batch did not answer): the provider's concurrency. */
  readonly liveConcurrency: number
}

/** A provider with a batch API. */
export type BatchCapable = Provider & { readonly batch: ProviderBatchApi }

/** A request waiting for its batch. */
interface Waiting {
  readonly customId: string
  readonly body: string
  readonly request: CompletionRequest
  resolve(outcome: BatchOutcome): void
}

/** A call cut off by its signal (a stop): the batch goes on, `--resume` collects it. */
const CUT: CompletionResult = {
  ok: false,
  error: { kind: 'unknown', message: 'call aborted', retryable: false },
}

/**
 * Wraps a provider with a batch API: its calls are gathered into batches (submitted once no new
 * call came for `gatherMs`, or when a batch is full), each batch polled with backoff until it
 * ends, and each call answered from its result. A request the batch did not run (expired,
 * cancelled, a failed batch) or that failed in a way worth retrying is sent again live; other
 * failures are the call's failure, as live. Identical requests (repeats) share a body: each gets
 * its own entry in the batch.
 */
export class BatchingProvider implements Provider {
  readonly id: string
  readonly type: string
  readonly model: string | undefined
  readonly embed?: (
    texts: readonly string[],
    options: { signal: AbortSignal },
  ) => Promise<EmbeddingResult>
  private readonly api: ProviderBatchApi
  private waiting: Waiting[] = []
  private waitingBytes = 0
  private cancelGather: (() => void) | undefined
  /** Entries per request body (by key), for custom ids unique in a batch. */
  private readonly occurrences = new Map<string, number>()
  /** Entries of resumed batches not yet taken, by request key. */
  private readonly resumable = new Map<string, { batch: string; customId: string }[]>()
  /** Results of batches being collected, by batch id. */
  private readonly collecting = new Map<string, Promise<BatchResults>>()
  /** Keys of requests that go live from now on: their batch did not answer them. */
  private readonly live = new Set<string>()
  private readonly liveSlots: Slots

  constructor(
    private readonly inner: BatchCapable,
    private readonly options: BatchQueueOptions,
  ) {
    this.id = inner.id
    this.type = inner.type
    this.model = inner.model
    this.api = inner.batch
    this.liveSlots = new Slots(options.liveConcurrency)
    if (inner.embed !== undefined) this.embed = inner.embed.bind(inner)
    for (const batch of options.resumed) {
      if (batch.provider !== options.name) continue
      for (const customId of batch.requests) {
        const key = keyOf(customId)
        const list = this.resumable.get(key) ?? []
        list.push({ batch: batch.id, customId })
        this.resumable.set(key, list)
      }
    }
  }

  async complete(
    request: CompletionRequest,
    { signal }: { signal: AbortSignal },
  ): Promise<CompletionResult> {
    const body = this.api.encode(request)
    const key = sha256(body).slice(0, 32)
    if (this.live.has(key)) return this.goLive(request, signal)
    const earlier = this.resumable.get(key)?.shift()
    const outcome =
      earlier === undefined
        ? this.enqueue(key, body, request)
        : this.collect(earlier.batch).then((results) => results.outcome(earlier.customId, request))
    const settled = await untilAborted(outcome, signal)
    if (settled === undefined) return CUT
    if (!settled.ran || (!settled.result.ok && settled.result.error.retryable)) {
      this.live.add(key)
      return this.goLive(request, signal)
    }
    return settled.result
  }

  /** A call the batch did not answer, sent live under the provider's concurrency. */
  private async goLive(request: CompletionRequest, signal: AbortSignal): Promise<CompletionResult> {
    if (!(await this.liveSlots.acquire(signal))) return CUT
    try {
      return await this.inner.complete(request, { signal })
    } finally {
      this.liveSlots.release()
    }
  }

  close(): Promise<void> {
    this.cancelGather?.()
    return this.inner.close?.() ?? Promise.resolve()
  }

  /** Adds a request to the batch being gathered; resolves with its outcome. */
  private enqueue(key: string, body: string, request: CompletionRequest): Promise<BatchOutcome> {
    const n = this.occurrences.get(key) ?? 0
    this.occurrences.set(key, n + 1)
    const bytes = body.length + 128
    if (this.waiting.length > 0) {
      const full =
        this.waiting.length >= this.api.maxRequests || this.waitingBytes + bytes > this.api.maxBytes
      if (full) this.submitWaiting()
    }
    return new Promise((resolve) => {
      this.waiting.push({ customId: `${key}-${n}`, body, request, resolve })
      this.waitingBytes += bytes
      this.cancelGather?.()
      this.cancelGather = this.options.clock.setTimer(this.options.settings.gatherMs, () =>
        this.submitWaiting(),
      )
    })
  }

  /** Submits what was gathered as one batch, then waits for it and answers each request. */
  private submitWaiting(): void {
    this.cancelGather?.()
    this.cancelGather = undefined
    const entries = this.waiting
    this.waiting = []
    this.waitingBytes = 0
    if (entries.length === 0) return
    void this.submit(entries)
  }

  private async submit(entries: readonly Waiting[]): Promise<void> {
    const { options } = this
    const { stop, logger, name } = options
    if (stop.aborted) return
    let id: string
    try {
      id = await this.api.submit(entries, stop)
    } catch (error) {
      // Stopped: the calls wait to be cut off, never settled as failures (a resume runs them).
      if (stop.aborted) return
      // Nothing was queued at the API: every request goes live.
      const reason = `the batch could not be submitted: ${errorMessage(error)}`
      logger.warn(`${name}: ${reason}; sending its ${entries.length} requests live`)
      for (const entry of entries) entry.resolve({ ran: false, reason })
      return
    }
    const submittedAt = new Date(options.clock.now()).toISOString()
    const requests = entries.map((e) => e.customId)
    try {
      await options.onSubmit({ id, provider: name, submittedAt, requests })
    } catch (error) {
      logger.warn(`${name}: batch ${id} could not be recorded: ${errorMessage(error)}`)
    }
    logger.info(`${name}: batch ${id} of ${entries.length} requests submitted`)
    const results = await this.collect(id)
    for (const entry of entries) entry.resolve(results.outcome(entry.customId, entry.request))
  }

  /** The results of a batch, polled for once however many requests wait on it. */
  private collect(id: string): Promise<BatchResults> {
    let results = this.collecting.get(id)
    if (results === undefined) {
      results = this.poll(id)
      this.collecting.set(id, results)
    }
    return results
  }

  private async poll(id: string): Promise<BatchResults> {
    const { settings, clock, stop, logger, name, resumeHint } = this.options
    let wait = settings.pollMs
    let failures = 0
    let said = ''
    const left = (): Promise<BatchResults> => {
      logger.warn(`${name}: batch ${id} is left to run at the API; ${resumeHint}`)
      return STOPPED
    }
    for (;;) {
      if (stop.aborted) return left()
      try {
        const status = await this.api.status(id, stop)
        failures = 0
        if (status.status !== said) logger.debug(`${name}: batch ${id} is ${status.status}`)
        said = status.status
        if (status.ended) {
          const results = await this.api.results(id, stop)
          const ended = BatchResults.of(results, status.failure)
          logger.info(`${name}: batch ${id} ${status.status}: ${ended.describe()}`)
          return ended
        }
        if (status.replayed) continue
      } catch (error) {
        if (stop.aborted) return left()
        failures += 1
        if (failures > settings.pollFailures) {
          const why = `batch ${id} could not be read: ${errorMessage(error)}`
          logger.warn(`${name}: ${why}`)
          return BatchResults.failed(why, resumeHint)
        }
      }
      await clock.sleep(wait, stop)
      wait = Math.min(wait * 2, settings.maxPollMs)
    }
  }
}

/** A counting semaphore whose waiters leave when their signal aborts. */
class Slots {
  private active = 0
  private readonly queue: (() => void)[] = []

  constructor(private readonly limit: number) {}

  /** Resolves `true` with a slot held, or `false` when `signal` aborted first. */
  acquire(signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false)
    if (this.active < this.limit) {
      this.active += 1
      return Promise.resolve(true)
    }
    return new Promise((resolve) => {
      const wake = (): void => {
        signal.removeEventListener('abort', leave)
        this.active += 1
        resolve(true)
      }
      const leave = (): void => {
        const at = this.queue.indexOf(wake)
        if (at >= 0) this.queue.splice(at, 1)
        resolve(false)
      }
      signal.addEventListener('abort', leave, { once: true })
      this.queue.push(wake)
    })
  }

  release(): void {
    this.active -= 1
    this.queue.shift()?.()
  }
}

/** An ended batch's results, or why they could not be had. */
class BatchResults {
  private constructor(
    private readonly results: ReadonlyMap<string, BatchResult> | undefined,
    /** Why the batch did not run its requests (a failed batch), or why it could not be read. */
    private readonly failure: string | undefined,
    /** For a batch that could not be read: the way to collect it later. */
    private readonly hint: string | undefined,
  ) {}

  static of(results: ReadonlyMap<string, BatchResult>, failure: string | undefined): BatchResults {
    return new BatchResults(results, failure, undefined)
  }

  /** A batch that may still answer: its requests fail (nothing is paid twice), with the hint. */
  static failed(why: string, hint: string): BatchResults {
    return new BatchResults(undefined, why, hint)
  }

  /** The outcome of one request; `request` reads a structured answer as its live call would. */
  outcome(customId: string, request: CompletionRequest): BatchOutcome {
    if (this.results === undefined) {
      const message = `${this.failure ?? 'the batch could not be read'}: ${this.hint ?? ''}`
      return {
        ran: true,
        result: { ok: false, error: { kind: 'unavailable', message, retryable: false } },
      }
    }
    const result = this.results.get(customId)
    if (result === undefined) {
      return { ran: false, reason: this.failure ?? 'the batch has no result for this request' }
    }
    return result(request)
  }

  describe(): string {
    return this.failure === undefined
      ? `${this.results?.size ?? 0} results`
      : `${this.failure} (${this.results?.size ?? 0} results)`
  }
}

/**
 * Results of a batch polled when the run stopped: never. Its calls wait until the run cuts them
 * off, so they are not stored as failures, and `--resume` collects the batch.
 */
const STOPPED: Promise<BatchResults> = new Promise(() => undefined)

/** The request key of a custom id (`<key>-<n>`). */
function keyOf(customId: string): string {
  const dash = customId.lastIndexOf('-')
  return dash < 0 ? customId : customId.slice(0, dash)
}
