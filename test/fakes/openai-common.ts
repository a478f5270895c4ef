import type { TextAnswer } from './answer.js'
import { writeJson } from './server.js'
import type { Exchange, FakeErrorStatus } from './server.js'

/** Error `type`, `code` and default message per status, as the OpenAI API reports them. */
const ERRORS = {
  400: ['invalid_request_error', null, 'Invalid request.'],
  401: ['invalid_request_error', 'invalid_api_key', 'Incorrect API key provided.'],
  403: ['invalid_request_error', null, 'You are not allowed to access this resource.'],
  404: ['invalid_request_error', 'model_not_found', 'The model does not exist.'],
  429: ['requests', 'rate_limit_exceeded', 'Rate limit reached. Please try again later.'],
  500: ['server_error', null, 'The server had an error while processing your request.'],
  503: ['server_error', null, 'The engine is currently overloaded, please try again later.'],
  529: ['server_error', null, 'Overloaded.'],
} as const satisfies Record<FakeErrorStatus, readonly [string, string | null, string]>

/** The `{ error: { message, type, param, code } }` body both OpenAI APIs answer errors with. */
export function openaiError(status: FakeErrorStatus, message: string | undefined): object {
  const [type, code, fallback] = ERRORS[status]
  return { error: { message: message ?? fallback, type, param: null, code } }
}

/** The headers the OpenAI API sends with every response. */
export function openaiHeaders(index: number): Record<string, string> {
  return {
    'x-request-id': `req_fake${pad(index)}`,
    'openai-version': '2020-10-01',
    'openai-processing-ms': '1',
  }
}

/** A six-digit, zero-padded request index for deterministic ids. */
export function pad(index: number): string {
  return String(index).padStart(6, '0')
}

/** Chat Completions usage: `prompt_tokens` includes the cached tokens. */
export function chatUsage({ usage: u }: TextAnswer): object {
  return {
    prompt_tokens: u.input,
    completion_tokens: u.output,
    total_tokens: u.input + u.output,
    prompt_tokens_details: { cached_tokens: u.cacheRead, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: u.reasoning,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  }
}

/** Responses API usage: `input_tokens` includes the cached tokens. */
export function responsesUsage({ usage: u }: TextAnswer): object {
  return {
    input_tokens: u.input,
    input_tokens_details: { cached_tokens: u.cacheRead },
    output_tokens: u.output,
    output_tokens_details: { reasoning_tokens: u.reasoning },
    total_tokens: u.input + u.output,
  }
}

/**
 * Answers a request the fake refuses (a bad body, an unknown route or object) with an
 * `invalid_request_error` body naming `param` when given.
 */
export function rejectRequest(
  ex: Exchange,
  status: 400 | 404,
  message: string,
  param: string | null = null,
): void {
  const error = { message, type: 'invalid_request_error', param, code: null }
  writeJson(ex.res, status, { error }, openaiHeaders(ex.index))
}
