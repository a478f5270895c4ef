/** `eval --resume RUN`: what an earlier attempt of a run finished, and the batches it submitted. */
import type { Logger } from '../../contracts/logger.js'
import type { Store, StoredBatch } from '../../contracts/store.js'
import { resumeRun, type Resumed } from '../../core/eval/reuse.js'
import type { EvalPlan } from '../../core/eval/plan.js'
import { loadRunResults } from '../results/index.js'

/** An earlier attempt, as the new one continues it. */
export interface Resumption {
  /** The earlier run's id. */
  readonly from: string
  readonly resumed: Resumed
  /** The batches it (and the attempts it resumed) submitted. */
  readonly batches: readonly StoredBatch[]
}

/**
 * Loads the run `ref` names (an id, a prefix or `latest`) and keeps, of the new plan, the
 * samples it finished without error; its batches are collected instead of submitted again.
 */
export async function loadResumption(
  store: Store,
  ref: string,
  plan: EvalPlan,
  logger: Logger,
): Promise<Resumption> {
  const earlier = await loadRunResults(store, ref)
  const from = earlier.run.id
  const resumed = resumeRun(plan, earlier)
  const batches = await store.runs.batches(from)
  const requests = batches.reduce((n, b) => n + b.requests.length, 0)
  logger.info(
    `resuming ${from} (${earlier.run.status}): ${resumed.samples.length} finished samples kept` +
      (batches.length === 0
        ? ''
        : `, ${batches.length} batch${batches.length === 1 ? '' : 'es'} of ${requests} requests to collect`),
  )
  return { from, resumed, batches }
}
