import { sendError, waitDelay } from './answer.js'
import { openaiError, openaiHeaders } from './openai-common.js'
import { isRecord } from './prompt.js'
import { writeJson } from './server.js'
import type { ErrorReply, Exchange, ReplyRequest } from './server.js'

/** A `POST /v1/embeddings` body, checked for `model`, `input` and `encoding_format`. */
export interface EmbeddingsRequestBody {
  /** Reported back in the answer. */
  readonly model: string
  /** One text or a non-empty list of texts, none empty (token arrays are not faked). */
  readonly input: string | readonly string[]
  /** `float` (the default) or `base64`, which the SDK asks for unless told otherwise. */
  readonly encoding_format?: 'float' | 'base64'
  /** The length of the default vectors (default {@link DEFAULT_DIMENSIONS}). */
  readonly dimensions?: number
  /** Every other field, unchecked. */
  readonly [key: string]: unknown
}

/** What `FakeOpenAIOptions.embed` learns about each request. */
export type EmbeddingsReplyRequest = ReplyRequest<EmbeddingsRequestBody> & {
  /** `input` as a list. */
  readonly texts: readonly string[]
}

/** Vectors sent after a delay. */
export interface VectorsReply {
  readonly kind: 'vectors'
  /** One vector per input text, sent in this order with `index` 0, 1, ... */
  readonly vectors: readonly (readonly number[])[]
  /** Milliseconds to wait before answering. */
  readonly delayMs?: number
}

/** What an embeddings request is answered with: vectors, or an HTTP error. */
export type EmbeddingsReply = readonly (readonly number[])[] | VectorsReply | ErrorReply

/** Chooses the answer to an embeddings request; `undefined` means the default vectors. */
export type EmbedOption = (
  request: EmbeddingsReplyRequest,
) => EmbeddingsReply | undefined | Promise<EmbeddingsReply | undefined>

/** The length of the default vectors. */
export const DEFAULT_DIMENSIONS = 16

/**
 * Answers `POST /v1/embeddings`: `embed` chooses the vectors (default {@link bagOfWords} of each
 * text), sent as floats or base64, with `prompt_tokens` estimated at 4 characters a token.
 */
export async function serveEmbeddings(ex: Exchange, embed: EmbedOption | undefined): Promise<void> {
  const wire = { headers: openaiHeaders(ex.index), error: openaiError }
  const body = checkBody(ex.request.body)
  if (typeof body === 'string') return sendError(ex, wire, 400, body)
  const texts = typeof body.input === 'string' ? [body.input] : body.input
  const request = { body, texts, headers: ex.request.headers, attempt: ex.attempt, index: ex.index }
  const defaults = texts.map((t) => bagOfWords(t, body.dimensions ?? DEFAULT_DIMENSIONS))
  const reply = await choose(embed, request, defaults)
  if (!(await waitDelay(ex, reply.delayMs))) return
  if (reply.kind === 'error') {
    return sendError(ex, wire, reply.status, reply.message, reply.retryAfter)
  }
  writeJson(ex.res, 200, embeddingList(body, texts, reply.vectors), wire.headers)
}

/** The `list` of embeddings the API answers with. */
function embeddingList(
  body: EmbeddingsRequestBody,
  texts: readonly string[],
  vectors: readonly (readonly number[])[],
): object {
  const tokens = Math.ceil(texts.reduce((sum, text) => sum + text.length, 0) / 4)
  const encode = (vector: readonly number[]): readonly number[] | string =>
    body.encoding_format === 'base64'
      ? Buffer.from(Float32Array.from(vector).buffer).toString('base64') // little-endian float32
      : vector
  return {
    object: 'list',
    data: vectors.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: encode(vector),
    })),
    model: body.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  }
}

/** The option's reply as a `vectors` or `error` reply; a throw becomes a 500 naming it. */
async function choose(
  embed: EmbedOption | undefined,
  request: EmbeddingsReplyRequest,
  fallback: readonly (readonly number[])[],
): Promise<VectorsReply | ErrorReply> {
  try {
    const reply = (await embed?.(request)) ?? fallback
    return isVectorList(reply) ? { kind: 'vectors', vectors: reply } : reply
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    return { kind: 'error', status: 500, message: `fake embed() threw: ${detail}` }
  }
}

function isVectorList(reply: EmbeddingsReply): reply is readonly (readonly number[])[] {
  return Array.isArray(reply)
}

const INVALID_INPUT =
  "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference."

/** The typed body, or what the real API would say is wrong with it. */
function checkBody(body: unknown): EmbeddingsRequestBody | string {
  if (!isRecord(body) || typeof body.model !== 'string') return 'you must provide a model parameter'
  const { input, encoding_format: format, dimensions } = body
  if (input === undefined) return "Missing required parameter: 'input'."
  if (!isTextInput(input)) return INVALID_INPUT
  if (format !== undefined && format !== 'float' && format !== 'base64') {
    return `Invalid value for 'encoding_format': ${JSON.stringify(format)}.`
  }
  if (dimensions !== undefined && !(Number.isInteger(dimensions) && Number(dimensions) > 0)) {
    return "Invalid value for 'dimensions': it must be a positive integer."
  }
  return {
    ...body,
    model: body.model,
    input,
    ...(format === undefined ? {} : { encoding_format: format }),
  }
}

function isTextInput(input: unknown): input is string | string[] {
  const text = (x: unknown): boolean => typeof x === 'string' && x !== ''
  return text(input) || (Array.isArray(input) && input.length > 0 && input.every(text))
}

/**
 * A deterministic stand-in for an embedding: each lower-cased word of `text` adds 1 to one of
 * `dimensions` slots, chosen by a hash of the word; L2-normalised (all zeros for no words).
 */
export function bagOfWords(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0)
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    let hash = 0x811c9dc5 // 32-bit FNV-1a
    for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), 0x01000193)
    const slot = (hash >>> 0) % dimensions
    vector[slot] = (vector[slot] ?? 0) + 1
  }
  const norm = Math.hypot(...vector)
  return norm === 0 ? vector : vector.map((x) => x / norm)
}
