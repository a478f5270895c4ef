/**
 * `shipgate eval` as a library call: load the config, choose the suites (`since`, reuse), plan
 * cases × repeats, open providers (through cassettes) and the store, then run, grade, record
 * and report. Config problems throw a ConfigError before anything runs or is paid for.
 */
import type { Clock } from '../../contracts/clock.js'
import type { GitInfo, RunInfo, RunSelection } from '../../contracts/results.js'
import type { LoadedConfig } from '../../config/load.js'
import { totalSamples } from '../../core/eval/plan.js'
import { formatShard } from '../../core/eval/shard.js'
import { readGitInfo } from '../../integrations/git/index.js'
import { openStore } from '../../stores/index.js'
import { systemClock } from '../../utils/clock.js'
import { newRunId } from '../../utils/ids.js'
import { usageError } from '../../errors.js'
import { shipgateVersion } from '../../utils/package.js'
import { loadProjectConfig, stageRedactor, storeLocation } from '../project/index.js'
import { runFetch } from './cassettes.js'
import { execute, phaseLogger, withProviderIds } from './execute.js'
import { createRunGuard } from './guard.js'
import { JudgeHub } from './judges.js'
import type { EvalOptions, EvalResult, SkippedEval } from './options.js'
import { describeSelection, narrowCases } from './cases.js'
import { buildPlan, withoutCases, type BuiltPlan } from './plan.js'
import { closeProviders, createProviders } from './providers.js'
import { chooseSuites, type RunChoice } from './selection.js'
import { checkRunId } from './shared.js'
import { batchSettings, type BatchRun } from './batch/index.js'
import { loadResumption, type Resumption } from './resume.js'

export { parseShard } from '../../core/eval/shard.js'
export type { CassetteChoice } from './cassettes.js'
export { openOfflineJudge } from './offline-judge.js'
export type { OfflineJudge, OfflineJudgeOptions } from './offline-judge.js'
export { JudgeHub, type JudgeRuntime } from './judges.js'
export { buildPlan, type BuiltPlan, type PlanOptions } from './plan.js'
export { prepareChecks } from './checks.js'
export { closeProviders, createProviders, perProvider } from './providers.js'
export type { EvalOptions, EvalOutcome, EvalResult, SkippedEval } from './options.js'

/** Runs the suites; without `since` an eval always runs (it may be interrupted). */
export function evaluate(
  options: EvalOptions & { readonly since?: undefined; readonly rerunFailed?: undefined },
): Promise<EvalResult>
/**
 * Runs the suites `since` selects; `skipped` when it selects none, or when `rerunFailed` names
 * a run with no failed case.
 */
export function evaluate(options: EvalOptions): Promise<EvalResult | SkippedEval>
export async function evaluate(options: EvalOptions): Promise<EvalResult | SkippedEval> {
  const phase = phaseLogger(options.logger)
  const planned = await loadAndPlan(options, phase)
  if ('outcome' in planned) return planned
  const { choice } = planned
  const result = await run(planned, { ...options, ...choice }, phase)
  return choice.selection === undefined ? result : { ...result, selection: choice.selection }
}

/** What a run starts from: the config without its loaded cases, and the plan made of them. */
interface Planned {
  readonly loaded: LoadedConfig
  readonly git: Promise<GitInfo | null>
  readonly built: BuiltPlan
  readonly judges: JudgeHub
  readonly choice: Exclude<RunChoice, { skipped: string }>
  /** What the run kept of its suites' cases, when it was narrowed to some. */
  readonly narrowed?: RunSelection
}

/**
 * Loads the config, chooses the suites and plans them. The loaded cases (validated and located:
 * ~2.5 KB a case) are not in what it returns, which is all the run keeps: the plan holds what the
 * run needs of each case.
 */
