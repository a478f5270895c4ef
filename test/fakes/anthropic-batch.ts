import { messageCall, renderCall } from './anthropic-calls.js'
import { anthropicWire } from './anthropic-wire.js'
import type { FakeAnthropicOptions } from './anthropic.js'
import { advance, BatchLedger, cancel, resultOrder, settleLine, tally } from './batch-state.js'
import type { BatchJob, BatchLine, LineResult } from './batch-state.js'
import { isRecord } from './prompt.js'
import { sendError } from './answer.js'
import { writeJson } from './server.js'
import type { Exchange, FakeErrorStatus } from './server.js'

/** What the Message Batches fake adds to a batch: the create request's headers. */
interface Meta {
  readonly headers: Record<string, string>
}

/** The Message Batches state of one Anthropic fake. */
export class AnthropicBatches {
  readonly ledger = new BatchLedger<Meta>()
  /** The fake's own base URL, for `results_url`; set once the server listens. */
  baseUrl = ''
  constructor(readonly options: FakeAnthropicOptions) {}
}

type Handler = (ex: Exchange, state: AnthropicBatches, id: string) => Promise<void> | void

const ROUTES: readonly (readonly [string, RegExp, Handler])[] = [
  ['POST', /^\/v1\/messages\/batches$/, createBatch],
  ['GET', /^\/v1\/messages\/batches\/([^/]+)$/, retrieveBatch],
  ['GET', /^\/v1\/messages\/batches\/([^/]+)\/results$/, downloadResults],
  ['POST', /^\/v1\/messages\/batches\/([^/]+)\/cancel$/, cancelBatch],
]

/** The Message Batches handler of a route (a path without its query), if it is one. */
export function batchRoute(
  method: string,
  route: string,
): ((ex: Exchange, state: AnthropicBatches) => Promise<void>) | undefined {
  for (const [verb, pattern, handler] of ROUTES) {
    const match = verb === method ? pattern.exec(route) : null
    if (match !== null) return async (ex, state) => handler(ex, state, match[1] ?? '')
  }
  return undefined
}

function fail(ex: Exchange, status: FakeErrorStatus, message: string): void {
  sendError(ex, anthropicWire(ex.index), status, message)
}

const CUSTOM_ID = /^[a-zA-Z0-9_-]{1,64}$/

function createBatch(ex: Exchange, state: AnthropicBatches): void {
  const requests = readRequests(ex.request.body)
  if (typeof requests === 'string') return fail(ex, 400, requests)
  const customIds = requests.map((r) => r.customId)
  const refusal = state.options.batch?.refuse?.({ index: state.ledger.submitted, customIds })
  if (refusal !== undefined) return fail(ex, 400, refusal.message)
  const id = `msgbatch_fake${String(state.ledger.submitted).padStart(6, '0')}`
  answerBatch(ex, state, state.ledger.create(id, requests, { headers: ex.request.headers }))
}

/** The requests of a create body, or what the real API would say is wrong with it. */
function readRequests(body: unknown): { customId: string; body: unknown }[] | string {
  const requests = isRecord(body) ? body.requests : undefined
  if (!Array.isArray(requests)) return 'requests: Field required'
  if (requests.length === 0)
    return 'requests: List should have at least 1 item after validation, not 0'
  const seen = new Set<string>()
  const read: { customId: string; body: unknown }[] = []
  for (const [i, request] of requests.entries()) {
    const customId: unknown = isRecord(request) ? request.custom_id : undefined
    if (typeof customId !== 'string' || !CUSTOM_ID.test(customId)) {
      return `requests.${i}.custom_id: String should match pattern '${CUSTOM_ID.source}'`
    }
    if (seen.has(customId))
      return `requests.${i}.custom_id: duplicate custom_id '${customId}'; each must be unique`
    if (!isRecord(request) || !isRecord(request.params))
      return `requests.${i}.params: Field required`
    seen.add(customId)
    read.push({ customId, body: request.params })
  }
  return read
}

async function retrieveBatch(ex: Exchange, state: AnthropicBatches, id: string): Promise<void> {
  const job = state.ledger.get(id)
  if (job === undefined) return fail(ex, 404, `No message batch with id ${id}`)
  state.ledger.retrieves += 1
  await advance(job, state.options.batch, (line) => settleAnthropic(state, job, line))
  answerBatch(ex, state, job)
}

