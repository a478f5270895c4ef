/* The state both Batch API fakes share: options, counters, and a batch's lines as it advances. */
import type { RenderedAnswer, TextAnswer } from './answer.js'
import type { FakeErrorStatus } from './server.js'

/**
 * What happens to one request of a batch: `ok` (answered as the fake's `reply` says, the same
 * answer a live request gets), `expired` (not run before the window closed), `error` (a 500
 * server error), or an error of the given status and message.
 */
export type FakeBatchOutcome =
  'ok' | 'expired' | 'error' | { readonly error: FakeErrorStatus; readonly message?: string }

/** Why a whole batch is refused: an entry of OpenAI's `errors.data`, or Anthropic's 400 message. */
export interface FakeBatchRefusal {
  /** E.g. `invalid_request`, `too_many_tasks`; only OpenAI reports it. */
  readonly code: string
  readonly message: string
  /** The 1-based input file line at fault (OpenAI), if any. */
  readonly line?: number
}

/** Options of the Batch API fakes (`batch` of `startFakeOpenAI` and `startFakeAnthropic`). */
export interface FakeBatchOptions {
  /**
   * Retrieves of a batch answered "in progress" before the batch ends (default 1): the batch
   * ends on retrieve number `pollsBeforeDone + 1`. Requests finish progressively meanwhile, so a
   * batch cancelled early has some results.
   */
  readonly pollsBeforeDone?: number
  /**
   * The outcome of each request, by its `custom_id` and 0-based position in its batch; default
   * `ok`. Asked once, when the request is processed.
   */
  readonly outcome?: (customId: string, position: number) => FakeBatchOutcome
  /**
   * Refuses a whole batch when it returns a refusal: OpenAI creates it, then its first retrieve
   * says `failed` with the refusal in `errors.data`; Anthropic answers the create with a 400
   * `invalid_request_error`. `index` is the 0-based number of the creation on this fake.
   */
  readonly refuse?: (batch: {
    readonly index: number
    readonly customIds: readonly string[]
  }) => FakeBatchRefusal | undefined
}

/** One batch as the fake holds it. */
export interface FakeBatchRecord {
  /** `batch_…` or `msgbatch_…`. */
  readonly id: string
  /** The `custom_id` of each request, in input order. */
  readonly customIds: readonly string[]
  /** The status it was last answered with (OpenAI `status`, Anthropic `processing_status`). */
  readonly status: string
  /** Retrieves of this batch so far. */
  readonly retrieves: number
}

/** What a Batch API fake counts; the lists and counters update in place. */
export interface FakeBatches {
  /** Batches created (a refused OpenAI batch counts: it was created, then failed). */
  readonly submitted: number
  /** `GET` of a batch (Anthropic's SDK retrieves before downloading results: that counts). */
  readonly retrieves: number
  /** Downloads of results: OpenAI output or error file contents, Anthropic results. */
  readonly resultsDownloads: number
  /** Cancel requests. */
  readonly cancels: number
  /** OpenAI file uploads (always 0 for Anthropic). */
  readonly uploads: number
  /** Every batch created, in creation order. */
  readonly list: readonly FakeBatchRecord[]
}

/** The final result of one request of a batch. */
export type LineResult =
  | { readonly kind: 'succeeded'; readonly body: unknown; readonly usage: Usage | undefined }
  | { readonly kind: 'errored'; readonly status: FakeErrorStatus; readonly body: unknown }
  | { readonly kind: 'expired' }
  | { readonly kind: 'canceled' }

type Usage = TextAnswer['usage']

/** One request of a batch. */
export interface BatchLine {
  readonly customId: string
  /** 0-based position in its batch. */
  readonly position: number
  /** 0-based number among every batch line of the fake: the `index` its `reply` sees. */
  readonly index: number
  /** The request body (OpenAI `body`, Anthropic `params`). */
  readonly body: unknown
  /** Set once processed. */
  result: LineResult | undefined
}

interface MutableRecord {
  id: string
  customIds: string[]
  status: string
  retrieves: number
}

/** A batch, with what each API adds to it (`meta`). */
export interface BatchJob<TMeta> {
  readonly record: MutableRecord
  readonly lines: readonly BatchLine[]
  readonly meta: TMeta
  /** `Date.now()` at creation. */
  readonly createdAt: number
  phase: 'running' | 'canceling' | 'ended'
  /** Retrieves so far (the same as `record.retrieves`). */
  polls: number
  endedAt: number | undefined
  cancelAt: number | undefined
  queue: Promise<void>
}

/** The counters and batches of one fake. */
export class BatchLedger<TMeta> implements FakeBatches {
  submitted = 0
  retrieves = 0
  resultsDownloads = 0
  cancels = 0
  uploads = 0
  readonly list: MutableRecord[] = []
  readonly #jobs = new Map<string, BatchJob<TMeta>>()
  #lines = 0

