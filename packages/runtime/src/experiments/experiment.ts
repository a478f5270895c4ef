/**
 * `createExperiment`: an online experiment inside the service. A user's variant is the flag's
 * variant for `targetingKey` = the user id, so it is sticky across requests, processes and
 * restarts, and follows the flag file when a ramp changes it. Exposures, outcomes and sampled
 * responses go to a sink as {@link ExperimentEvent}s; the request path never waits for the
 * sink and never sees its errors.
 */
import type { EvaluationContext, FlagValue } from '@openfeature/server-sdk'
import { usageError } from '../errors.js'
import { Assignments } from './assignments.js'
import {
  EVENT_VERSION,
  type ExperimentEvent,
  type ExposureEvent,
  type OutcomeEvent,
  type SampleEvent,
} from './events.js'
import {
  type ExperimentOptions,
  resolveOptions,
  type ResolvedOptions,
  type Widen,
} from './options.js'

/** The variant a user is served. */
export interface Assignment<T> {
  /**
   * The flag's variant name (`v2`); `undefined` when the user is not in the experiment: no user
   * id, or the flag missing, disabled, of another type or not loaded yet.
   */
  readonly variant: string | undefined
  /** The variant's value (a prompt version, a model id, an object of settings), or the fallback. */
  readonly value: T
}

/** What an experiment has done since it was created, for health and metrics. */
export interface ExperimentStats {
  readonly exposures: number
  readonly outcomes: number
  readonly samples: number
  /** Calls for a user with no variant (see {@link Assignment.variant}): nothing was recorded. */
  readonly unassigned: number
  /** Calls where the sink's `write` threw; those events are lost. */
  readonly sinkErrors: number
  /** Users whose variant is remembered now (at most `maxUsers`). */
  readonly users: number
}

/** An experiment in the service; see the module doc and docs/runtime.md#experiments. */
export interface Experiment<T> {
  readonly name: string
  /**
   * The user's variant and its value, evaluated now (no user id, `undefined` or `''`: the
   * flag's default variant's value, not enrolled). Records an exposure the first time this
   * process serves the user this variant (and again if a ramp moves them, or after the user was
   * evicted from the `maxUsers` remembered). `context` adds targeting attributes; the user id
   * is always the targeting key.
   */
  assign(user: string | undefined, context?: EvaluationContext): Assignment<T>
  /**
   * Records an outcome (`task_success` 1, `thumbs` -1, `cost_usd` 0.0031) under the variant last
   * served to the user here, else the flag's variant for them now. Throws a usage error when
   * `value` is not a finite number or `name` is empty: a programming mistake.
   */
  track(user: string | undefined, name: string, value: number): void
  /**
   * With probability `sampleRate`, records the response for grading later
   * (`shipgate experiment judge`); returns whether it did. Nothing is judged here.
   */
  sample(
    user: string | undefined,
    response: { readonly input: string; readonly output: string },
  ): boolean
  /** Counters since creation. */
  stats(): ExperimentStats
}

/** Creates an experiment over a flag; see {@link ExperimentOptions}. */
export function createExperiment<T extends FlagValue>(
  options: ExperimentOptions<T>,
): Experiment<Widen<T>> {
  const config = resolveOptions(options)
  const assignments = new Assignments(config.maxUsers)
  const counts = { exposures: 0, outcomes: 0, samples: 0, unassigned: 0, sinkErrors: 0 }
  const events = eventFactory(config)
  const emit = writer(config, counts)
  // No user id: the flag's answer for anonymous traffic (its default variant), not enrolled.
  const evaluate = (user: string, context?: EvaluationContext) => {
    if (user !== '') {
      return config.evaluate(context ? { ...context, targetingKey: user } : { targetingKey: user })
    }
    const { targetingKey: _ignored, ...anonymous } = context ?? {}
    return { value: config.evaluate(anonymous).value }
  }
  const variantOf = (user: string): string | undefined => {
    const variant = assignments.get(user) ?? evaluate(user).variant
    if (variant === undefined) counts.unassigned++
    return variant
  }
  return {
    name: config.name,
    assign(userId, context) {
      const user = userOf(userId)
      const { variant, value } = evaluate(user, context)
      if (variant === undefined) counts.unassigned++
      else if (assignments.serve(user, variant)) {
        counts.exposures++
        emit(events.exposure(user, variant))
      }
      return { variant, value: value as Widen<T> }
    },
    track(userId, name, value) {
      checkOutcome(name, value)
      const user = userOf(userId)
      const variant = variantOf(user)
      if (variant === undefined) return
      counts.outcomes++
      emit(events.outcome(user, variant, name, value))
    },
    sample(userId, { input, output }) {
      checkSample(input, output)
      if (!(config.random() < config.sampleRate)) return false
      const user = userOf(userId)
      const variant = variantOf(user)
      if (variant === undefined) return false
      counts.samples++
      emit(events.sample(user, variant, input, output))
      return true
    },
    stats: () => ({ ...counts, users: assignments.size }),
  }
}

/** Builds each kind of event as one object literal (object spreads made `track` about five times slower). */
function eventFactory(config: ResolvedOptions) {
  const experiment = config.name
  const stamp = () => ({ id: config.id(), at: new Date(config.now()).toISOString() })
  return {
    exposure(user: string, variant: string): ExposureEvent {
      const { id, at } = stamp()
      return { v: EVENT_VERSION, id, type: 'exposure', experiment, variant, user, at }
    },
    outcome(user: string, variant: string, name: string, value: number): OutcomeEvent {
      const { id, at } = stamp()
      return { v: EVENT_VERSION, id, type: 'outcome', experiment, variant, user, at, name, value }
    },
    sample(user: string, variant: string, input: string, output: string): SampleEvent {
      const { id, at } = stamp()
      return { v: EVENT_VERSION, id, type: 'sample', experiment, variant, user, at, input, output }
    },
  }
}

/** Writes an event; a throwing sink is counted and logged once, never rethrown. */
function writer(config: ResolvedOptions, counts: { sinkErrors: number }) {
  return (event: ExperimentEvent): void => {
    try {
      config.sink.write([event])
    } catch (error) {
      if (counts.sinkErrors++ === 0) {
        const problem = `experiment '${config.name}': the sink threw, events are lost`
        config.logger.warn(`${problem}: ${String(error)}`)
      }
    }
  }
}

/** The user id, `''` for none (`undefined`, `null`: anonymous traffic, never enrolled). */
function userOf(user: unknown): string {
  if (user === undefined || user === null) return ''
  if (typeof user !== 'string') {
    throw usageError(`experiment: the user id must be a string, got ${typeof user}`)
  }
  return user
}

function checkOutcome(name: string, value: number): void {
  if (typeof name !== 'string' || name === '') {
    throw usageError('experiment.track: the outcome name must be a non-empty string')
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw usageError(
      `experiment.track('${name}'): the value must be a finite number, got ${String(value)}`,
      'record 0/1 for success, the score, the cost or the latency; skip the call when there is none',
    )
  }
}

function checkSample(input: unknown, output: unknown): void {
  if (typeof input !== 'string' || typeof output !== 'string') {
    throw usageError('experiment.sample: `input` and `output` must be strings')
  }
}
