import type OpenAI from 'openai'
import { toFile } from 'openai'
import type {
  BatchEntry,
  BatchOutcome,
  BatchResult,
  BatchStatus,
  CompletionRequest,
  ProviderBatchApi,
} from '../../contracts/provider.js'
import {
  byCustomId,
  jsonLines,
  notRun,
  ran,
  ranWith,
  replayed,
  unreadable,
  waitMs,
} from '../batch-shared.js'
import { failureOfStatus } from '../http-shared.js'
import type { Answer } from './streams.js'

/** How the provider's requests and answers look inside a batch. */
export interface OpenAIBatchWire {
  /** The endpoint every request of the provider's batches goes to. */
  readonly endpoint: '/v1/chat/completions' | '/v1/responses'
  /** The unstreamed body of a request. */
  readonly encode: (request: CompletionRequest) => string
  /** Reads an answer body as a live unstreamed call would; throws for a body that is none. */
  readonly read: (body: unknown, structured: boolean) => Answer
  readonly apiKeyEnv: string | undefined
}

/** Statuses after which no request of the batch runs any more. */
const ENDED = new Set(['completed', 'failed', 'expired', 'cancelled'])

/** One line of a batch's output or error file. */
interface ResultLine {
  readonly custom_id?: unknown
  readonly response?: { readonly status_code?: unknown; readonly body?: unknown } | null
  readonly error?: { readonly code?: unknown; readonly message?: unknown } | null
}

/**
 * The OpenAI Batch API: a JSONL file of requests uploaded with purpose `batch`, a batch over it
 * with a 24 h window, polled until it ends, and its output and error files read back.
 */
export class OpenAIBatches implements ProviderBatchApi {
  /** The API's limits: 50,000 requests and a 200 MB file (the rest is left for line framing). */
  readonly maxRequests = 50_000
  readonly maxBytes = 190 * 1024 * 1024

  constructor(
    private readonly client: OpenAI,
    private readonly wire: OpenAIBatchWire,
  ) {}

  encode(request: CompletionRequest): string {
    return this.wire.encode(request)
  }

  async submit(entries: readonly BatchEntry[], signal: AbortSignal): Promise<string> {
    const url = JSON.stringify(this.wire.endpoint)
    const lines = byCustomId(entries).map(
      (e) =>
        `{"custom_id":${JSON.stringify(e.customId)},"method":"POST","url":${url},"body":${e.body}}\n`,
    )
    const file = await this.client.files.create(
      { file: await toFile(Buffer.from(lines.join('')), 'shipgate-batch.jsonl'), purpose: 'batch' },
      { signal },
    )
    const batch = await this.client.batches.create(
      { input_file_id: file.id, endpoint: this.wire.endpoint, completion_window: '24h' },
      { signal },
    )
    return batch.id
  }

  async status(id: string, signal: AbortSignal): Promise<BatchStatus> {
    const { data, response } = await this.client.batches.retrieve(id, { signal }).withResponse()
    const failure =
      data.status === 'failed'
        ? (data.errors?.data ?? []).map((e) => e.message ?? e.code ?? 'failed').join('; ') ||
          'the batch failed'
        : undefined
    return {
      ended: ENDED.has(data.status),
      status: data.status,
      ...(failure === undefined ? {} : { failure }),
      replayed: replayed(response),
    }
  }

  async results(id: string, signal: AbortSignal): Promise<ReadonlyMap<string, BatchResult>> {
    const { data: batch, response } = await this.client.batches
      .retrieve(id, { signal })
      .withResponse()
    const ended = batch.completed_at ?? batch.expired_at ?? batch.cancelled_at ?? batch.failed_at
    const timing = { latencyMs: waitMs(batch.created_at, ended), cached: replayed(response) }
    const outcomes = new Map<string, BatchResult>()
    for (const file of [batch.output_file_id, batch.error_file_id]) {
      if (file === undefined || file === null) continue
      const text = await (await this.client.files.content(file, { signal })).text()
      for (const line of jsonLines(text) as ResultLine[]) {
        if (typeof line.custom_id !== 'string') continue
        outcomes.set(line.custom_id, (request) =>
          this.outcomeOf(line, request.structured !== undefined, timing),
        )
      }
    }
    return outcomes
  }

  private outcomeOf(
    line: ResultLine,
    structured: boolean,
    timing: { latencyMs: number; cached: boolean },
  ): BatchOutcome {
    const { response, error } = line
    if (response === null || response === undefined) {
      const code = typeof error?.code === 'string' ? error.code : 'not run'
      const message = typeof error?.message === 'string' ? error.message : 'no response'
      return notRun(`${code}: ${message}`)
    }
    const status = typeof response.status_code === 'number' ? response.status_code : 0
    if (status < 200 || status >= 300) {
      const body = response.body as { error?: { message?: unknown } } | null | undefined
      const said = body?.error?.message
      const message = typeof said === 'string' ? said : `status ${status}`
      return ranWith(failureOfStatus(status, message, { apiKeyEnv: this.wire.apiKeyEnv }))
    }
    let answer: Answer
    try {
      answer = this.wire.read(response.body, structured)
    } catch (e) {
      return unreadable(e)
    }
    if (answer.refusal !== undefined) {
      const message = `the model refused: ${answer.refusal}`
      return ranWith({ kind: 'bad_request', message, retryable: false })
    }
    return ran({
      ok: true,
      output: answer.output,
      usage: answer.usage,
      latencyMs: timing.latencyMs,
      cached: timing.cached,
      ...(answer.model === undefined ? {} : { model: answer.model }),
      ...(answer.toolCalls === undefined ? {} : { toolCalls: answer.toolCalls }),
      batched: true,
    })
  }
}