function cancelBatch(ex: Exchange, state: AnthropicBatches, id: string): void {
  const job = state.ledger.get(id)
  if (job === undefined) return fail(ex, 404, `No message batch with id ${id}`)
  state.ledger.cancels += 1
  if (!cancel(job) && job.phase === 'ended')
    return fail(ex, 400, `Message batch ${id} has ended and cannot be canceled.`)
  answerBatch(ex, state, job)
}

/** `GET …/results`: the JSONL of every result, shuffled, once the batch has ended. */
function downloadResults(ex: Exchange, state: AnthropicBatches, id: string): void {
  const job = state.ledger.get(id)
  if (job === undefined) return fail(ex, 404, `No message batch with id ${id}`)
  if (job.phase !== 'ended')
    return fail(ex, 404, `Message batch ${id} has no results until it has ended.`)
  state.ledger.resultsDownloads += 1
  const text = resultOrder(job)
    .map((line) => `${JSON.stringify({ custom_id: line.customId, result: resultOf(line) })}\n`)
    .join('')
  const bytes = Buffer.from(text)
  ex.res.writeHead(200, {
    ...anthropicWire(ex.index).headers,
    'content-type': 'application/binary',
    'content-length': bytes.length,
  })
  ex.res.end(bytes)
}

function resultOf(line: BatchLine): object {
  const result = line.result ?? { kind: 'canceled' }
  switch (result.kind) {
    case 'succeeded':
      return { type: 'succeeded', message: result.body }
    case 'errored':
      return { type: 'errored', error: result.body }
    case 'expired':
    case 'canceled':
      return { type: result.kind }
  }
}

/** One request's result: the answer a live `POST /v1/messages` gives its params, or its outcome. */
function settleAnthropic(
  state: AnthropicBatches,
  job: BatchJob<Meta>,
  line: BatchLine,
): Promise<LineResult> {
  const wire = anthropicWire(line.index)
  return settleLine(line, state.options.batch, wire.error, async () => {
    const refuse = (message: string) =>
      ({ kind: 'error', status: 400, body: wire.error(400, message) }) as const
    if (isRecord(line.body) && line.body.stream === true) return refuse(NO_STREAM)
    const batch = { id: job.record.id, customId: line.customId, position: line.position }
    const call = messageCall(line.body, {
      headers: job.meta.headers,
      attempt: 1,
      index: line.index,
      batch,
    })
    return typeof call === 'string' ? refuse(call) : renderCall(state.options.reply, call)
  })
}

const NO_STREAM = 'stream: batch requests cannot stream'

/** Answers with the `message_batch` object, noting its status in the fake's record. */
function answerBatch(ex: Exchange, state: AnthropicBatches, job: BatchJob<Meta>): void {
  const status = { running: 'in_progress', canceling: 'canceling', ended: 'ended' }[job.phase]
  job.record.status = status
  const ended = job.phase === 'ended'
  const body = {
    id: job.record.id,
    type: 'message_batch',
    processing_status: status,
    request_counts: ended ? counts(job) : { ...counts(undefined), processing: job.lines.length },
    ended_at: iso(job.endedAt),
    created_at: iso(job.createdAt),
    expires_at: iso(job.createdAt + 24 * 3600 * 1000),
    archived_at: null,
    cancel_initiated_at: iso(job.cancelAt),
    results_url: ended ? `${state.baseUrl}/v1/messages/batches/${job.record.id}/results` : null,
  }
  writeJson(ex.res, 200, body, anthropicWire(ex.index).headers)
}

/** Requests are `processing` until the whole batch ends, as the real API counts them. */
function counts(job: BatchJob<Meta> | undefined): object {
  const t =
    job === undefined
      ? { processing: 0, succeeded: 0, errored: 0, expired: 0, canceled: 0 }
      : tally(job)
  return {
    processing: t.processing,
    succeeded: t.succeeded,
    errored: t.errored,
    canceled: t.canceled,
    expired: t.expired,
  }
}

function iso<T extends number | undefined>(ms: T): T extends number ? string : string | null
function iso(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString()
}
