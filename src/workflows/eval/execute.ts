/**
 * Running a planned eval: the run recorded while the first calls are in flight, samples
 * streamed to the store in batches and to the reporters, and the run's end recorded whatever
 * happened — what finished is kept, with a status that says how it ended.
 */
import type { Clock } from '../../contracts/clock.js'
import type { Provider } from '../../contracts/provider.js'
import type { ResultsDocument, RunInfo, RunStatus } from '../../contracts/results.js'
import type { StoredCase, Store } from '../../contracts/store.js'
import type { LoadedConfig } from '../../config/load.js'
import { createResultsBuilder } from '../../core/eval/aggregate.js'
import { totalSamples, type EvalPlan } from '../../core/eval/plan.js'
import { stopFan } from '../../core/eval/retry.js'
import { reuseBaseline } from '../../core/eval/reuse.js'
import { runEval } from '../../core/eval/run.js'
import type { Redactor } from '../../utils/redact.js'
import { multiplex } from '../../reporters/multiplex.js'
import { currentOwner, recoverAbandonedRuns } from '../project/index.js'
import type { RunGuard } from './guard.js'
import type { JudgeHub } from './judges.js'
import type { EvalOptions, EvalOutcome, EvalResult } from './options.js'
import { endShard, joinSharedRun, type JoinedShard } from './shared.js'
import { createBatchWriter } from './writer.js'
import { callPolicy } from './call-policy.js'
import {
  BATCH_WAIT_MS,
  batchProviders,
  type BatchedProviders,
  type BatchRun,
} from './batch/index.js'
import type { Resumed } from '../../core/eval/reuse.js'

/** Everything a planned run needs, opened by `evaluate`. */
export interface RunContext {
  readonly loaded: LoadedConfig
  readonly providers: ReadonlyMap<string, Provider>
  readonly store: Store
  readonly options: EvalOptions
  readonly clock: Clock
  readonly cases: readonly StoredCase[]
  readonly stop: AbortController
  readonly guard: RunGuard
  readonly judges: JudgeHub
  /** Applied to every sample before it is kept, stored or reported, and to the run's record. */
  readonly redactor: Redactor
  /** With `--run-id`: every selected suite and case, which the shared run records. */
  readonly whole?: { readonly plan: EvalPlan; readonly cases: readonly StoredCase[] }
  /** With `--batch`: how calls are batched, and the batches earlier attempts submitted. */
  readonly batch?: BatchRun
  /** With `--resume`: what the earlier attempt finished, kept instead of run again. */
  readonly resumed?: Resumed
}

export async function execute(info: RunInfo, plan: EvalPlan, ctx: RunContext): Promise<EvalResult> {
  const { store, options, clock, loaded, redactor } = ctx
  const suites = redactor.json(plan.suites.map(({ cases: _cases, ...suite }) => suite))
  const cases = redactor.json(ctx.cases)
  const { stop, guard } = ctx
  // A shard of a shared run joins it first: what an earlier attempt stored is not run again.
  const joined = await joinShard(info, ctx)
  // The run and its planned cases are recorded while the first calls are in flight; samples
  // wait for that record before they are written. If it fails, the run stops.
  const created =
    joined === undefined
      ? nextTick().then(() =>
          store.runs.create({ ...redactor.json(info), suites, owner: currentOwner() }, cases),
        )
      : Promise.resolve()
  created.catch(() => stop.abort())
  const reporters = multiplex(options.reporters ?? [], options.logger)
  const writer = createBatchWriter(store.runs, info.id, { after: created })
  const collected = createResultsBuilder(suites, cases)
  const only = options.reuse?.suites
  const reuse =
    options.reuse === undefined
      ? undefined
      : reuseBaseline(plan, options.reuse.baseline, (s) => only === undefined || only.includes(s))
  if (reuse !== undefined && reuse.cases > 0) {
    options.logger.info(
      `reusing ${reuse.cases} unchanged cases from ${options.reuse?.baseline.run.id}`,
    )
  }
  await reporters.onRunStart({ runId: info.id, suites, totalSamples: totalSamples(plan) })
  for (const sample of redactor.json(reuse?.samples ?? [])) {
    collected.add(sample)
    writer.add(sample)
    reporters.onSample(sample)
  }
  for (const sample of redactor.json(ctx.resumed?.samples ?? [])) {
    collected.add(sample)
    writer.add(sample)
    reporters.onSample(sample)
  }
  for (const sample of joined?.resumed ?? []) {
    collected.add(sample)
    reporters.onSample(sample)
  }
  const phase = phaseLogger(options.logger)
  phase(`run ${info.id} recorded`)
  const runner = loaded.config.runner
  const concurrency = options.concurrency ?? runner.concurrency
  const policy = callPolicy(loaded, [...ctx.providers.keys()], concurrency)
  const { cost, retry } = policy
  const random = options.random ?? Math.random
  const batching = openBatching(info, ctx, created, policy.concurrency)
  const calls = batchedPolicy(policy, concurrency, ctx.providers.keys(), batching?.batched)
  const providers = batching?.providers ?? ctx.providers
  ctx.judges.bind({
    providers,
    cost,
    timeoutMs: calls.timeoutMs,
    concurrency: calls.concurrency,
    retry,
    clock,
    random,
    stop: stopFan(stop.signal),
    graceMs: runner.graceMs,
  })
  let status: RunStatus = 'failed'
  let failure: { error: unknown } | undefined
  try {
    const outcome = await runEval(reuse?.plan ?? plan, {
      providers,
      cost,
      onSample(raw) {
        const sample = redactor.json(raw)
        guard.onSample(sample)
        collected.add(sample)
        writer.add(sample)
        reporters.onSample(sample)
      },
      scheduler: {
        concurrency: calls.total,
        limits: calls.limits,
        timeoutMs: runner.timeoutMs,
        timeouts: calls.timeouts,
        retry,
        graceMs: runner.graceMs,
        stop: stop.signal,
        clock,
        random,
        defer: setImmediate,
      },
      skip: joined?.skip ?? ctx.resumed?.has,
    })
    status = outcome.interrupted ? 'interrupted' : 'completed'
  } catch (error) {
    failure = { error }
  }
  // A guard stop (a replay miss, a failed key) is an environment error: the run did not fail,
  // it was stopped with what finished kept, as on Ctrl-C.
  const stopped = guard.error()
  if (stopped !== undefined && failure === undefined) {
    status = 'interrupted'
    failure = { error: stopped }
  }
  phase(`samples done (${status})`)
  // Whatever happened, what finished is written and the run gets its final status.
  try {
    await writer.flush()
  } catch (error) {
    status = 'failed'
    failure ??= { error }
  }
  await created // rethrows why the run could not be recorded: there is nothing to finish
  const finishedAt = new Date(clock.now()).toISOString()
  const results = collected.build({ ...info, status, finishedAt })
  if (joined === undefined) {
    await store.runs.finish(info.id, { status, finishedAt, summary: results.summary })
  } else {
    await endShard(store, info.id, joined.shard, { status, finishedAt }, clock, options.logger)
  }
  // Runs that crashed processes left `running` get their final status; nothing waits on this.
  await recoverAbandonedRuns(store)
  phase('results written')
  if (failure !== undefined) throw failure.error
  await reporters.onRunEnd(results)
  phase('reported')
  return { outcome: outcomeOf(results), results }
}

