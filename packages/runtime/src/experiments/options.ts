/**
 * The options of {@link createExperiment}, checked once when the experiment is created: a
 * mistake here is a programming error and throws a usage error naming the option.
 */
import { randomUUID } from 'node:crypto'
import type { EvaluationContext, FlagValue, FlagValueType } from '@openfeature/server-sdk'
import { usageError } from '../errors.js'
import type { FlagEvaluator } from '../flags/evaluator.js'
import type { ExperimentSink } from './events.js'
import { consoleWarn } from './sinks/batching.js'

/** A flag value's type, widened from a literal: `fallback: 'v1'` makes an experiment of strings. */
export type Widen<T> = T extends string
  ? string
  : T extends number
    ? number
    : T extends boolean
      ? boolean
      : T

/** Options of {@link createExperiment}. */
export interface ExperimentOptions<T extends FlagValue> {
  /** The experiment's name, as in shipgate.yaml `experiments:`; every event carries it. */
  readonly name: string
  /** The flag whose variants are the experiment's arms (e.g. `prompt_version`). */
  readonly flag: string
  /**
   * Where the flag is read: a `FileFlagProvider` (its synchronous `evaluator` is used) or any
   * `FlagEvaluator`, as `createFlagReleases` takes. The provider watches its file, so a ramp
   * (`shipgate flags ramp`, `shipgate experiment ship`) moves users without a restart.
   */
  readonly flags: FlagEvaluator | { readonly evaluator: FlagEvaluator }
  /**
   * The value served while the flag is missing, disabled, of another type or not loaded yet;
   * nothing is recorded for those users. Its type is the flag's type (string, number, boolean
   * or object).
   */
  readonly fallback: T
  /** Where events go: `jsonlSink`, `collectorSink` or your own. */
  readonly sink: ExperimentSink
  /** Share of `sample()` calls that write a `sample` event, 0–1; default 0. */
  readonly sampleRate?: number
  /** Users whose served variant is remembered (the exposure dedupe); default 100,000. */
  readonly maxUsers?: number
  /** Milliseconds since the epoch, for `at`; default `Date.now`. */
  readonly now?: () => number
  /** Uniform in [0, 1), for sampling; default `Math.random`. */
  readonly random?: () => number
  /** A new event id; default `crypto.randomUUID`. */
  readonly id?: () => string
  /** Told once when the sink throws; default `console.warn`. */
  readonly logger?: { warn(message: string): void }
}

/** The options with defaults filled in and the flag's evaluation bound. */
export interface ResolvedOptions {
  readonly name: string
  readonly sink: ExperimentSink
  readonly sampleRate: number
  readonly maxUsers: number
  readonly now: () => number
  readonly random: () => number
  readonly id: () => string
  readonly logger: { warn(message: string): void }
  /** The flag's variant and value for a context; the variant is undefined when none applies. */
  readonly evaluate: (context: EvaluationContext) => { variant?: string; value: FlagValue }
}

/** Checks `options` and fills in the defaults; throws a usage error on a bad option. */
export function resolveOptions<T extends FlagValue>(
  options: ExperimentOptions<T>,
): ResolvedOptions {
  const { name, flag, sampleRate = 0, maxUsers = 100_000 } = options
  if (typeof name !== 'string' || name === '') throw bad('name', 'a non-empty string')
  if (typeof flag !== 'string' || flag === '') throw bad('flag', 'a non-empty flag key')
  if (!(sampleRate >= 0 && sampleRate <= 1)) throw bad('sampleRate', 'a number from 0 to 1')
  if (!Number.isInteger(maxUsers) || maxUsers < 1) throw bad('maxUsers', 'a positive integer')
  const type = flagType(options.fallback)
  const evaluator = evaluatorOf(options.flags)
  return {
    name,
    sink: options.sink,
    sampleRate,
    maxUsers,
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
    id: options.id ?? randomUUID,
    logger: options.logger ?? consoleWarn,
    evaluate: (context) => evaluator.getDetails(type, flag, options.fallback, context),
  }
}

function evaluatorOf(flags: ExperimentOptions<FlagValue>['flags']): FlagEvaluator {
  const evaluator =
    typeof flags === 'object' && flags !== null && 'evaluator' in flags ? flags.evaluator : flags
  if (typeof (evaluator as Partial<FlagEvaluator> | undefined)?.getDetails === 'function') {
    return evaluator
  }
  throw bad(
    'flags',
    "a FileFlagProvider or its `evaluator` (an OpenFeature client's evaluation is asynchronous)",
  )
}

function flagType(fallback: unknown): FlagValueType {
  const type = typeof fallback
  if (type === 'string' || type === 'number' || type === 'boolean') return type
  if (type === 'object' && fallback !== null) return 'object'
  throw bad('fallback', "the flag's type of value: a string, number, boolean or object")
}

function bad(option: string, what: string): Error {
  return usageError(
    `createExperiment: \`${option}\` must be ${what}`,
    'see docs/runtime.md#experiments',
  )
}
