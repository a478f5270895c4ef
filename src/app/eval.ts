import type { Clock, Random } from '../contracts/clock.js'
import type { Logger } from '../contracts/logger.js'
import type { Provider } from '../contracts/provider.js'
import type { Reporter } from '../contracts/reporter.js'
import type { GitInfo, ResultsDocument, RunInfo, RunStatus, Shard } from '../contracts/results.js'
import type { Store } from '../contracts/store.js'
import { loadConfig, type LoadedConfig } from '../config/load.js'
import { createResultsBuilder } from '../core/eval/aggregate.js'
import { totalSamples, type EvalPlan } from '../core/eval/plan.js'
import { stopFan } from '../core/eval/retry.js'
import { formatShard } from '../core/eval/shard.js'
import { reuseBaseline } from '../core/eval/reuse.js'
import { runEval } from '../core/eval/run.js'
import { costOf, createPriceLookup } from '@shipgate/runtime/pricing'
import { multiplex } from '../reporters/multiplex.js'
import { openStore } from '../stores/index.js'
import { systemClock } from '../utils/clock.js'
import { readGitInfo } from '../utils/git.js'
import { newRunId } from '../utils/ids.js'
import { runFetch, type CassetteChoice } from './cassettes.js'
import { createRunGuard, type RunGuard } from './guard.js'
import { buildPlan } from './plan.js'
import { currentOwner, recoverAbandonedRuns } from './recover.js'
import { storeLocation } from './store.js'
import { closeProviders, createProviders, perProvider } from './providers.js'
import { shipgateVersion } from '../utils/package.js'
import { createBatchWriter } from './writer.js'
import { JudgeHub } from './judges.js'
import type { Usage } from '../contracts/usage.js'

/** Options of {@link evaluate}. */
export interface EvalOptions {
  readonly cwd: string
  readonly env: Readonly<Record<string, string | undefined>>
  /** Config file (`-c`); otherwise found upward from `cwd`. */
  readonly configFile?: string
  readonly suites?: readonly string[]
  readonly tags?: readonly string[]
  readonly repeat?: number
  readonly concurrency?: number
  readonly reporters?: readonly Reporter[]
  /** Aborting it stops the run: nothing new starts, what finished is saved as `interrupted`. */
  readonly signal?: AbortSignal
  readonly logger: Logger
  readonly clock?: Clock
  readonly random?: Random
  /** A store to use instead of the one the config names (tests, library callers). */
  readonly store?: Store
  /** `--provider NAME.KEY=VALUE` overrides. */
  readonly providerOverrides?: readonly string[]
  /** Record/replay mode and directory, over the config's `cassettes:`. */
  readonly cassettes?: CassetteChoice
  /** Run only this shard of the selected cases (`--shard i/n`); recorded in the run. */
  readonly shard?: Shard
  /**
   * Copy unchanged cases' results from this baseline run instead of running them again
   * (`--reuse-baseline`), in the suites `suites` lists (default all).
   */
  readonly reuse?: { readonly baseline: ResultsDocument; readonly suites?: readonly string[] }
}

/** How an eval ended, for the caller to turn into an exit code. */
export type EvalOutcome = 'passed' | 'failed' | 'interrupted'

/** The outcome and the full results of a run. */
export interface EvalResult {
  readonly outcome: EvalOutcome
  readonly results: ResultsDocument
}

/**
 * `shipgate eval` as a library call: loads the config, plans cases × repeats, runs them against
 * their providers, grades them, streams samples to the store in batches and to the reporters,
 * and records how the run ended. Config problems throw a ConfigError before anything runs.
 */
export async function evaluate(options: EvalOptions): Promise<EvalResult> {
  const clock = options.clock ?? systemClock
  const loaded = await loadConfig({
    cwd: options.cwd,
    env: options.env,
    ...(options.configFile === undefined ? {} : { file: options.configFile }),
    ...(options.providerOverrides === undefined
      ? {}
      : { providerOverrides: options.providerOverrides }),
  })
  // git runs as child processes: let them work while the plan is built.
  const git = readGitInfo(loaded.dir, options.env)
  const selected = loaded.suites.filter(
    (s) => (options.suites ?? []).length === 0 || options.suites?.includes(s.name),
  )
  const providerNames = selected.map((s) => s.config.provider)
  const phase = phaseLogger(options.logger)
  phase('config loaded')
  const judges = new JudgeHub(loaded)
  const { plan, cases } = await buildPlan(
    loaded,
    {
      suites: options.suites ?? [],
      tags: options.tags ?? [],
      ...(options.repeat === undefined ? {} : { repeat: options.repeat }),
      ...(options.shard === undefined ? {} : { shard: options.shard }),
    },
    judges,
  )
  if (options.shard !== undefined) {
    const n = cases.length
    options.logger.info(`shard ${formatShard(options.shard)}: ${n} case${n === 1 ? '' : 's'}`)
  }
  phase(`planned ${totalSamples(plan)} samples`)
  const stop = linkedStop(options.signal)
  const guard = createRunGuard(stop)
  const http = runFetch(loaded, options.cassettes ?? {}, {
    clock,
    env: options.env,
    onMiss: (miss) => guard.onMiss(miss),
  })
  const providers = await createProviders(loaded, [...providerNames, ...judges.names()], {
    env: options.env,
    clock,
    logger: options.logger,
    fetch: http.fetch,
    offline: http.offline,
  })
  const store =
    options.store ?? (await openStore(storeLocation(options.env, loaded.config.store), loaded.dir))
  try {
    const info = runInfo(loaded, await git, clock, options.shard)
    phase('store open, git read')
    return await execute(info, withProviderIds(plan, providers), {
      loaded,
      providers,
      store,
      options,
      clock,
      cases,
      stop,
      guard,
      judges,
    })
  } finally {
    await http.flush()
    await closeProviders(providers, options.logger)
    if (options.store === undefined) await store.close()
  }
}

