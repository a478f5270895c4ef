import type { CompletionRequest, ProviderErrorKind } from '../../contracts/provider.js'
import type { Usage } from '../../contracts/usage.js'
import * as z from '../../utils/zod.js'
import { providerCommon } from '../common.js'

/**
 * The function a `function` provider calls for each sample. It gets the rendered request and
 * an AbortSignal (aborted on timeout or Ctrl-C: stop work when it fires). It answers with the
 * output, or with `{ error }` for a failure the runner should know about (a `retryable` one is
 * retried with backoff). A thrown error or rejected promise is a non-retryable failure.
 */
export type FunctionCall = (
  request: CompletionRequest,
  options: { readonly signal: AbortSignal },
) => FunctionReply | Promise<FunctionReply>

/** What a {@link FunctionCall} answers. */
export type FunctionReply = FunctionAnswer | { readonly error: FunctionError }

/** A successful answer. */
export interface FunctionAnswer {
  readonly output: string
  /** Token counts; a missing count is 0, a missing `usage` all zeros. */
  readonly usage?: Partial<Usage>
  /** The model that answered, priced over the provider's `model`. */
  readonly model?: string
  /** The answer's tool calls (items as the exec provider's `toolCalls` accepts them). */
  readonly toolCalls?: readonly unknown[]
  /** Every tool call of a multi-step run, in order, with `result` and `step` when known. */
  readonly trajectory?: readonly unknown[]
}

/** A failure the function reports as a value. */
export interface FunctionError {
  readonly message: string
  /** Default `unknown`. */
  readonly kind?: ProviderErrorKind
  /** Default: true for `rate_limited`, `timeout` and `unavailable`, false otherwise. */
  readonly retryable?: boolean
  /** Wait this long before the retry (honoured up to `runner.maxRetryAfterMs`). */
  readonly retryAfterMs?: number
}

/**
 * Options of the `function` provider: a JavaScript function as the system under test. Only a
 * config passed from code can hold one; a config file naming it gets a ConfigError.
 */
export const functionOptions = z
  .strictObject({
    type: z.literal('function'),
    ...providerCommon,
    call: z
      .custom<FunctionCall>((value) => typeof value === 'function', {
        message: 'expected a function (request, { signal }) => ({ output, usage? })',
      })
      .check(z.describe('The function called for each sample.')),
    model: z.optional(
      z
        .string()
        .check(z.describe('Model to price the usage as; unpriced (cost null) when absent.')),
    ),
  })
  .check(z.describe('A JavaScript function (the library API only; not in a config file).'))

export type FunctionOptions = z.output<typeof functionOptions>
