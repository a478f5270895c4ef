/**
 * A judge outside an eval run, for analyses of stored outputs (`shipgate ab --pairwise`): the
 * config's `judge:` and judge prompts exactly as model-graded assertions resolve them, its calls
 * through cassettes, retried, timed out and limited in concurrency as in a run.
 */
import type { AssertionContext } from '../../contracts/assertion.js'
import type { Clock } from '../../contracts/clock.js'
import type { Logger } from '../../contracts/logger.js'
import type { Provider } from '../../contracts/provider.js'
import type { LoadedConfig } from '../../config/load.js'
import { stopFan } from '../../core/eval/retry.js'
import { systemClock } from '../../utils/clock.js'
import { runFetch, type CassetteChoice } from './cassettes.js'
import { JudgeHub } from './judges.js'
import { closeProviders, createProviders } from './providers.js'
import { callPolicy } from './call-policy.js'

/** Options of {@link openOfflineJudge}. */
export interface OfflineJudgeOptions {
  readonly env: Readonly<Record<string, string | undefined>>
  readonly logger: Logger
  readonly clock?: Clock
  /** Aborts the calls in flight. */
  readonly signal?: AbortSignal
  /** Judge calls in flight at most, under the runner's and each provider's own limit. */
  readonly concurrency?: number
  /** Cassette mode and directory over the config's `cassettes:` block. */
  readonly cassettes?: CassetteChoice
}

/** The judges of an offline analysis. */
export interface OfflineJudge {
  /** The context model-graded checks prepare with: the config's top-level `judge:`. */
  readonly context: AssertionContext
  /** The hub behind `context`, for checks prepared with a suite's judge or tools. */
  readonly judges: JudgeHub
  /**
   * Opens the providers the prepared checks resolved; call after preparing, before judging.
   * Called again after more checks were prepared, it opens the judges not yet open.
   */
  start(): Promise<void>
  /** Writes pending recordings and closes the providers; call once, whatever happened. */
  close(): Promise<void>
}

/** The config's judge for an analysis outside a run; nothing is opened until `start`. */
export function openOfflineJudge(loaded: LoadedConfig, options: OfflineJudgeOptions): OfflineJudge {
  const hub = new JudgeHub(loaded)
  const clock = options.clock ?? systemClock
  const http = runFetch(loaded, options.cassettes ?? {}, {
    clock,
    env: options.env,
    onMiss: () => undefined,
  })
  let providers = new Map<string, Provider>()
  let bound = false
  return {
    context: hub.context(loaded.dir, {}),
    judges: hub,
    async start() {
      const missing = hub.names().filter((name) => !providers.has(name))
      if (bound && missing.length === 0) return
      const opened = await createProviders(loaded, missing, {
        env: options.env,
        clock,
        logger: options.logger,
        fetch: http.fetch,
        offline: http.offline,
      })
      providers = new Map([...providers, ...opened])
      hub.bind(runtimeOf(loaded, providers, { ...options, clock }))
      bound = true
    },
    async close() {
      await http.flush()
      await closeProviders(providers, options.logger)
    },
  }
}

/** The runner's policy (`runner:` and each provider's limits) for the judges' calls. */
function runtimeOf(
  loaded: LoadedConfig,
  providers: ReadonlyMap<string, Provider>,
  { clock, signal, concurrency }: OfflineJudgeOptions & { readonly clock: Clock },
) {
  const runner = loaded.config.runner
  const cap = Math.min(concurrency ?? runner.concurrency, runner.concurrency)
  const policy = callPolicy(loaded, [...providers.keys()], cap)
  return {
    providers,
    cost: policy.cost,
    timeoutMs: policy.timeoutMs,
    concurrency: policy.concurrency,
    retry: policy.retry,
    clock,
    random: Math.random,
    stop: stopFan(signal ?? new AbortController().signal),
    graceMs: runner.graceMs,
  }
}
