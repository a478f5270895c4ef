import type {
  CompletionRequest,
  CompletionResult,
  Provider,
  ProviderContext,
  ProviderError,
  ProviderErrorKind,
  ProviderFactory,
} from '../../contracts/provider.js'
import { ZERO_USAGE, type Usage } from '../../contracts/usage.js'
import { untilAborted } from '../../utils/abort.js'
import { errorMessage } from '../../utils/errors.js'
import * as z from '../../utils/zod.js'
import { errorKind } from '../common.js'
import { callsAt } from '../tool-paths.js'
import { functionOptions, type FunctionCall, type FunctionOptions } from './schema.js'

export type { FunctionAnswer, FunctionCall, FunctionError, FunctionReply } from './schema.js'

/**
 * The `function` provider: a JavaScript function is the system under test (library callers,
 * with a config passed as a value). Its answers are not recorded in cassettes: nothing goes
 * over HTTP. Failures are values, as for every provider: a throw, a rejection, an answer of the
 * wrong shape and an abort all come back as `{ ok: false }`.
 */
export const functionProvider: ProviderFactory<FunctionOptions> = {
  type: 'function',
  options: functionOptions,
  embeddings: false,
  create: (options, context) => new FunctionProvider(options, context),
}

/** Where a function's answer keeps its tool calls and steps. */
const CALL_FIELDS = { toolCalls: 'toolCalls', trajectory: 'trajectory' }

const RETRYABLE = new Set<ProviderErrorKind>(['rate_limited', 'timeout', 'unavailable'])

/** How a call of the function ended. */
type Settled = { reply: unknown } | { thrown: unknown }

class FunctionProvider implements Provider {
  readonly type = 'function'
  readonly id: string
  readonly model: string | undefined

  constructor(
    private readonly options: FunctionOptions,
    private readonly context: ProviderContext,
  ) {
    this.model = options.model
    this.id = `function:${options.model ?? context.name}`
  }

  async complete(
    request: CompletionRequest,
    { signal }: { signal: AbortSignal },
  ): Promise<CompletionResult> {
    const { clock } = this.context
    const started = clock.now()
    // An aborted call never reaches the function; one that ignores its signal holds nothing up.
    const settled = signal.aborted
      ? undefined
      : await untilAborted(invoke(this.options.call, request, signal), signal)
    const latencyMs = clock.now() - started
    if (settled === undefined) return failure({ message: 'call aborted' }, latencyMs)
    if ('thrown' in settled) return failure({ message: errorMessage(settled.thrown) }, latencyMs)
    const { reply } = settled
    if (isRecord(reply) && isRecord(reply.error)) return failure(reply.error, latencyMs)
    if (!isRecord(reply) || typeof reply.output !== 'string') {
      const message = `the function answered ${describe(reply)}, not { output: string }`
      return failure({ message }, latencyMs)
    }
    const model = typeof reply.model === 'string' ? reply.model : this.model
    const usage = usageOf(reply.usage)
    const calls = callsAt(reply, CALL_FIELDS)
    if (!calls.ok) return failure({ message: calls.message }, latencyMs)
    const { toolCalls, trajectory } = calls
    const answer = {
      ok: true as const,
      output: reply.output,
      usage,
      latencyMs,
      cached: false,
      model,
    }
    if (toolCalls === undefined && trajectory === undefined) return answer
    return { ...answer, ...(toolCalls && { toolCalls }), ...(trajectory && { trajectory }) }
  }
}

/** Calls the function, turning a synchronous throw or a rejection into a value. */
async function invoke(
  call: FunctionCall,
  request: CompletionRequest,
  signal: AbortSignal,
): Promise<Settled> {
  try {
    return { reply: await call(request, { signal }) }
  } catch (error) {
    return { thrown: error }
  }
}

/** A failure from what the function said (or a message of ours): `unknown`, not retryable, by default. */
function failure(error: Record<string, unknown>, latencyMs: number): CompletionResult {
  const kind = z.safeParse(errorKind, error.kind).data ?? 'unknown'
  const result: { -readonly [K in keyof ProviderError]: ProviderError[K] } = {
    kind,
    message: typeof error.message === 'string' ? error.message : 'the function reported an error',
    retryable: typeof error.retryable === 'boolean' ? error.retryable : RETRYABLE.has(kind),
  }
  const wait = error.retryAfterMs
  if (typeof wait === 'number' && Number.isFinite(wait) && wait >= 0) result.retryAfterMs = wait
  return { ok: false, error: result, latencyMs }
}

/** Token counts as given, a missing or invalid count as 0. */
function usageOf(usage: unknown): Usage {
  if (!isRecord(usage)) return ZERO_USAGE
  const count = (key: keyof Usage): number => {
    const value = usage[key]
    return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0
  }
  return {
    input: count('input'),
    output: count('output'),
    cacheRead: count('cacheRead'),
    cacheWrite: count('cacheWrite'),
    reasoning: count('reasoning'),
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value)
  if (Array.isArray(value)) return 'a list'
  return typeof value === 'object' ? 'an object without a string `output`' : typeof value
}
