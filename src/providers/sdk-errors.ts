import type { ProviderError } from '../contracts/provider.js'
import { errorMessage } from '../utils/errors.js'
import { failureOfStatus, retryAfterMs } from './http-shared.js'

/**
 * How the providers built on an official SDK (anthropic, openai) turn what the SDK throws into a
 * {@link ProviderError}: by the SDK's error classes and Node's error codes, and by when it
 * happened — before the answer's headers, or while reading a 2xx answer.
 */

/** An error class of an official SDK; its constructor's arguments do not matter here. */
type ErrorClass = abstract new (...args: never[]) => Error

/**
 * The error classes both official SDKs export as statics of their client (`OpenAI.APIError`,
 * `Anthropic.APIError`, ...): pass the client class itself.
 */
export interface SdkErrorClasses {
  readonly APIError: ErrorClass
  readonly APIUserAbortError: ErrorClass
  readonly APIConnectionError: ErrorClass
  readonly APIConnectionTimeoutError: ErrorClass
}

/** A 2xx answer that is not what the API answers; thrown by the providers' shape checks. */
export class MalformedAnswer extends Error {
  override readonly name = 'MalformedAnswer'
}

/** An error event inside a 2xx stream that the SDK does not throw itself (Responses `error`). */
export class StreamErrorEvent extends Error {
  override readonly name = 'StreamErrorEvent'
  constructor(
    /** The event's error type or code, e.g. `server_error`. */
    readonly type: string,
    message: string,
  ) {
    super(message)
  }
}

/** A failure after the API answered 2xx: the answer could not be read, parsed or used. */
class AnswerReadError extends Error {
  override readonly name = 'AnswerReadError'
  constructor(
    /** The API as a user would name it, e.g. `Anthropic Messages`. */
    readonly api: string,
    cause: unknown,
  ) {
    super(errorMessage(cause), { cause })
  }
}

/** An SDK call (openai's and anthropic's `APIPromise`). */
export interface SdkCall<T> {
  asResponse(): Promise<Response>
  withResponse(): Promise<{ data: T; response: Response }>
}

/**
 * Sends an SDK request, then reads its answer with `read` (for a stream: all of it). A failure
 * before a 2xx arrived is the SDK's own error; any failure after — a cut body or stream, a body
 * that is not JSON or not the API's shape — is marked as a failure of reading `api`'s answer,
 * which {@link classifySdkError} treats as `unavailable` and retryable, never as a bug.
 */
export async function sendThenRead<T, R>(
  call: SdkCall<T>,
  api: string,
  read: (data: T, response: Response) => R | Promise<R>,
): Promise<R> {
  await call.asResponse()
  try {
    const { data, response } = await call.withResponse()
    return await read(data, response)
  } catch (error) {
    throw new AnswerReadError(api, error)
  }
}

/** What {@link classifySdkError} needs besides the error. */
export interface ClassifyOptions {
  /** The SDK's error classes. */
  readonly sdk: SdkErrorClasses
  /** The variable an authentication failure names. */
  readonly apiKeyEnv?: string | undefined
  /** The call's signal: once it aborted, whatever the connection did is no failure to retry. */
  readonly signal?: AbortSignal
}

/** The failure of a call its caller aborted (a timeout or a stop): not worth retrying. */
const ABORTED: ProviderError = { kind: 'unknown', message: 'call aborted', retryable: false }

/**
 * Classifies what an official SDK threw: an HTTP error by its status, an error event in a
 * stream by its type, a connection that failed or dropped (APIConnectionError, or ECONNRESET,
 * EPIPE, UND_ERR_SOCKET... while reading) and a 2xx answer that is not the API's as
 * `unavailable` and retryable; the SDK's own timeout as `timeout`; a call the caller aborted as
 * not retryable.
 */
export function classifySdkError(error: unknown, options: ClassifyOptions): ProviderError {
  const { sdk } = options
  const cause = error instanceof AnswerReadError ? error.cause : error
  if (options.signal?.aborted === true || cause instanceof sdk.APIUserAbortError) return ABORTED
  if (cause instanceof sdk.APIConnectionTimeoutError)
    return { kind: 'timeout', message: 'the SDK timed out waiting for the API', retryable: true }
  if (cause instanceof sdk.APIConnectionError) {
    // A replay that found no recording fails in the fetch too, but no connection was involved.
    if ((cause.cause as Error | undefined)?.name === 'CassetteMissError')
      return { kind: 'unknown', message: errorMessage(cause.cause), retryable: false }
    // The SDK's own message is a bare "Connection error."; its cause says which.
    const message = `the connection failed before an answer arrived: ${describe(cause.cause ?? cause)}`
    return { kind: 'unavailable', message, retryable: true }
  }
  if (cause instanceof sdk.APIError) return apiErrorOf(cause, options.apiKeyEnv)
  if (cause instanceof StreamErrorEvent) return streamError(cause.type, cause.message)
  if (error instanceof AnswerReadError) return readFailure(error.api, cause)
  return { kind: 'unknown', message: errorMessage(error), retryable: false }
}

