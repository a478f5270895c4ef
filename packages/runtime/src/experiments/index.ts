/**
 * `@shipgate/runtime/experiments`: online experiments inside the service. Sticky assignment
 * through a flag, exposures, outcome events and sampled responses, sent to a sink (a JSONL
 * file or the shipgate collector endpoint). docs/runtime.md#experiments is the SDK's guide,
 * docs/experiments.md the analysis.
 */
export { EVENT_VERSION } from './events.js'
export type {
  ExperimentEvent,
  ExperimentSink,
  ExposureEvent,
  OutcomeEvent,
  SampleEvent,
} from './events.js'
export { createExperiment } from './experiment.js'
export type { Assignment, Experiment, ExperimentStats } from './experiment.js'
export type { ExperimentOptions } from './options.js'
export { jsonlSink } from './sinks/jsonl.js'
export type { JsonlSinkOptions } from './sinks/jsonl.js'
export { collectorSink } from './sinks/collector.js'
export type { CollectorSinkOptions } from './sinks/collector.js'
export type { BatchingOptions, BatchingSink, SinkStats } from './sinks/batching.js'
