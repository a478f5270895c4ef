/**
 * `@shipgate/runtime/experiments`: online experiments inside the service. Sticky assignment
 * through a flag, exposures, outcome events and sampled responses, sent to a sink (a JSONL
 * file or the shipgate collector endpoint). docs/experiments.md is the guide.
 */
export { EVENT_VERSION } from './events.js'
export type {
  ExperimentEvent,
  ExperimentSink,
  ExposureEvent,
  OutcomeEvent,
  SampleEvent,
} from './events.js'