/** The fields of an SDK `APIError` this file reads (both SDKs share them). */
interface ApiErrorFields {
  readonly status?: number
  readonly headers?: Headers | Record<string, string>
  readonly error?: { type?: string; error?: { type?: string } }
}

/** An HTTP error by its status; without one, an error event in the middle of a stream. */
function apiErrorOf(error: Error, apiKeyEnv: string | undefined): ProviderError {
  const e = error as Error & ApiErrorFields
  if (typeof e.status === 'number') {
    return failureOfStatus(e.status, e.message, {
      retryAfterMs: retryAfterMs(e.headers),
      apiKeyEnv,
    })
  }
  return streamError(e.error?.error?.type ?? e.error?.type, e.message)
}

/** Overloaded, server and rate errors in a stream are worth retrying; a bad request is not. */
function streamError(type: string | undefined, message: string): ProviderError {
  const retryable =
    type === undefined || /overloaded|api_error|server_error|internal|timeout|rate_limit/.test(type)
  return {
    kind: retryable ? 'unavailable' : 'bad_request',
    message: `stream error (${type ?? 'untyped'}): ${message}`,
    retryable,
  }
}

/** The system and undici error codes of a connection that dropped. */
const CONNECTION_CUT = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'ERR_STREAM_PREMATURE_CLOSE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_ABORTED',
])

/** A 2xx answer that could not be read or used: the connection dropped, or it is malformed. */
function readFailure(api: string, cause: unknown): ProviderError {
  const chain = causes(cause)
  const code = chain.map(codeOf).find((c) => c !== undefined && CONNECTION_CUT.has(c))
  // undici ("terminated") and node:http ("aborted") name a cut body with these bare messages.
  const bare = chain.some((e) => /^(terminated|aborted)$/.test(errorMessage(e)))
  if (code !== undefined || bare) {
    const message = `the connection was cut while the answer was read: ${describe(cause)}`
    return { kind: 'unavailable', message, retryable: true }
  }
  return {
    kind: 'unavailable',
    message: `the answer (a 2xx) is not a valid ${api} response: ${malformation(cause)}`,
    retryable: true,
  }
}

/** What is wrong with a malformed answer, without the engine's "Cannot read properties…". */
function malformation(cause: unknown): string {
  if (cause instanceof MalformedAnswer) return cause.message
  if (cause instanceof SyntaxError) return `its body is not JSON (${cause.message})`
  return "its body does not have the API's shape"
}

/** The error and its causes, outermost first (at most a few levels). */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = []
  for (let e = error; e !== undefined && e !== null && chain.length < 5;) {
    chain.push(e)
    e = (e as { cause?: unknown }).cause
  }
  return chain
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

/** The messages of an error's cause chain, and the first code in it: `fetch failed: socket hang up (ECONNRESET)`. */
function describe(error: unknown): string {
  const chain = causes(error)
  // node:http's fetch error repeats its cause's message ("fetch failed: socket hang up").
  const messages = chain
    .map(errorMessage)
    .filter((m, i, all) => m !== '' && !all.slice(0, i).some((outer) => outer.includes(m)))
  const code = chain.map(codeOf).find((c) => c !== undefined)
  return `${messages.join(': ')}${code === undefined ? '' : ` (${code})`}`
}

/**
 * The failure of a 2xx stream that ended before `what`: cut short, or no event stream at all
 * (e.g. a JSON body answered to a streamed request). Retryable, as a dropped connection.
 */
export function truncatedStream(response: Response, what: string): ProviderError {
  const type = response.headers.get('content-type') ?? 'none'
  const message = /text\/event-stream/i.test(type)
    ? `the stream ended before ${what}`
    : `the answer (a 2xx) is not a valid event stream (content-type: ${type})`
  return { kind: 'unavailable', message, retryable: true }
}
