import { advance, BatchLedger, cancel, resultOrder, settleLine } from './batch-state.js'
import type { BatchJob, BatchLine, LineResult } from './batch-state.js'
import { readInput } from './openai-batch-input.js'
import { batchObject, batchStatus } from './openai-batch-view.js'
import type { Endpoint, OpenAIBatchMeta as Meta } from './openai-batch-view.js'
import { chatCall, renderCall, responsesCall } from './openai-calls.js'
import type { CallMaker } from './openai-calls.js'
import { openaiError, openaiHeaders, pad, rejectRequest } from './openai-common.js'
import { FileStore, serveFile, uploadFile } from './openai-files.js'
import type { FakeOpenAIOptions } from './openai.js'
import { isRecord } from './prompt.js'
import { writeJson } from './server.js'
import type { Exchange } from './server.js'

/** The Files and Batch API state of one OpenAI fake. */
export class OpenAIBatches {
  readonly files = new FileStore()
  readonly ledger = new BatchLedger<Meta>()
  constructor(readonly options: FakeOpenAIOptions) {}
}

type Handler = (ex: Exchange, state: OpenAIBatches, id: string) => Promise<void> | void

const ROUTES: readonly (readonly [string, RegExp, Handler])[] = [
  ['POST', /^\/v1\/files$/, upload],
  ['GET', /^\/v1\/files\/([^/]+)$/, (ex, s, id) => serveFile(ex, s.files.get(id), id, false)],
  ['GET', /^\/v1\/files\/([^/]+)\/content$/, downloadFile],
  ['POST', /^\/v1\/batches$/, createBatch],
  ['GET', /^\/v1\/batches\/([^/]+)$/, retrieveBatch],
  ['POST', /^\/v1\/batches\/([^/]+)\/cancel$/, cancelBatch],
]

/** The Files or Batch API handler of a route (a path without its query), if it is one. */
export function batchRoute(
  method: string,
  route: string,
): ((ex: Exchange, state: OpenAIBatches) => Promise<void>) | undefined {
  for (const [verb, pattern, handler] of ROUTES) {
    const match = verb === method ? pattern.exec(route) : null
    if (match !== null) return async (ex, state) => handler(ex, state, match[1] ?? '')
  }
  return undefined
}

const MAKERS = {
  '/v1/chat/completions': chatCall,
  '/v1/responses': responsesCall,
} as const satisfies Record<Endpoint, CallMaker>

function isEndpoint(value: unknown): value is Endpoint {
  return typeof value === 'string' && Object.hasOwn(MAKERS, value)
}

function upload(ex: Exchange, state: OpenAIBatches): void {
  state.ledger.uploads += 1
  uploadFile(ex, state.files)
}

function downloadFile(ex: Exchange, state: OpenAIBatches, id: string): void {
  const file = state.files.get(id)
  if (file?.purpose === 'batch_output') state.ledger.resultsDownloads += 1
  serveFile(ex, file, id, true)
}

function createBatch(ex: Exchange, state: OpenAIBatches): void {
  const body = isRecord(ex.request.body) ? ex.request.body : {}
  const { input_file_id: fileId, endpoint } = body
  if (typeof fileId !== 'string')
    return rejectRequest(ex, 400, MISSING('input_file_id'), 'input_file_id')
  if (!isEndpoint(endpoint)) return rejectRequest(ex, 400, BAD_ENDPOINT, 'endpoint')
  if (body.completion_window !== '24h')
    return rejectRequest(ex, 400, BAD_WINDOW, 'completion_window')
  const file = state.files.get(fileId)
  if (file === undefined)
    return rejectRequest(ex, 404, `No such File object: ${fileId}`, 'input_file_id')
  if (file.purpose !== 'batch') {
    return rejectRequest(
      ex,
      400,
      `File ${fileId} has purpose '${file.purpose}', not 'batch'.`,
      'input_file_id',
    )
  }
  const input = readInput(file.content, endpoint)
  const customIds = input.lines.map((l) => l.customId)
  const refusal =
    input.errors.length > 0
      ? undefined
      : state.options.batch?.refuse?.({ index: state.ledger.submitted, customIds })
  const errors = refusal === undefined ? input.errors : [{ param: null, line: null, ...refusal }]
  const meta = {
    endpoint,
    inputFileId: fileId,
    metadata: body.metadata ?? null,
    model: input.model,
    errors,
    headers: ex.request.headers,
    files: undefined,
  }
  const job = state.ledger.create(`batch_fake${pad(state.ledger.submitted)}`, input.lines, meta)
  answerBatch(ex, job)
}

