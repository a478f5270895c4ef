/**
 * `collectorSink`: events POSTed in batches to the shipgate collector
 * (docs/runtime.md#the-collector-protocol): `POST {url}/v1/events`, NDJSON, one event a line,
 * with `Authorization: Bearer <token>` when `tokenEnv` names a set environment variable.
 * 202 is delivered; 400, 401, 403 (and other 4xx) are dropped, counted and logged once; 408,
 * 429, 5xx, network errors and timeouts are retried with backoff, the batch kept. The token is
 * read from the environment at each send and never logged.
 */
import { ShipgateError } from '../../errors.js'
import type { ExperimentEvent } from '../events.js'
import {
  type BatchingOptions,
  type BatchingSink,
  consoleWarn,
  createBatchingSink,
  type SendResult,
} from './batching.js'

/** Options of {@link collectorSink}; batching defaults: every 1,000 ms, 500 events a batch. */
export interface CollectorSinkOptions extends BatchingOptions {
  /** The collector's base URL (`https://collector.example.com`); events go to `/v1/events`. */
  readonly url: string
  /** The name of the environment variable holding the collector's token (not the token). */
  readonly tokenEnv?: string
  /** Where `tokenEnv` is looked up; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** A request that has not answered by then is retried; default 10,000 ms. */
  readonly timeoutMs?: number
}

/** A sink posting to the shipgate collector; see the module doc. */
export function collectorSink(options: CollectorSinkOptions): BatchingSink {
  const endpoint = endpointOf(options.url)
  const env = options.env ?? process.env
  const timeoutMs = options.timeoutMs ?? 10_000
  let warnedToken = false
  const authorization = (): Record<string, string> => {
    if (options.tokenEnv === undefined) return {}
    const token = env[options.tokenEnv]
    if (token !== undefined && token !== '') return { authorization: `Bearer ${token}` }
    if (!warnedToken) {
      warnedToken = true
      const logger = options.logger ?? consoleWarn
      logger.warn(`collector sink: ${options.tokenEnv} is not set; sending without a token`)
    }
    return {}
  }
  const send = async (batch: readonly ExperimentEvent[]): Promise<SendResult> => {
    const body = batch.map((event) => JSON.stringify(event)).join('\n') + '\n'
    let response: Response
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson', ...authorization() },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      })
    } catch (error) {
      return { kind: 'retry', problem: `POST ${endpoint} failed: ${describe(error)}` }
    }
    return classify(response, endpoint, options.tokenEnv)
  }
  return createBatchingSink(`collector sink ${endpoint}`, send, options)
}

function endpointOf(url: string): string {
  try {
    const base = new URL(url)
    base.pathname = `${base.pathname.replace(/\/+$/, '')}/v1/events`
    return base.toString()
  } catch (error) {
    throw new ShipgateError(
      'usage',
      `collectorSink: \`url\` is not a URL: ${JSON.stringify(url)}`,
      {
        hint: 'e.g. http://127.0.0.1:8787',
        cause: error,
      },
    )
  }
}

async function classify(
  response: Response,
  endpoint: string,
  tokenEnv: string | undefined,
): Promise<SendResult> {
  // Read the body in every case, so the connection is released.
  const text = await response.text().catch(() => '')
  const { status } = response
  if (status >= 200 && status < 300) {
    const duplicates = numberField(text, 'duplicates')
    return duplicates === undefined ? { kind: 'sent' } : { kind: 'sent', duplicates }
  }
  if (status === 408 || status === 429 || status >= 500) {
    return { kind: 'retry', problem: `POST ${endpoint} answered ${status}` }
  }
  if (status === 401 || status === 403) {
    const where =
      tokenEnv === undefined ? 'no tokenEnv is set' : `the token is read from ${tokenEnv}`
    return {
      kind: 'drop',
      key: String(status),
      problem: `the collector refused the request (${status}; ${where})`,
    }
  }
  if (status === 400) {
    const error = stringField(text, 'error') ?? text.slice(0, 200)
    const line = numberField(text, 'line')
    const at = line === undefined ? '' : ` at line ${line} of the batch`
    return {
      kind: 'drop',
      key: '400',
      problem: `the collector refused a batch (400: ${error}${at})`,
    }
  }
  return { kind: 'drop', key: `http-${status}`, problem: `POST ${endpoint} answered ${status}` }
}

function field(text: string, name: string): unknown {
  try {
    const body: unknown = JSON.parse(text)
    return typeof body === 'object' && body !== null
      ? (body as Record<string, unknown>)[name]
      : undefined
  } catch {
    return undefined
  }
}

function numberField(text: string, name: string): number | undefined {
  const value = field(text, name)
  return typeof value === 'number' ? value : undefined
}

function stringField(text: string, name: string): string | undefined {
  const value = field(text, name)
  return typeof value === 'string' ? value.slice(0, 200) : undefined
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  if (error.name === 'TimeoutError') return 'timed out'
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message
}
