import { tally } from './batch-state.js'
import type { BatchJob } from './batch-state.js'
import type { BatchErrorEntry } from './openai-batch-input.js'

/** The endpoints the fake runs batches of. */
export type Endpoint = '/v1/chat/completions' | '/v1/responses'

/** What the OpenAI Batch API fake adds to a batch. */
export interface OpenAIBatchMeta {
  readonly endpoint: Endpoint
  readonly inputFileId: string
  readonly metadata: unknown
  readonly model: string | undefined
  /** Non-empty for a batch that fails validation. */
  readonly errors: readonly BatchErrorEntry[]
  /** The create request's headers, which `reply` sees for every line. */
  readonly headers: Record<string, string>
  /** The output and error file ids, once the batch has ended (null: no such lines). */
  files: { readonly output: string | null; readonly error: string | null } | undefined
}

type Meta = OpenAIBatchMeta

/** A batch's `status` (the fake never reports `finalizing`). */
export type Status =
  'validating' | 'failed' | 'in_progress' | 'completed' | 'expired' | 'cancelling' | 'cancelled'

/** The batch's `status`, from its phase, validation and results. */
export function batchStatus(job: BatchJob<Meta>): Status {
  if (job.phase === 'canceling') return 'cancelling'
  if (job.phase === 'running') return job.polls === 0 ? 'validating' : 'in_progress'
  if (job.cancelAt !== undefined) return 'cancelled'
  if (job.meta.errors.length > 0) return 'failed'
  return tally(job).expired > 0 ? 'expired' : 'completed'
}

/** The `batch` object, every field the API sends present (null when unset). */
export function batchObject(job: BatchJob<Meta>): {
  readonly status: Status
  readonly [key: string]: unknown
} {
  const now = batchStatus(job)
  const created = seconds(job.createdAt)
  const ended = maybeSeconds(job.endedAt)
  const at = (...when: Status[]): number | null => (when.includes(now) ? ended : null)
  const refused = job.meta.errors.length > 0
  return {
    id: job.record.id,
    object: 'batch',
    endpoint: job.meta.endpoint,
    errors: refused ? { object: 'list', data: job.meta.errors } : null,
    input_file_id: job.meta.inputFileId,
    completion_window: '24h',
    status: now,
    output_file_id: job.meta.files?.output ?? null,
    error_file_id: job.meta.files?.error ?? null,
    created_at: created,
    in_progress_at: job.polls > 0 && !refused ? created : null,
    expires_at: created + 24 * 3600,
    finalizing_at: at('completed', 'expired'),
    completed_at: at('completed'),
    failed_at: at('failed'),
    expired_at: at('expired'),
    cancelling_at: maybeSeconds(job.cancelAt),
    cancelled_at: at('cancelled'),
    request_counts: counts(job, refused),
    metadata: job.meta.metadata,
    model: job.meta.model ?? null,
    usage: usage(job),
  }
}

function seconds(ms: number): number {
  return Math.floor(ms / 1000)
}

function maybeSeconds(ms: number | undefined): number | null {
  return ms === undefined ? null : seconds(ms)
}

/** `completed` counts the 200s; `failed` every other processed request (expired, cancelled too). */
function counts(job: BatchJob<Meta>, refused: boolean): object {
  if (refused) return { total: 0, completed: 0, failed: 0 }
  const t = tally(job)
  return {
    total: job.lines.length,
    completed: t.succeeded,
    failed: t.errored + t.expired + t.canceled,
  }
}

/** The summed usage of the requests answered so far. */
function usage(job: BatchJob<Meta>): object {
  const sum = { input: 0, output: 0, cacheRead: 0, reasoning: 0 }
  for (const { result } of job.lines) {
    if (result?.kind !== 'succeeded' || result.usage === undefined) continue
    sum.input += result.usage.input
    sum.output += result.usage.output
    sum.cacheRead += result.usage.cacheRead
    sum.reasoning += result.usage.reasoning
  }
  return {
    input_tokens: sum.input,
    input_tokens_details: { cached_tokens: sum.cacheRead },
    output_tokens: sum.output,
    output_tokens_details: { reasoning_tokens: sum.reasoning },
    total_tokens: sum.input + sum.output,
  }
}
