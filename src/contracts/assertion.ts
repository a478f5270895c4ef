import type { $ZodType as ZodType } from 'zod/v4/core'
import type { ChatMessage } from './provider.js'
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
}

/** What `prepare` may use besides the assertion's own value. */
export interface AssertionContext {
  /** Directory of the file that declared the assertion; `file://` values resolve against it. */
  readonly baseDir: string
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