  /** Stores a new batch of `requests` and counts it as submitted. */
  create(
    id: string,
    requests: readonly { readonly customId: string; readonly body: unknown }[],
    meta: TMeta,
  ): BatchJob<TMeta> {
    const lines = requests.map((r, position) => ({
      customId: r.customId,
      position,
      index: this.#lines + position,
      body: r.body,
      result: undefined,
    }))
    this.#lines += lines.length
    const record = { id, customIds: lines.map((l) => l.customId), status: '', retrieves: 0 }
    const job: BatchJob<TMeta> = {
      record,
      lines,
      meta,
      createdAt: Date.now(),
      phase: 'running',
      polls: 0,
      endedAt: undefined,
      cancelAt: undefined,
      queue: Promise.resolve(),
    }
    this.list.push(record)
    this.#jobs.set(id, job)
    this.submitted += 1
    return job
  }

  /** The batch with this id, if this fake created it. */
  get(id: string): BatchJob<TMeta> | undefined {
    return this.#jobs.get(id)
  }
}

/** Processes one request: asked once, when the batch gets round to it. */
export type Settle = (line: BatchLine) => Promise<LineResult>

/**
 * Counts a retrieve and advances the batch by one step: after retrieve r of P
 * (`pollsBeforeDone`), the first floor(n·r/(P+1)) requests are processed; retrieve P+1 ends it.
 * A cancelling batch ends on its next retrieve, its unprocessed requests `canceled`; a refused
 * batch (`refused`) ends on its first, none of its requests processed. Steps of one batch run one at a time.
 */
export function advance<TMeta>(
  job: BatchJob<TMeta>,
  options: FakeBatchOptions | undefined,
  settle: Settle,
  refused = false,
): Promise<void> {
  job.polls += 1
  job.record.retrieves = job.polls
  const polls = job.polls
  const run = job.queue.then(() => step(job, polls, options?.pollsBeforeDone ?? 1, settle, refused))
  job.queue = run.catch(() => undefined) // a failed step fails its retrieve, not the next ones
  return run
}

async function step<TMeta>(
  job: BatchJob<TMeta>,
  polls: number,
  pollsBeforeDone: number,
  settle: Settle,
  refused: boolean,
): Promise<void> {
  if (job.phase === 'ended') return
  if (job.phase === 'canceling') {
    for (const line of job.lines) line.result ??= { kind: 'canceled' }
    return end(job)
  }
  if (refused) return end(job)
  const total = job.lines.length
  const done = polls > pollsBeforeDone ? total : Math.floor((total * polls) / (pollsBeforeDone + 1))
  for (const line of job.lines.slice(0, done)) line.result ??= await settle(line)
  if (done === total) end(job)
}

function end<TMeta>(job: BatchJob<TMeta>): void {
  job.phase = 'ended'
  job.endedAt = Date.now()
}

/** Starts cancelling a running batch; false when it has already ended or is cancelling. */
export function cancel<TMeta>(job: BatchJob<TMeta>): boolean {
  if (job.phase !== 'running') return false
  job.phase = 'canceling'
  job.cancelAt = Date.now()
  return true
}

/**
 * The result of one request: its `outcome` first, then (for `ok`) the answer `render` gives,
 * which is what a live request with the same body gets. A `hang` answer expires.
 */
export async function settleLine(
  line: BatchLine,
  options: FakeBatchOptions | undefined,
  errorBody: (status: FakeErrorStatus, message: string | undefined) => unknown,
  render: () => Promise<RenderedAnswer>,
): Promise<LineResult> {
  const outcome = options?.outcome?.(line.customId, line.position) ?? 'ok'
  if (outcome === 'expired') return { kind: 'expired' }
  if (outcome !== 'ok') {
    const { error: status, message } = outcome === 'error' ? { error: 500 as const } : outcome
    return { kind: 'errored', status, body: errorBody(status, message) }
  }
  const rendered = await render()
  if (rendered.kind === 'none') return { kind: 'expired' }
  if (rendered.kind === 'error') return { ...rendered, kind: 'errored' }
  return { kind: 'succeeded', body: rendered.body, usage: rendered.usage }
}

/** How many processed requests ended each way; `processing` counts the rest. */
export function tally<TMeta>(
  job: BatchJob<TMeta>,
): Record<LineResult['kind'] | 'processing', number> {
  const counts = { processing: 0, succeeded: 0, errored: 0, expired: 0, canceled: 0 }
  for (const line of job.lines) counts[line.result?.kind ?? 'processing'] += 1
  return counts
}

/**
 * The processed lines in the order their results are written: not the input order (neither
 * API keeps it), but a fixed shuffle by a hash of the `custom_id`.
 */
export function resultOrder<TMeta>(job: BatchJob<TMeta>): BatchLine[] {
  const keyed = job.lines
    .filter((l) => l.result !== undefined)
    .map((l) => [fnv1a(l.customId), l] as const)
  return keyed.sort((a, b) => a[0] - b[0] || a[1].position - b[1].position).map(([, l]) => l)
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193)
  return hash >>> 0
}
