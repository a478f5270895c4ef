/**
 * Online experiments (docs/experiments.md): the collector endpoint the SDK posts events to, the
 * import of a JSONL sink's file, the analysis of an experiment from the store, the listing; the
 * grading of sampled responses with the config's judge, and starting, shipping and stopping an
 * experiment through its flag.
 * A plain list of the stage's exports; each command's function lives in its own file.
 */
export { serveCollector, type CollectorOptions, type RunningCollector } from './collector.js'
export { DEFAULT_TOKEN_ENV } from './auth.js'
export { MAX_BODY_BYTES, NDJSON } from './collector-http.js'
export { EVENT_LIMITS, parseEventLine, type ParsedEvent } from './events.js'
export { importExperimentEvents, type ImportEventsOptions } from './import.js'
export { analyzeExperiment, type AnalyzeExperimentOptions } from './analyze.js'
export { ExperimentAggregator, type Aggregation, type AggregationSpec } from './aggregate.js'
export { listExperiments, type ListExperimentsOptions } from './list.js'
export {
  experimentShip,
  experimentStart,
  experimentStop,
  type ExperimentFlagOptions,
  type ExperimentShipOptions,
  type ExperimentStartOptions,
} from './flag.js'
export { experimentJudge, type ExperimentJudgeOptions } from './judge.js'
export type {
  ExperimentFlagAction,
  ExperimentFlagResult,
  ExperimentJudgeReport,
  JudgeFailure,
  MovedUsers,
  ShippedRelease,
  VariantJudgeScores,
} from '../../contracts/experiment-ops.js'