/**
 * With `--batch`: the providers with a batch API wrapped to batch their calls. Each batch is
 * stored with the run as soon as it is submitted (after the run's own record), and batches of
 * earlier attempts are stored with this one too, so a later `--resume` of it finds them all.
 */
function openBatching(
  info: RunInfo,
  ctx: RunContext,
  created: Promise<void>,
  concurrency: (name: string) => number,
): BatchedProviders | undefined {
  const { batch, store, options, clock, stop } = ctx
  if (batch === undefined) return undefined
  const recorded = created.then(async () => {
    for (const earlier of batch.resumed) await store.runs.addBatch(info.id, earlier)
  })
  recorded.catch(() => undefined)
  return batchProviders(ctx.providers, batch, {
    clock,
    logger: options.logger,
    stop: stop.signal,
    onSubmit: async (submitted) => {
      await recorded
      await store.runs.addBatch(info.id, submitted)
    },
    resumeHint: `collect it with \`shipgate eval --batch --resume ${info.id}\``,
    concurrency,
  })
}

/**
 * The run's limits with batched providers: their calls all wait at once (a batch holds them),
 * for up to a day, while the other providers keep the run's concurrency between them.
 */
function batchedPolicy(
  policy: ReturnType<typeof callPolicy>,
  concurrency: number,
  names: Iterable<string>,
  batched: ReadonlySet<string> | undefined,
) {
  if (batched === undefined || batched.size === 0) {
    const { limits, timeouts, timeoutMs } = policy
    return { total: concurrency, limits, timeouts, timeoutMs, concurrency: policy.concurrency }
  }
  // With no cap on the whole run, each provider that is not batched is held to its own.
  const limits = new Map<string, number>()
  const timeouts = new Map(policy.timeouts)
  for (const name of names) {
    if (batched.has(name)) timeouts.set(name, BATCH_WAIT_MS)
    else limits.set(name, policy.concurrency(name))
  }
  return {
    total: Number.MAX_SAFE_INTEGER,
    limits,
    timeouts,
    timeoutMs: (name: string) => (batched.has(name) ? BATCH_WAIT_MS : policy.timeoutMs(name)),
    concurrency: (name: string) =>
      batched.has(name) ? Number.MAX_SAFE_INTEGER : policy.concurrency(name),
  }
}

/** Joins the shared run when the eval has a `--run-id`; `undefined` otherwise. */
async function joinShard(info: RunInfo, ctx: RunContext): Promise<JoinedShard | undefined> {
  const { options, whole, redactor } = ctx
  if (options.runId === undefined || info.shard === undefined || whole === undefined) return
  const suites = whole.plan.suites.map(({ cases: _cases, ...suite }) => suite)
  return joinSharedRun(
    ctx.store,
    { ...redactor.json(info), shard: info.shard },
    { suites: redactor.json(suites), cases: redactor.json(whole.cases) },
    options.logger,
  )
}

function outcomeOf(results: ResultsDocument): EvalOutcome {
  if (results.run.status === 'interrupted') return 'interrupted'
  return results.summary.pass ? 'passed' : 'failed'
}

export function withProviderIds(
  plan: EvalPlan,
  providers: ReadonlyMap<string, Provider>,
): EvalPlan {
  return {
    suites: plan.suites.map((s) => ({
      ...s,
      provider: { name: s.provider.name, id: providers.get(s.provider.name)?.id ?? s.provider.id },
    })),
  }
}

/** Logs (at debug level) how long each phase of a run took, for `SHIPGATE_LOG_LEVEL=debug`. */
export function phaseLogger(logger: EvalOptions['logger']): (what: string) => void {
  let last = performance.now()
  return (what) => {
    const now = performance.now()
    logger.debug(`${what} in ${(now - last).toFixed(0)} ms (at ${now.toFixed(0)} ms)`)
    last = now
  }
}

/** Resolves after the current I/O phase, once the scheduler has started the first calls. */
function nextTick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}
