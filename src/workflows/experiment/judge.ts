/**
 * `shipgate experiment judge NAME`: grades the experiment's sampled responses that no earlier
 * run graded, with the config's judge and the experiment's `judge.rubric`, and stores each grade
 * as an outcome event (`judge.metric`, 0–1) of the sample's user and variant, at the sample's
 * time. The outcome's id is derived from the sample's (`<sample id>:judge:<metric>`): the store keeps
 * the first of equal ids and a run skips samples whose grade is stored, so re-running never
 * grades or stores twice. A sample the judge fails on is counted and left for the next run.
 * Model output is data: it reaches the judge inside the rubric prompt's delimiters, never run.
 */
import type { OutcomeEvent, SampleEvent } from '@shipgate/runtime/experiments'
import type { Grade } from '../../contracts/assertion.js'
import type { Clock } from '../../contracts/clock.js'
import type { ExperimentConfig } from '../../config/experiment-schema.js'
import type { ExperimentJudgeReport, JudgeFailure } from '../../contracts/experiment-ops.js'
import type { Logger } from '../../contracts/logger.js'
import type { ExperimentEventRepository } from '../../contracts/store.js'
import { usageError } from '../../errors.js'
import { silentLogger } from '../../logger.js'
import { systemClock } from '../../utils/clock.js'
import { withConfigAndStore, type StoreChoice } from '../project/index.js'
import { judgeTally, type JudgeTally } from './judge-tally.js'
import { openRubricJudge, type RubricJudge } from './judge-runtime.js'
import { allocated, experimentNamed } from './lookup.js'

/** Options of {@link experimentJudge}. */
export interface ExperimentJudgeOptions extends StoreChoice {
  /** Grade at most this many samples (oldest first); the rest wait for the next run. */
  readonly limit?: number
  /** Judge calls in flight at most; default 4. */
  readonly concurrency?: number
  readonly logger?: Logger
  /** Stops taking new samples (calls in flight finish, their grades are stored). */
  readonly signal?: AbortSignal
  readonly clock?: Clock
}

/**
 * The id of the grade of sample `sampleId` as `metric`: `<sample id>:judge:<metric>`. The metric
 * is part of it so that grades under a renamed `judge.metric` are new events, not duplicates.
 */
export function judgeEventId(sampleId: string, metric: string): string {
  return `${sampleId}${judgeSuffix(metric)}`
}

const judgeSuffix = (metric: string): string => `:judge:${metric}`

/** Grades are stored in batches of this many, so an interrupted run keeps what it graded. */
const BATCH = 20

/**
 * Grades the ungraded samples of experiment `name`. Throws a usage error when the experiment
 * has no `judge:`, and the judge's config error when the config's `judge:` is missing.
 */
export function experimentJudge(
  name: string,
  options: ExperimentJudgeOptions,
): Promise<ExperimentJudgeReport> {
  return withConfigAndStore(options, async (loaded, store) => {
    const experiment = experimentNamed(loaded, name)
    const rubric = judgeOf(experiment, name)
    const events = store.experimentEvents
    const tally = judgeTally(allocated(experiment))
    const graded = await gradedSamples(events, name, rubric.metric, tally)
    const { samples, pending, todo } = await ungraded(events, name, graded, options.limit)
    const logger = options.logger ?? silentLogger
    const judge = await openRubricJudge(loaded, rubric.rubric, {
      env: options.env,
      logger,
      clock: options.clock ?? systemClock,
      concurrency: options.concurrency ?? 4,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    })
    try {
      if (todo.length > 0) logger.info(`grading ${todo.length} samples of ${name} with ${judge.id}`)
      const failures = await gradeAll(todo, {
        judge,
        events,
        tally,
        metric: rubric.metric,
        options,
      })
      return tally.report({
        experiment: name,
        metric: rubric.metric,
        judge: judge.id,
        samples,
        skipped: samples - pending,
        failed: failures.length,
        remaining: pending - todo.length + unattempted(todo.length, tally, failures),
        failures: failures.slice(0, 20),
      })
    } finally {
      await judge.close()
    }
  })
}

/** An experiment's `judge:` block. */
type ExperimentJudgeConfig = NonNullable<ExperimentConfig['judge']>