function runInfo(
  loaded: LoadedConfig,
  git: GitInfo | null,
  clock: Clock,
  shard: Shard | undefined,
): RunInfo {
  const started = new Date(clock.now())
  return {
    id: newRunId(started),
    status: 'running',
    startedAt: started.toISOString(),
    finishedAt: null,
    git,
    configHash: loaded.hash,
    shipgateVersion: shipgateVersion(),
    ...(shard === undefined ? {} : { shard }),
  }
}

interface Context {
  readonly loaded: LoadedConfig
  readonly providers: ReadonlyMap<string, Provider>
  readonly store: Store
  readonly options: EvalOptions
  readonly clock: Clock
  readonly cases: Parameters<Store['runs']['create']>[1]
  readonly stop: AbortController
  readonly guard: RunGuard
  readonly judges: JudgeHub
}

async function execute(info: RunInfo, plan: EvalPlan, ctx: Context): Promise<EvalResult> {
  const { store, options, clock, loaded } = ctx
  const suites = plan.suites.map(({ cases: _cases, ...suite }) => suite)
  const { stop, guard } = ctx
  // The run and its planned cases are recorded while the first calls are in flight; samples
  // wait for that record before they are written. If it fails, the run stops.
  const created = nextTick().then(() =>
    store.runs.create({ ...info, suites, owner: currentOwner() }, ctx.cases),
  )
  created.catch(() => stop.abort())
  const reporters = multiplex(options.reporters ?? [], options.logger)
  const writer = createBatchWriter(store.runs, info.id, { after: created })
  const collected = createResultsBuilder(suites, ctx.cases)
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
  const prices = createPriceLookup(loaded.config.pricing)
  await reporters.onRunStart({ runId: info.id, suites, totalSamples: totalSamples(plan) })
  for (const sample of reuse?.samples ?? []) {
    collected.add(sample)
    writer.add(sample)
    reporters.onSample(sample)
  }
  const phase = phaseLogger(options.logger)
  phase(`run ${info.id} recorded`)
  const runner = loaded.config.runner
  const cost = (provider: Provider, model: string | undefined, usage: Usage | null) =>
    costOf(prices(provider.type, model ?? provider.model), usage)
  const retry = {
    retries: runner.retries,
    baseDelayMs: runner.backoffMs,
    maxDelayMs: runner.maxBackoffMs,
    maxRetryAfterMs: runner.maxRetryAfterMs,
  }
  const concurrency = options.concurrency ?? runner.concurrency
  const limits = perProvider(loaded, [...ctx.providers.keys()], 'concurrency')
  const timeouts = perProvider(loaded, [...ctx.providers.keys()], 'timeoutMs')
  const random = options.random ?? Math.random
  ctx.judges.bind({
    providers: ctx.providers,
    cost,
    timeoutMs: (name) => timeouts.get(name) ?? runner.timeoutMs,
    concurrency: (name) => Math.min(limits.get(name) ?? concurrency, concurrency),
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
      providers: ctx.providers,
      cost,
      onSample(sample) {
        guard.onSample(sample)
        collected.add(sample)
        writer.add(sample)
        reporters.onSample(sample)
      },
      scheduler: {
        concurrency,
        limits,
        timeoutMs: runner.timeoutMs,
        timeouts,
        retry,
        graceMs: runner.graceMs,
        stop: stop.signal,
        clock,
        random,
        defer: setImmediate,
      },
    })
    status = outcome.interrupted ? 'interrupted' : 'completed'
  } catch (error) {
    failure = { error }
  }
  const stopped = guard.error()
  if (stopped !== undefined) {
    status = 'failed'
    failure ??= { error: stopped }
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
  await store.runs.finish(info.id, { status, finishedAt, summary: results.summary })
  // Runs that crashed processes left `running` get their final status; nothing waits on this.
  await recoverAbandonedRuns(store)
  phase('results written')
  if (failure !== undefined) throw failure.error
  await reporters.onRunEnd(results)
  phase('reported')
  return { outcome: outcomeOf(results), results }
}

function outcomeOf(results: ResultsDocument): EvalOutcome {
  if (results.run.status === 'interrupted') return 'interrupted'
  return results.summary.pass ? 'passed' : 'failed'
}

function withProviderIds(plan: EvalPlan, providers: ReadonlyMap<string, Provider>): EvalPlan {
  return {
    suites: plan.suites.map((s) => ({
      ...s,
      provider: { name: s.provider.name, id: providers.get(s.provider.name)?.id ?? s.provider.id },
    })),
  }
}

/** Logs (at debug level) how long each phase of a run took, for `SHIPGATE_LOG_LEVEL=debug`. */
function phaseLogger(logger: Logger): (what: string) => void {
  let last = performance.now()
  return (what) => {
    const now = performance.now()
    logger.debug(`${what} in ${(now - last).toFixed(0)} ms (at ${now.toFixed(0)} ms)`)
    last = now
  }
}

/** A stop controller that also aborts when the caller's signal does. */
function linkedStop(signal: AbortSignal | undefined): AbortController {
  const stop = new AbortController()
  if (signal?.aborted === true) stop.abort()
  signal?.addEventListener('abort', () => stop.abort(), { once: true })
  return stop
}

/** Resolves after the current I/O phase, once the scheduler has started the first calls. */
function nextTick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}
