/**
 * `shipgate experiment list`: the experiments of `shipgate.yaml` with what the store holds of
 * each, then experiments the store has events of that the config does not name.
 */
import type { ExperimentListEntry } from '../../contracts/experiment.js'
import type { Logger } from '../../contracts/logger.js'
import { withConfigAndStore, type StoreChoice } from '../project/index.js'
import { variantsOf } from './plan.js'

/** Options of {@link listExperiments}. */
export interface ListExperimentsOptions extends StoreChoice {
  readonly logger: Logger
}

/** Every configured experiment (in config order), then stored ones not configured (by name). */
export async function listExperiments(
  options: ListExperimentsOptions,
): Promise<ExperimentListEntry[]> {
  return withConfigAndStore(options, async (loaded, store) => {
    const stored = new Map(
      (await store.experimentEvents.experiments()).map((s) => [s.experiment, s]),
    )
    const configured = Object.entries(loaded.config.experiments).map(([name, experiment]) => {
      const s = stored.get(name)
      return {
        experiment: name,
        configured: true,
        flag: experiment.flag,
        variants: variantsOf(experiment),
        exposures: s?.exposures ?? 0,
        outcomes: s?.outcomes ?? 0,
        samples: s?.samples ?? 0,
        first: s?.first ?? null,
        last: s?.last ?? null,
      }
    })
    const others = [...stored.values()]
      .filter((s) => !Object.hasOwn(loaded.config.experiments, s.experiment))
      .sort((a, b) => (a.experiment < b.experiment ? -1 : 1))
      .map((s) => ({ ...s, configured: false, flag: null, variants: [] }))
    return [...configured, ...others]
  })
}
