/**
 * The analysis endpoint over node:http: `GET /analysis?…` answers the canary analysis as JSON
 * (`answer.ts`), `GET /healthz` answers 200. Every other path is 404, every other method 405.
 * A read that fails is answered 503 with verdict `error`, which Argo counts as a measurement
 * error (its `consecutiveErrorLimit`), not as a failed canary.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { listenHttp } from '../../utils/listen.js'
import type { Logger } from '../../contracts/logger.js'
import { analyzeCanary, type CanaryRules } from '../../core/rollout/canary.js'
import { errorMessage } from '../../utils/errors.js'
import { answerOf, errorAnswer, type AnalysisAnswer } from './answer.js'
import type { Authorizer } from './auth.js'
import { parseQuery } from './query.js'
import type { WindowReader } from './windows.js'

/** What the endpoint needs. */
export interface EndpointDeps {
  readonly read: WindowReader
  readonly rules: CanaryRules
  readonly authorize: Authorizer
  readonly clock: { now(): number }
  readonly logger: Logger
  /** Aborted when the server closes: reads in flight stop. */
  readonly signal: AbortSignal
}

/** A request as the endpoint sees it. */
export interface EndpointRequest {
  readonly method: string
  /** Path and query, as on the request line. */
  readonly url: string
  readonly authorization: string | undefined
}

/** An answer: its status and JSON body. */
export interface EndpointAnswer {
  readonly status: number
  readonly body: AnalysisAnswer | { readonly status: string } | { readonly error: string }
}

/** Answers one request. Never rejects: a failure is an `error` answer. */
export async function handle(
  deps: EndpointDeps,
  request: EndpointRequest,
): Promise<EndpointAnswer> {
  const url = new URL(request.url, 'http://analysis.invalid')
  if (url.pathname === '/healthz') return { status: 200, body: { status: 'ok' } }
  if (url.pathname !== '/analysis')
    return { status: 404, body: { error: 'not found: GET /analysis' } }
  if (request.method !== 'GET') return { status: 405, body: { error: 'only GET' } }
  if (deps.authorize !== null && !deps.authorize(request.authorization)) {
    return { status: 401, body: { error: 'a valid "Authorization: Bearer <token>" is required' } }
  }
  const nowMs = deps.clock.now()
  const parsed = parseQuery(url.searchParams, nowMs)
  const releases = {
    canary: url.searchParams.get('canary'),
    stable: url.searchParams.get('stable'),
  }
  if (!parsed.ok) return { status: 400, body: errorAnswer(parsed.reason, releases) }
  const { query } = parsed
  try {
    const span = await deps.read(query, nowMs, deps.signal)
    const analysis = analyzeCanary(span.windows, deps.rules)
    return { status: 200, body: answerOf(analysis, query, span) }
  } catch (error) {
    const reason = `metrics could not be read: ${errorMessage(error)}`
    deps.logger.warn(`analysis of ${query.canary} against ${query.stable}: ${reason}`)
    return { status: 503, body: errorAnswer(reason, releases) }
  }
}

/** Listens on `host:port` (0 picks a port); resolves once listening. */
export async function listen(
  deps: EndpointDeps,
  host: string,
  port: number,
): Promise<{ readonly server: Server; readonly url: string }> {
  return listenHttp((req, res) => void respond(deps, req, res), host, port)
}

async function respond(
  deps: EndpointDeps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const answer = await handle(deps, {
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    authorization: req.headers.authorization,
  })
  // The path only: the query holds release ids, never secrets, but logs stay short.
  deps.logger.debug(`${req.method} ${(req.url ?? '').split('?')[0]} → ${answer.status}`)
  res.writeHead(answer.status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
  res.end(JSON.stringify(answer.body))
}
