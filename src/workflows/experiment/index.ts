/**
 * Online experiments (docs/experiments.md): the collector endpoint the SDK posts events to, the
 * import of a JSONL sink's file, the analysis of an experiment from the store, the listing.
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
