/**
 * `eval --batch` in a run: the providers with a batch API are wrapped so their calls (answers
 * and judges alike) go through batches; the others run live, under the run's concurrency.
 */
import type { Clock } from '../../../contracts/clock.js'
import type { Logger } from '../../../contracts/logger.js'
import type { Provider } from '../../../contracts/provider.js'
import {
  BatchingProvider,
  DEFAULT_BATCH_SETTINGS,
  type BatchCapable,
  type BatchSettings,
} from './queue.js'
import type { StoredBatch } from '../../../contracts/store.js'

export { DEFAULT_BATCH_SETTINGS, type BatchSettings } from './queue.js'

/** A batch API answers within a day: a batched call waits that long, and an hour more. */
export const BATCH_WAIT_MS = 25 * 3600_000

/** What a batched run starts from. */
export interface BatchRun {
  readonly settings: BatchSettings
  /** Batches earlier attempts of the run submitted (`--resume`). */
  readonly resumed: readonly StoredBatch[]
}

/** The run's providers with the batch-capable ones wrapped, and which ones those are. */
export interface BatchedProviders {
  readonly providers: ReadonlyMap<string, Provider>
  readonly batched: ReadonlySet<string>
}

/** Wraps each provider that has a batch API; the rest are returned as they are. */
export function batchProviders(
  providers: ReadonlyMap<string, Provider>,
  run: BatchRun,
  hooks: {
    readonly clock: Clock
    readonly logger: Logger
    readonly stop: AbortSignal
    readonly onSubmit: (batch: StoredBatch) => Promise<void>
    readonly resumeHint: string
    /** Each provider's concurrency, which calls it sends live keep. */
    readonly concurrency: (name: string) => number
  },
): BatchedProviders {
  const out = new Map<string, Provider>()
  const batched = new Set<string>()
  for (const [name, provider] of providers) {
    if (provider.batch === undefined) {
      out.set(name, provider)
      continue
    }
    batched.add(name)
    out.set(
      name,
      new BatchingProvider(provider as BatchCapable, {
        name,
        settings: run.settings,
        resumed: run.resumed,
        clock: hooks.clock,
        logger: hooks.logger,
        stop: hooks.stop,
        onSubmit: hooks.onSubmit,
        resumeHint: hooks.resumeHint,
        liveConcurrency: hooks.concurrency(name),
      }),
    )
  }
  const live = [...providers.keys()].filter((n) => !batched.has(n))
  if (batched.size > 0 && live.length > 0) {
    hooks.logger.info(
      `--batch: ${live.join(', ')} ha${live.length === 1 ? 's' : 've'} no batch API and run${live.length === 1 ? 's' : ''} live`,
    )
  }
  return { providers: out, batched }
}

/** Settings from the caller's partial ones (`EvalOptions.batch`). */
export function batchSettings(given: true | Partial<BatchSettings>): BatchSettings {
  return given === true ? DEFAULT_BATCH_SETTINGS : { ...DEFAULT_BATCH_SETTINGS, ...given }
}
