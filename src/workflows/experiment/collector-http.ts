/**
 * The collector's protocol over node:http. `POST /v1/events` with an NDJSON body (one event a
 * line) stores the batch in one append and answers 202 `{stored, duplicates}`; a bad line
 * answers 400 `{error, line}` and nothing is stored. `GET /health` answers 200. A failed store
 * write answers 503 so the SDK's sink sends the batch again (ids make that safe).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { listenHttp } from '../../utils/listen.js'
import type { ExperimentEvent } from '@shipgate/runtime/experiments'
import type { Logger } from '../../contracts/logger.js'
import { errorMessage } from '../../utils/errors.js'
import type { CollectorAuthorizer } from './auth.js'
import { parseEventLine } from './events.js'

/** The largest body the collector reads, in bytes (1 MiB); larger ones answer 413. */
export const MAX_BODY_BYTES = 1024 * 1024

/** The content type of a batch. */
export const NDJSON = 'application/x-ndjson'

/** What the collector needs. */
export interface CollectorDeps {
  /** Stores a batch in one transaction (the store's `experimentEvents.append`). */
  readonly append: (
    events: readonly ExperimentEvent[],
  ) => Promise<{ readonly stored: number; readonly duplicates: number }>
  readonly authorize: CollectorAuthorizer
  /** Experiments `shipgate.yaml` configures: events of others are stored, with one warning each. */
  readonly known: ReadonlySet<string>
  readonly logger: Logger
}

/** A request as the collector sees it; the body is read only when the request may send one. */
export interface CollectorRequest {
  readonly method: string
  readonly path: string
  readonly contentType: string | undefined
  readonly authorization: string | undefined
  /** The body as text, or null when it is over {@link MAX_BODY_BYTES}. */
  readonly body: () => Promise<string | null>
}

/** An answer: status and JSON body. */
export interface CollectorAnswer {
  readonly status: number
  readonly body: Readonly<Record<string, unknown>>
}

/** Answers one request. Never rejects. */
export async function handleCollector(
  deps: CollectorDeps,
  warned: Set<string>,
  request: CollectorRequest,
): Promise<CollectorAnswer> {
  if (request.path === '/health')
    return request.method === 'GET' || request.method === 'HEAD'
      ? { status: 200, body: { status: 'ok' } }
      : { status: 405, body: { error: 'only GET /health' } }
  if (request.path !== '/v1/events')
    return { status: 404, body: { error: 'not found: POST /v1/events, GET /health' } }
  if (request.method !== 'POST') return { status: 405, body: { error: 'only POST /v1/events' } }
  if (deps.authorize !== null && !deps.authorize(request.authorization))
    return { status: 401, body: { error: 'a valid "Authorization: Bearer <token>" is required' } }
  const type = (request.contentType ?? '').split(';')[0]?.trim().toLowerCase()
  if (type !== NDJSON)
    return {
      status: 415,
      body: {
        error: `Content-Type must be ${NDJSON} (one event JSON a line), got ${type || 'none'}`,
      },
    }
  const body = await request.body().catch(() => undefined)
  if (body === undefined)
    return { status: 400, body: { error: 'the request body could not be read' } }
  if (body === null)
    return {
      status: 413,
      body: { error: `the body is over ${MAX_BODY_BYTES} bytes: send smaller batches` },
    }
  const parsed = parseBatch(body)
  if (!parsed.ok) return { status: 400, body: { error: parsed.error, line: parsed.line } }
  warnUnknown(deps, warned, parsed.events)
  try {
    const { stored, duplicates } = await deps.append(parsed.events)
    return { status: 202, body: { stored, duplicates } }
  } catch (error) {
    deps.logger.warn(
      `a batch of ${parsed.events.length} events was not stored: ${errorMessage(error)}`,
    )
    return { status: 503, body: { error: 'the store could not be written; send the batch again' } }
  }
}

/** Every line an event (blank lines skipped), or the first bad line's 1-based number. */
export function parseBatch(
  body: string,
): { ok: true; events: ExperimentEvent[] } | { ok: false; error: string; line: number } {
  const events: ExperimentEvent[] = []
  const lines = body.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const text = (lines[i] as string).replace(/\r$/, '')
    if (text.trim() === '') continue
    const parsed = parseEventLine(text)
    if (!parsed.ok) return { ok: false, error: parsed.error, line: i + 1 }
    events.push(parsed.event)
  }
  return { ok: true, events }
}

function warnUnknown(deps: CollectorDeps, warned: Set<string>, events: readonly ExperimentEvent[]) {
  for (const { experiment } of events) {
    if (deps.known.has(experiment) || warned.has(experiment)) continue
    warned.add(experiment)
    deps.logger.warn(
      `storing events of experiment "${experiment}", which shipgate.yaml does not configure; add it under experiments: to analyze them`,
    )
  }
}

/** Listens on `host:port` (0 picks a port); resolves once listening. */
export async function listenCollector(
  deps: CollectorDeps,
  host: string,
  port: number,
): Promise<{ readonly server: Server; readonly url: string }> {
  const warned = new Set<string>()
  return listenHttp((req, res) => void respond(deps, warned, req, res), host, port)
}

async function respond(
  deps: CollectorDeps,
  warned: Set<string>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/'
  const answer = await handleCollector(deps, warned, {
    method: req.method ?? 'GET',
    path,
    contentType: req.headers['content-type'],
    authorization: req.headers.authorization,
    body: () => readBody(req),
  })
  // The method, path and status only: never a header (the token) nor the body.
  deps.logger.debug(`${req.method} ${path} → ${answer.status}`)
  // A body left unread (a refused request) closes the connection rather than be drained.
  const headers = { 'content-type': 'application/json', 'cache-control': 'no-store' }
  res.writeHead(answer.status, req.complete ? headers : { ...headers, connection: 'close' })
  res.end(JSON.stringify(answer.body))
}

/**
 * The request's body as UTF-8 text, or null past {@link MAX_BODY_BYTES}: the rest is read and
 * dropped (memory stays bounded) so the client gets its 413 rather than a reset connection.
 */
function readBody(req: IncomingMessage): Promise<string | null> {
  const declared = Number(req.headers['content-length'] ?? NaN)
  if (declared > MAX_BODY_BYTES) return Promise.resolve(null)
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_BODY_BYTES) chunks.push(chunk)
    })
    req.once('end', () =>
      resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8')),
    )
    req.once('error', reject)
  })
}
