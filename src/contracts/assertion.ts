import type { $ZodType as ZodType } from 'zod/v4/core'
import type { ChatMessage, StructuredOutput, ToolCall, ToolSpec } from './provider.js'
import type { Usage } from './usage.js'

/**
 * The verdict of one check on one output. A failed check is a value with its reason, never a
 * throw. `reason` states the fact either way ("output contains \"x\""), so a negated check
 * (`not-contains`) can reuse it.
 */
export interface Grade {
  readonly pass: boolean
  /** 0..1; 1 is best. */
  readonly score: number
  readonly reason: string
  /** The measure on its own scale when it has one (g-eval 1–10, cosine similarity). */
  readonly value?: number
  /** The range `value` lies in, which bounds its intervals (default: 0–1, like scores). */
  readonly scale?: { readonly min: number; readonly max: number }
  /**
   * True when the check could not decide (a judge that failed or answered malformed twice):
   * the sample is an error, never a pass.
   */
  readonly error?: boolean
  /** What the check's judge calls cost; reported apart from the system under test. */
  readonly judge?: JudgeUsage
}

/** The bookkeeping of a check's judge calls. */
export interface JudgeUsage {
  /** `type:model` of the judge. */
  readonly provider: string
  /** Calls made, retries included. */
  readonly calls: number
  readonly usage: Usage | null
  /** `null` when a call had no price. */
  readonly costUsd: number | null
  /** Wall time of the calls. */
  readonly latencyMs: number
  /** Every call was served from a cassette. */
  readonly cached: boolean
  /** Version (content hash) of the judge prompt template. */
  readonly promptVersion?: string
}

/** What a check sees of one sample. Model output is untrusted data: never evaluate it. */
export interface AssertionInput {
  readonly output: string
  readonly vars: Readonly<Record<string, unknown>>
  readonly prompt: readonly ChatMessage[]
  readonly latencyMs: number
  /** `null` when the model has no price. */
  readonly costUsd: number | null
  readonly usage: Usage | null
  /** The answer's tool calls, in order (empty when none). */
  readonly toolCalls: readonly ToolCall[]
  /** Every tool call of a multi-step run, when the system reported its steps. */
  readonly trajectory?: readonly ToolCall[]
  /**
   * True when the answer came through a provider's batch API (`eval --batch`): `latencyMs` is
   * then the batch's wait, not the model's, and `latency` checks are not counted.
   */
  readonly batched?: boolean
}

/** A prepared check: the assertion's value is already parsed and compiled. */
export type Check = (input: AssertionInput) => Grade | Promise<Grade>

/** An assertion as written in config: `{ type, value, threshold, weight }`, as in promptfoo. */
export interface AssertionSpec {
  readonly type: string
  readonly value?: unknown
  readonly threshold?: number
  /** Share of the case score; 0 makes the assertion informational. Default 1. */
  readonly weight?: number
  /** A name to report the assertion's score under. */
  readonly metric?: string
  /** Judge provider of a model-graded assertion (a name under `providers`). */
  readonly provider?: string
  /** Judge prompt of a model-graded assertion (a name under `prompts`). */
  readonly prompt?: string
  /**
   * JavaScript that reshapes the output for this assertion alone, after the suite's and the
   * case's (an expression of `output` and `context`, or `file://module.js`).
   */
  readonly transform?: string
}

/** What `prepare` may use besides the assertion's own value. */
export interface AssertionContext {
  /** Directory of the file that declared the assertion; `file://` values resolve against it. */
  readonly baseDir: string
  /**
   * The judge for a model-graded check: the provider named on the assertion, else the suite's
   * or the config's `judge:`. Throws a config error when none is set, the name is unknown, or
   * (for `embeddings`) the provider has no embeddings endpoint.
   */
  judge(need: 'chat' | 'embeddings', provider?: string): Promise<Judge>
  /** A judge prompt the config overrides for `type`, or the assertion's own `prompt:` name. */
  judgePrompt(type: string, name?: string): JudgePromptTemplate | undefined
  /** The tools the suite declares (`tools:`), for checks of tool calls. Empty when none. */
  readonly tools: readonly ToolSpec[]
}

/** A judge prompt from the config's `prompts:`. */
export interface JudgePromptTemplate {
  readonly name: string
  readonly version: string
  /** Renders the messages; throws when a variable is missing. */
  render(vars: Readonly<Record<string, unknown>>): readonly ChatMessage[]
}

/** One judge call's answer: the text (JSON when structured) and its bookkeeping. */
export type JudgeAnswer<T> =
  | { readonly ok: true; readonly value: T; readonly calls: readonly JudgeCallRecord[] }
  | { readonly ok: false; readonly message: string; readonly calls: readonly JudgeCallRecord[] }

/** What one judge call cost. */
export interface JudgeCallRecord {
  readonly usage: Usage | null
  readonly costUsd: number | null
  readonly latencyMs: number
  readonly cached: boolean
}

/**
 * A provider used as a judge. Calls are retried on retryable failures under the runner's
 * policy, limited in concurrency, and go through cassettes like any other call.
 */
export interface Judge {
  /** `type:model` of the judge. */
  readonly id: string
  /** A raw completion; `ok: false` when the call failed for good. */
  complete(
    messages: readonly ChatMessage[],
    structured?: StructuredOutput,
  ): Promise<JudgeAnswer<string>>
  /** Embedding vectors of `texts`, in order. */
  embed(texts: readonly string[]): Promise<JudgeAnswer<readonly (readonly number[])[]>>
}

/** One assertion type. */
export interface AssertionType<V> {
  readonly type: string
  /** Whether `not-<type>` is offered. */
  readonly negatable: boolean
  /** Validates the `value` of the assertion. */
  readonly value: ZodType<V>
  /**
   * Compiles the assertion once (regex, schema, user function) and returns the check that runs
   * on every sample. Throws a config error for a value that cannot be used.
   */
  prepare(value: V, spec: AssertionSpec, context: AssertionContext): Check | Promise<Check>
}