const MISSING = (name: string): string => `Missing required parameter: '${name}'.`
const BAD_ENDPOINT = `Invalid value for 'endpoint': this fake runs ${Object.keys(MAKERS).join(' and ')}.`
const BAD_WINDOW = "Invalid value for 'completion_window': only '24h' is supported."
const NO_STREAM = 'Streaming is not supported in batch requests.'

async function retrieveBatch(ex: Exchange, state: OpenAIBatches, id: string): Promise<void> {
  const job = state.ledger.get(id)
  if (job === undefined) return rejectRequest(ex, 404, `No batch found with id '${id}'.`)
  state.ledger.retrieves += 1
  const settle = (line: BatchLine): Promise<LineResult> => settleOpenAI(state, job, line)
  await advance(job, state.options.batch, settle, job.meta.errors.length > 0)
  if (job.phase === 'ended') job.meta.files ??= writeFiles(job, state.files)
  answerBatch(ex, job)
}

function cancelBatch(ex: Exchange, state: OpenAIBatches, id: string): void {
  const job = state.ledger.get(id)
  if (job === undefined) return rejectRequest(ex, 404, `No batch found with id '${id}'.`)
  state.ledger.cancels += 1
  if (!cancel(job) && job.phase === 'ended') {
    return rejectRequest(ex, 400, `Cannot cancel a batch with status '${batchStatus(job)}'.`)
  }
  answerBatch(ex, job)
}

/** One line's result: the answer the live endpoint gives its body, or what its outcome says. */
function settleOpenAI(
  state: OpenAIBatches,
  job: BatchJob<Meta>,
  line: BatchLine,
): Promise<LineResult> {
  return settleLine(line, state.options.batch, openaiError, async () => {
    const refuse = (message: string) =>
      ({ kind: 'error', status: 400, body: openaiError(400, message) }) as const
    if (isRecord(line.body) && line.body.stream === true) return refuse(NO_STREAM)
    const batch = { id: job.record.id, customId: line.customId, position: line.position }
    const facts = { headers: job.meta.headers, attempt: 1, index: line.index, batch }
    const call = MAKERS[job.meta.endpoint](line.body, facts, Math.floor(Date.now() / 1000))
    return typeof call === 'string' ? refuse(call) : renderCall(state.options.reply, call)
  })
}

/** Writes the output file (lines that got a 200) and the error file (the rest), shuffled. */
function writeFiles(job: BatchJob<Meta>, files: FileStore): NonNullable<Meta['files']> {
  const ok: string[] = []
  const failed: string[] = []
  for (const line of resultOrder(job)) {
    const text = `${JSON.stringify(outputLine(line))}\n`
    ;(line.result?.kind === 'succeeded' ? ok : failed).push(text)
  }
  const write = (lines: string[], kind: string): string | null =>
    lines.length === 0
      ? null
      : files.add(`${job.record.id}_${kind}.jsonl`, 'batch_output', lines.join('')).id
  return { output: write(ok, 'output'), error: write(failed, 'error') }
}

/** A line of an output or error file. */
function outputLine(line: BatchLine): object {
  const head = { id: `batch_req_fake${pad(line.index)}`, custom_id: line.customId }
  const requestId = `req_fake${pad(line.index)}`
  const result = line.result ?? { kind: 'canceled' }
  switch (result.kind) {
    case 'succeeded':
      return {
        ...head,
        response: { status_code: 200, request_id: requestId, body: result.body },
        error: null,
      }
    case 'errored':
      return {
        ...head,
        response: { status_code: result.status, request_id: requestId, body: result.body },
        error: null,
      }
    case 'expired':
      return { ...head, response: null, error: { code: 'batch_expired', message: EXPIRED } }
    case 'canceled':
      return { ...head, response: null, error: { code: 'batch_cancelled', message: CANCELLED } }
  }
}

const EXPIRED = 'This request could not be executed before the completion window expired.'
const CANCELLED = 'This request was not executed: the batch was cancelled.'

/** Answers with the batch object, noting its status in the fake's record. */
function answerBatch(ex: Exchange, job: BatchJob<Meta>): void {
  const body = batchObject(job)
  job.record.status = body.status
  writeJson(ex.res, 200, body, openaiHeaders(ex.index))
}
