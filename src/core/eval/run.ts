import { errorMessage } from '../../utils/errors.js'
import type { AssertionInput } from '../../contracts/assertion.js'
import type { ChatMessage, CompletionResult, Provider, ToolCall } from '../../contracts/provider.js'
import type { SampleResult } from '../../contracts/results.js'
import type { Usage } from '../../contracts/usage.js'
import { gradeSample } from './grade.js'
import { repeatOf, type EvalPlan, type PlannedCase, type PlannedSuite } from './plan.js'
import { schedule, type Job, type JobOutcome, type SchedulerOptions } from './scheduler.js'

/** What {@link runEval} needs from the outside world. */
export interface EvalDeps {
  /** Providers by name, as suites refer to them. */
  readonly providers: ReadonlyMap<string, Provider>
  /** Cost in USD of a call's usage; `null` when unknown. */
  readonly cost: (
    provider: Provider,
    model: string | undefined,
    usage: Usage | null,
    /** Answered through the provider's batch API: priced at its batch rates. */
    batched?: boolean,
  ) => number | null
  /** Receives each finished sample, in completion order; awaited before the run ends. */
  readonly onSample: (sample: SampleResult) => void | Promise<void>
  readonly scheduler: SchedulerOptions
  /** Samples not to run: an earlier attempt of the same shard stored them (a resumed shard). */
  readonly skip?: (suite: string, caseId: string, sample: number) => boolean
}

/** How the run ended. */
export interface EvalOutcome {
  readonly interrupted: boolean
  readonly samples: number
}

interface SampleJob extends Job {
  readonly suite: PlannedSuite
  readonly kase: PlannedCase
  readonly sample: number
  readonly provider: Provider
}

/**
 * Runs every case of the plan `repeat` times against its suite's provider under the scheduler's
 * limits, grades each answer, and hands each sample to `onSample` as it finishes.
 */
export async function runEval(plan: EvalPlan, deps: EvalDeps): Promise<EvalOutcome> {
  const jobs = planJobs(plan, deps.providers, deps.skip)
  const summary = await schedule(jobs, (job, outcome) => settle(job, outcome, deps), deps.scheduler)
  return { interrupted: summary.interrupted, samples: summary.settled }
}

function planJobs(
  plan: EvalPlan,
  providers: ReadonlyMap<string, Provider>,
  skip: EvalDeps['skip'],
): SampleJob[] {
  const jobs: SampleJob[] = []
  for (const suite of plan.suites) {
    const provider = providers.get(suite.provider.name)
    if (provider === undefined) throw new Error(`no provider named ${suite.provider.name}`)
    const tools = suite.tools !== undefined && suite.tools.length > 0 ? suite.tools : undefined
    for (const kase of suite.cases) {
      const call = (signal: AbortSignal): Promise<CompletionResult> => {
        const messages = renderOrFailure(kase)
        if (!Array.isArray(messages)) return Promise.resolve(messages as CompletionResult)
        const request =
          tools === undefined ? { messages, vars: kase.vars } : { messages, vars: kase.vars, tools }
        return provider.complete(request, { signal })
      }
      for (let sample = 0; sample < repeatOf(suite, kase); sample++) {
        if (skip?.(suite.name, kase.id, sample) === true) continue
        jobs.push({ key: suite.provider.name, suite, kase, sample, provider, call })
      }
    }
  }
  return jobs
}

async function settle(job: SampleJob, outcome: JobOutcome, deps: EvalDeps): Promise<void> {
  await deps.onSample(await toSample(job, outcome, deps))
}

async function toSample(
  job: SampleJob,
  outcome: JobOutcome,
  deps: EvalDeps,
): Promise<SampleResult> {
  // The identifying fields are written out, not spread from a shared object: on Node 20 a
  // literal that starts with a spread gets a hidden class of its own, one per sample kept.
  const { suite, kase, sample } = job
  const { result, attempts } = outcome
  if (!result.ok) {
    return {
      suite: suite.name,
      caseId: kase.id,
      sample,
      output: null,
      pass: false,
      score: 0,
      grades: [],
      usage: null,
      costUsd: null,
      latencyMs: result.latencyMs ?? null,
      error: {
        kind: result.error.kind,
        message: result.error.message,
        ...(result.error.hint === undefined ? {} : { hint: result.error.hint }),
      },
      attempts,
      cached: false,
    }
  }
  const costUsd = deps.cost(job.provider, result.model, result.usage, result.batched === true)
  const input: AssertionInput = {
    output: result.output,
    vars: job.kase.vars,
    prompt: job.kase.messages(),
    latencyMs: result.latencyMs,
    costUsd,
    usage: result.usage,
    toolCalls: result.toolCalls ?? NO_CALLS,
    ...(result.trajectory === undefined ? {} : { trajectory: result.trajectory }),
    ...(result.batched === true ? { batched: true } : {}),
  }
  const verdict = await gradeSample(job.kase, input)
  const undecided = verdict.grades.find((g) => g.error === true)
  return {
    suite: suite.name,
    caseId: kase.id,
    sample,
    output: result.output,
    pass: verdict.pass,
    score: verdict.score,
    grades: verdict.grades,
    usage: result.usage,
    costUsd,
    // A batched answer has no latency of its own: its wait is the batch's, kept out of latency figures.
    latencyMs: result.batched === true ? null : result.latencyMs,
    error: undecided === undefined ? null : { kind: 'assertion', message: undecided.reason },
    attempts,
    cached: result.cached,
    ...(result.toolCalls === undefined || result.toolCalls.length === 0
      ? {}
      : { toolCalls: result.toolCalls }),
    ...(result.trajectory === undefined ? {} : { trajectory: result.trajectory }),
  }
}

const NO_CALLS: readonly ToolCall[] = []

/** The case's messages, or the failure of a prompt that does not render: a bad request. */
function renderOrFailure(kase: PlannedCase): readonly ChatMessage[] | CompletionResult {
  try {
    return kase.messages()
  } catch (error) {
    const message = errorMessage(error)
    return {
      ok: false,
      error: {
        kind: 'bad_request',
        message: `prompt does not render: ${message}`,
        retryable: false,
      },
    }
  }
}
