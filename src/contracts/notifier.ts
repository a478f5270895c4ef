/**
 * Notifiers: where pipeline events go (Slack, a signed webhook). A failing notifier is logged and
 * never breaks the pipeline: the dispatcher catches and records, the notifier may reject.
 */

/** The events a notifier may subscribe to. */
export type PipelineEventType =
  | 'gate.failed'
  | 'gate.passed'
  | 'deploy.started'
  | 'deploy.succeeded'
  | 'deploy.failed'
  | 'smoke.failed'
  | 'monitor.failed'
  | 'monitor.passed'
  | 'rollback.started'
  | 'rollback.succeeded'
  | 'rollback.failed'
  | 'health.failed'
  | 'canary.started'
  | 'canary.step'
  | 'canary.paused'
  | 'canary.promoted'
  | 'canary.aborted'

/** One event, as a JSON body of the webhook and the text of a Slack message. */
export interface PipelineEvent {
  readonly type: PipelineEventType
  /** `info` for progress, `warning` for a failed check the pipeline handled, `critical` otherwise. */
  readonly severity: 'info' | 'warning' | 'critical'
  /** One line for people, e.g. "deploy of rel-3f2a… to staging failed: error rate 21% > 5%". */
  readonly summary: string
  readonly at: string
  readonly target?: string
  readonly releaseId?: string
  readonly deploymentId?: string
  /** Measured values and limits behind the event, for machines. */
  readonly details?: Readonly<Record<string, unknown>>
}

/** A notifier. `notify` may reject; the dispatcher logs it and goes on. */
export interface Notifier {
  /** The name under `notify:` in the config, for logs. */
  readonly name: string
  /** Events it wants; all when absent. */
  readonly events?: readonly PipelineEventType[]
  notify(event: PipelineEvent, signal: AbortSignal): Promise<void>
}
