import type Anthropic from '@anthropic-ai/sdk'
import type {
  BatchEntry,
  BatchOutcome,
  BatchResult,
  BatchStatus,
  CompletionRequest,
  ProviderBatchApi,
  ProviderError,
} from '../../contracts/provider.js'
import { byCustomId, notRun, ran, ranWith, replayed, unreadable, waitMs } from '../batch-shared.js'
import { messageAnswer, toolInputOf } from './answers.js'

/** How the provider's requests look inside a batch. */
export interface AnthropicBatchWire {
  /** The unstreamed params of a request. */
  readonly encode: (request: CompletionRequest) => string
  readonly apiKeyEnv: string
}

/** Error types of a request that ran and failed but may succeed if sent again. */
const RETRYABLE = new Set(['api_error', 'overloaded_error', 'rate_limit_error', 'timeout_error'])

/**
 * Anthropic's Message Batches: the requests' params sent in one body, the batch polled until
 * its processing has ended, and its results read from the JSONL at `results_url`.
 */
export class AnthropicBatches implements ProviderBatchApi {
  /** The API's limits: 100,000 requests and 256 MB (the rest is left for the framing). */
  readonly maxRequests = 100_000
  readonly maxBytes = 240 * 1024 * 1024

  constructor(
    private readonly client: Anthropic,
    private readonly wire: AnthropicBatchWire,
  ) {}

  encode(request: CompletionRequest): string {
    return this.wire.encode(request)
  }

  async submit(entries: readonly BatchEntry[], signal: AbortSignal): Promise<string> {
    const requests = byCustomId(entries).map((e) => ({
      custom_id: e.customId,
      params: JSON.parse(e.body) as Anthropic.MessageCreateParamsNonStreaming,
    }))
    const batch = await this.client.messages.batches.create({ requests }, { signal })
    return batch.id
  }

  async status(id: string, signal: AbortSignal): Promise<BatchStatus> {
    const { data, response } = await this.client.messages.batches
      .retrieve(id, {}, { signal })
      .withResponse()
    return {
      ended: data.processing_status === 'ended',
      status: data.processing_status,
      replayed: replayed(response),
    }
  }

  async results(id: string, signal: AbortSignal): Promise<ReadonlyMap<string, BatchResult>> {
    const { data: batch, response } = await this.client.messages.batches
      .retrieve(id, {}, { signal })
      .withResponse()
    const timing = {
      latencyMs: waitMs(batch.created_at, batch.ended_at),
      cached: replayed(response),
    }
    const outcomes = new Map<string, BatchResult>()
    const lines = await this.client.messages.batches.results(id, {}, { signal })
    for await (const line of lines) {
      const { result } = line
      outcomes.set(line.custom_id, (request) =>
        this.outcomeOf(result, request.structured !== undefined, timing),
      )
    }
    return outcomes
  }

  private outcomeOf(
    result: Anthropic.Messages.MessageBatchResult,
    structured: boolean,
    timing: { latencyMs: number; cached: boolean },
  ): BatchOutcome {
    if (result.type === 'expired') return notRun('the batch expired before this request ran')
    if (result.type === 'canceled') return notRun('the batch was cancelled before this request ran')
    if (result.type === 'errored') return ranWith(errorOf(result.error, this.wire.apiKeyEnv))
    try {
      const answer = messageAnswer(result.message, structured ? toolInputOf : undefined)
      return ran({ ok: true, ...answer, ...timing, batched: true })
    } catch (e) {
      return unreadable(e)
    }
  }
}

/** A request's error, by its type as the live API would give it by status. */
function errorOf(response: Anthropic.ErrorResponse, apiKeyEnv: string): ProviderError {
  const type = response.error.type
  const message = `${type}: ${response.error.message}`
  if (type === 'authentication_error' || type === 'permission_error') {
    return { kind: 'auth', message, retryable: false, hint: `check the key in ${apiKeyEnv}` }
  }
  if (type === 'rate_limit_error') return { kind: 'rate_limited', message, retryable: true }
  if (type === 'timeout_error') return { kind: 'timeout', message, retryable: true }
  if (RETRYABLE.has(type)) return { kind: 'unavailable', message, retryable: true }
  return { kind: 'bad_request', message, retryable: false }
}