async function loadAndPlan(
  options: EvalOptions,
  phase: (what: string) => void,
): Promise<Planned | SkippedEval> {
  const loaded = await loadProjectConfig(options, { providerOverrides: options.providerOverrides })
  // git runs as child processes: let them work while the plan is built.
  const git = readGitInfo(loaded.dir, options.env)
  const choice = await chooseSuites(loaded, options)
  if ('skipped' in choice) {
    return { outcome: 'skipped', reason: choice.skipped, selection: choice.selection }
  }
  const narrowed = await narrowCases(loaded, choice.suites, options)
  if (narrowed !== undefined && 'nothing' in narrowed) {
    return { outcome: 'skipped', reason: narrowed.nothing, selection: choice.selection }
  }
  if (narrowed !== undefined) options.logger.info(describeSelection(narrowed.record))
  phase('config loaded')
  const lean = withoutCases(loaded)
  const judges = new JudgeHub(lean)
  checkRunId(options.runId, options.shard)
  if (options.resume !== undefined && options.runId !== undefined) {
    throw usageError(
      '--resume cannot be used with --run-id',
      'a shard of a shared run resumes by running it again with the same --run-id',
    )
  }
  const built = await buildPlan(
    loaded,
    {
      suites: choice.suites,
      tags: options.tags ?? [],
      repeat: options.repeat,
      shard: options.shard,
      variants: options.variants,
      keep: narrowed?.keep,
    },
    judges,
  )
  return { loaded: lean, git, built, judges, choice, narrowed: narrowed?.record }
}

/** Opens providers and the store, and executes the planned run. */
async function run(
  { loaded, git, built, judges, narrowed }: Planned,
  options: EvalOptions,
  phase: (what: string) => void,
): Promise<EvalResult> {
  const { plan, cases, whole } = built
  const clock = options.clock ?? systemClock
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
  const names = (whole?.plan ?? plan).suites.map((s) => s.provider.name)
  const providers = await createProviders(loaded, [...names, ...judges.names()], {
    env: options.env,
    clock,
    logger: options.logger,
    fetch: http.fetch,
    offline: http.offline,
  })
  const store =
    options.store ?? (await openStore(storeLocation(options.env, loaded.config.store), loaded.dir))
  // What the run records and reports is redacted where it is made (execute redacts every
  // sample, the run's record and its cases once, for the store and the reporters alike): the
  // config's secrets and secret shapes, in outputs, reasons and error messages.
  const redactor = stageRedactor(loaded, options)
  try {
    const info = runInfo(loaded, await git, clock, { ...options, narrowed })
    const resumption =
      options.resume === undefined
        ? undefined
        : await loadResumption(store, options.resume, plan, options.logger)
    phase('store open, git read')
    const context = {
      ...{ loaded, providers, store, options, clock, cases, stop, guard, judges },
      redactor,
      batch: batchRun(options, resumption),
      resumed: resumption?.resumed,
      whole:
        whole === undefined
          ? undefined
          : { plan: withProviderIds(whole.plan, providers), cases: whole.cases },
    }
    return await execute(info, withProviderIds(plan, providers), context)
  } finally {
    await http.flush()
    await closeProviders(providers, options.logger)
    if (options.store === undefined) await store.close()
  }
}

/** How calls are batched: with `--batch`, or to collect the batches of a resumed run. */
function batchRun(options: EvalOptions, resumption: Resumption | undefined): BatchRun | undefined {
  const resumed = resumption?.batches ?? []
  const given = options.batch ?? false
  if (given === false && resumed.length === 0) return undefined
  return { settings: batchSettings(given === false ? true : given), resumed }
}

function runInfo(
  loaded: LoadedConfig,
  git: GitInfo | null,
  clock: Clock,
  {
    shard,
    runId,
    narrowed,
  }: Pick<EvalOptions, 'shard' | 'runId'> & { readonly narrowed?: RunSelection },
): RunInfo {
  const started = new Date(clock.now())
  return {
    id: runId ?? newRunId(started),
    status: 'running',
    startedAt: started.toISOString(),
    finishedAt: null,
    git,
    configHash: loaded.hash,
    shipgateVersion: shipgateVersion(),
    ...(shard === undefined ? {} : { shard }),
    ...(narrowed === undefined ? {} : { selection: narrowed }),
  }
}

/** A stop controller that also aborts when the caller's signal does. */
function linkedStop(signal: AbortSignal | undefined): AbortController {
  const stop = new AbortController()
  if (signal?.aborted === true) stop.abort()
  signal?.addEventListener('abort', () => stop.abort(), { once: true })
  return stop
}
