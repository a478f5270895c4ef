/**
 * `shipgate experiment analyze NAME`: the experiment's events read from the store oldest first,
 * folded per user into per-arm totals (`aggregate.ts`), and decided by the core's
 * `decideExperiment` with the plan of `shipgate.yaml`.
 */
import type { ExperimentReport } from '../../contracts/experiment.js'
import type { Logger } from '../../contracts/logger.js'
import type { ExperimentEventQuery, Store } from '../../contracts/store.js'
import type { ExperimentConfig } from '../../config/experiment-schema.js'
import { decideExperiment, type ExperimentAnalysis } from '../../core/experiment/index.js'
import { usageError } from '../../errors.js'
import { withConfigAndStore, type StoreChoice } from '../project/index.js'
import { ExperimentAggregator, type Aggregation } from './aggregate.js'
import { aggregationSpec, experimentOf, planOf } from './plan.js'
import { reportOf } from './report.js'

/** Options of {@link analyzeExperiment}. */
export interface AnalyzeExperimentOptions extends StoreChoice {
  readonly logger: Logger
  /**
   * The look: only events before this time are read, and days run up to it. Default: the last
   * event's time, so the same events always give the same report (`now` when there are none).
   */
  readonly asOf?: Date
  /** The clock for "now" when there are no events; default the system clock. */
  readonly clock?: { now(): number }
}

const DAY_MS = 86_400_000

/** Analyzes the experiment `name` at one look. */
export async function analyzeExperiment(
  name: string,
  options: AnalyzeExperimentOptions,
): Promise<ExperimentReport> {
  return withConfigAndStore(options, async (loaded, store) => {
    const experiment = experimentOf(loaded, name)
    const before = options.asOf?.toISOString()
    const aggregation = await aggregate(store, name, experiment, before)
    const now = options.clock?.now() ?? Date.now()
    const asOf = before ?? aggregation.lastEvent ?? new Date(now).toISOString()
    const started = aggregation.firstExposure
    const days = started === null ? 0 : Math.max(0, Date.parse(asOf) - Date.parse(started)) / DAY_MS
    const analysis = decide(experiment, aggregation, days)
    options.logger.debug(
      `${name}: ${aggregation.events.exposures} exposures and ${aggregation.events.outcomes} outcomes read`,
    )
    return reportOf({ name, experiment, aggregation, analysis, asOf, days })
  })
}

/** Streams the experiment's exposures and outcomes (before `before`) through the aggregator. */
export async function aggregate(
  store: Store,
  name: string,
  experiment: ExperimentConfig,
  before?: string,
): Promise<Aggregation> {
  const aggregator = new ExperimentAggregator(aggregationSpec(experiment))
  // Samples (long texts) are not read: no metric counts them.
  const types: ExperimentEventQuery['types'] = ['exposure', 'outcome']
  const query: ExperimentEventQuery = before === undefined ? { types } : { types, before }
  for await (const event of store.experimentEvents.read(name, query)) aggregator.add(event)
  return aggregator.result()
}

/** The core's decision; a plan the core refuses (a RangeError) is a usage error. */
function decide(
  experiment: ExperimentConfig,
  aggregation: Aggregation,
  days: number,
): ExperimentAnalysis {
  try {
    return decideExperiment({ arms: aggregation.arms, days }, planOf(experiment))
  } catch (error) {
    if (error instanceof RangeError)
      throw usageError(
        error.message.replace(/^experiment( plan)?: /, ''),
        'check the experiment under experiments: in shipgate.yaml',
      )
    throw error
  }
}