/** The experiment's `judge:`; a usage error when it has none. */
function judgeOf(experiment: ExperimentConfig, name: string): ExperimentJudgeConfig {
  if (experiment.judge !== undefined) return experiment.judge
  throw usageError(
    `experiment '${name}' has no judge: nothing says how to grade its samples`,
    `add judge: { rubric: "What a good answer is" } under experiments.${name}, and a top-level judge: PROVIDER`,
  )
}

/** What grading needs besides the samples. */
interface Grading {
  readonly judge: RubricJudge
  readonly events: ExperimentEventRepository
  readonly tally: JudgeTally
  readonly metric: string
  readonly options: ExperimentJudgeOptions
}

/** Grades `todo`, storing each grade; returns the samples the judge failed on. */
async function gradeAll(todo: readonly SampleEvent[], g: Grading): Promise<JudgeFailure[]> {
  const sink = outcomeSink(g.events)
  const failures: JudgeFailure[] = []
  try {
    await pool(todo, g.options.concurrency ?? 4, g.options.signal, async (sample) => {
      const grade = await g.judge.check(inputOf(sample))
      g.tally.calls(grade)
      if (grade.error === true) return void failures.push(failureOf(sample, grade))
      g.tally.grade(sample.variant, grade.score)
      await sink.add(outcomeOf(sample, g.metric, grade.score))
    })
  } finally {
    // What was graded before a failure is kept: it is paid for.
    await sink.flush()
  }
  return failures
}

/** Ids of the samples graded before, their grades counted into `tally`. */
async function gradedSamples(
  events: ExperimentEventRepository,
  experiment: string,
  metric: string,
  tally: JudgeTally,
): Promise<Set<string>> {
  const graded = new Set<string>()
  for await (const event of events.read(experiment, { types: ['outcome'] })) {
    if (event.type !== 'outcome' || event.name !== metric) continue
    const suffix = judgeSuffix(metric)
    if (!event.id.endsWith(suffix)) continue
    graded.add(event.id.slice(0, -suffix.length))
    tally.earlier(event.variant, event.value)
  }
  return graded
}

/** The samples no run graded (`pending` of them), the first `limit` of them to grade now. */
async function ungraded(
  events: ExperimentEventRepository,
  experiment: string,
  graded: ReadonlySet<string>,
  limit = Infinity,
): Promise<{ samples: number; pending: number; todo: SampleEvent[] }> {
  const todo: SampleEvent[] = []
  let samples = 0
  let pending = 0
  for await (const event of events.read(experiment, { types: ['sample'] })) {
    if (event.type !== 'sample') continue
    samples += 1
    if (graded.has(event.id)) continue
    pending += 1
    // Only what is graded now is kept: a store may hold far more samples than a run grades.
    if (todo.length < limit) todo.push(event)
  }
  return { samples, pending, todo }
}

/** A sample as the rubric check sees it: the user's message and the variant's answer. */
function inputOf(sample: SampleEvent) {
  return {
    output: sample.output,
    vars: {},
    prompt: [{ role: 'user' as const, content: sample.input }],
    latencyMs: 0,
    costUsd: null,
    usage: null,
    toolCalls: [],
  }
}

function outcomeOf(sample: SampleEvent, metric: string, score: number): OutcomeEvent {
  return {
    v: 1,
    type: 'outcome',
    id: judgeEventId(sample.id, metric),
    experiment: sample.experiment,
    variant: sample.variant,
    user: sample.user,
    at: sample.at,
    name: metric,
    value: score,
  }
}

function failureOf(sample: SampleEvent, grade: Grade): JudgeFailure {
  return { sample: sample.id, variant: sample.variant, message: grade.reason }
}

/** Samples of `todo` neither graded nor failed: an interrupted run's rest. */
function unattempted(todo: number, tally: JudgeTally, failures: readonly JudgeFailure[]): number {
  return todo - tally.gradedNow() - failures.length
}

/** Appends outcomes in batches; `flush` stores what is left. */
function outcomeSink(events: ExperimentEventRepository) {
  let batch: OutcomeEvent[] = []
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return
    const out = batch
    batch = []
    await events.append(out)
  }
  return {
    async add(event: OutcomeEvent): Promise<void> {
      batch.push(event)
      if (batch.length >= BATCH) await flush()
    },
    flush,
  }
}

/** Runs `work` over `items` with at most `limit` at once; stops taking items once `signal` aborts. */
async function pool<T>(
  items: readonly T[],
  limit: number,
  signal: AbortSignal | undefined,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length && signal?.aborted !== true) {
      const item = items[next++] as T
      await work(item)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker))
}
