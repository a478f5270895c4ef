/**
 * The events of an online experiment, as the SDK writes them to a sink and the CLI reads them
 * from the store or a JSONL file (docs/experiments.md, "Events"). One JSON object per event;
 * the wire format is versioned by `v`, and a reader refuses a version it does not know.
 */

/** The event format version this SDK writes. */
export const EVENT_VERSION = 1

/** Fields every event has. */
interface EventBase {
  readonly v: typeof EVENT_VERSION
  /**
   * Unique per event (a random UUID, or derived from what it records): the store keeps the
   * first of equal ids, so a sink may send a batch again after a failure.
   */
  readonly id: string
  /** The experiment's name, as in shipgate.yaml `experiments:`. */
  readonly experiment: string
  /** The variant the user was assigned. */
  readonly variant: string
  /** The unit of randomization: the user (or session, or account) id the flag was evaluated for. */
  readonly user: string
  /** When it happened: an ISO 8601 time in UTC. */
  readonly at: string
}

/** The user was served their variant (recorded once per user and process, then deduplicated). */
export interface ExposureEvent extends EventBase {
  readonly type: 'exposure'
}

/** An outcome of the user's: task success (0/1), a thumbs score, cost, latency, tokens. */
export interface OutcomeEvent extends EventBase {
  readonly type: 'outcome'
  /** The metric's event name, e.g. `task_success`. */
  readonly name: string
  readonly value: number
}

/**
 * A response sampled for later grading (`shipgate experiment judge`): what the user asked and
 * what the variant answered. Nothing is judged in the request path.
 */
export interface SampleEvent extends EventBase {
  readonly type: 'sample'
  readonly input: string
  readonly output: string
}

/** Any experiment event. */
export type ExperimentEvent = ExposureEvent | OutcomeEvent | SampleEvent

/** Where the SDK sends its events: a JSONL file, the collector endpoint, or your own. */
export interface ExperimentSink {
  /** Queues events; never throws and never blocks the request path. */
  write(events: readonly ExperimentEvent[]): void
  /** Sends what is queued. Resolves when it was written (or given up on, and counted). */
  flush(): Promise<void>
  /** Flushes, then releases timers and handles. */
  close(): Promise<void>
}
