/*
 * The dispatcher of pipeline events: every notifier that wants the event gets it, concurrently,
 * within one time budget. A notifier that fails or hangs is logged as a warning with its name and
 * reason and reported as a result; nothing here rejects, so an alert can never fail a deploy.
 */
import { errorMessage } from '../../utils/errors.js'
import type { GateVerdict } from '../../contracts/gate.js'
import type { Logger } from '../../contracts/logger.js'
import type { Notifier, PipelineEvent, PipelineEventType } from '../../contracts/notifier.js'
import { ShipgateError } from '../../errors.js'
import { createNotifiers, type NotifierConfig } from '../../notifiers/index.js'
import { formatDuration } from '../../utils/duration.js'

/** How one notifier fared with one event. */
export interface NotifyResult {
  readonly notifier: string
  /** Delivered, or skipped. */
  readonly ok: boolean
  /** Why it failed; names no URL or secret. */
  readonly error?: string
  /** The notifier does not subscribe to this event type. */
  readonly skipped?: boolean
}

/** Options of {@link notifyAll}. */
export interface NotifyOptions {
  readonly logger: Logger
  /** Stops every delivery in flight (Ctrl-C). */
  readonly signal?: AbortSignal
  /** Budget for all deliveries together, retries included; 30 s by default. */
  readonly timeoutMs?: number
}

/** The default budget of {@link notifyAll}: enough for a webhook's retries, short for a CI job. */
export const NOTIFY_TIMEOUT_MS = 30_000

/** Severity by event type: `warning` for failed checks the pipeline handles, else as named. */
export const EVENT_SEVERITY = {
  'gate.passed': 'info',
  'gate.failed': 'warning',
  'deploy.started': 'info',
  'deploy.succeeded': 'info',
  'deploy.failed': 'critical',
  'smoke.failed': 'warning',
  'monitor.passed': 'info',
  'monitor.failed': 'warning',
  'rollback.started': 'warning',
  'rollback.succeeded': 'warning',
  'rollback.failed': 'critical',
  'health.failed': 'critical',
  'canary.started': 'info',
  'canary.step': 'info',
  'canary.paused': 'warning',
  'canary.promoted': 'info',
  'canary.aborted': 'warning',
} as const satisfies Record<PipelineEventType, PipelineEvent['severity']>

/** An event of `type` at `now`, with the severity its type implies. */
export function pipelineEvent(
  type: PipelineEventType,
  fields: Omit<PipelineEvent, 'type' | 'severity' | 'at'>,
  now: Date,
): PipelineEvent {
  return { type, severity: EVENT_SEVERITY[type], at: now.toISOString(), ...fields }
}

/**
 * Sends `event` to every notifier subscribed to its type, concurrently, and resolves (never
 * rejects) with one result per notifier, in order, once all are done or the budget is spent.
 */
export async function notifyAll(
  notifiers: readonly Notifier[],
  event: PipelineEvent,
  options: NotifyOptions,
): Promise<NotifyResult[]> {
  const timeoutMs = options.timeoutMs ?? NOTIFY_TIMEOUT_MS
  const budget = AbortSignal.timeout(timeoutMs)
  const signal = options.signal === undefined ? budget : AbortSignal.any([options.signal, budget])
  const stopped = new Promise<string>((resolve) => {
    const why = () =>
      resolve(budget.aborted ? `timed out after ${formatDuration(timeoutMs)}` : 'cancelled')
    if (signal.aborted) why()
    else signal.addEventListener('abort', why, { once: true })
  })
  return Promise.all(notifiers.map((n) => deliver(n, event, signal, stopped, options.logger)))
}

async function deliver(
  notifier: Notifier,
  event: PipelineEvent,
  signal: AbortSignal,
  stopped: Promise<string>,
  logger: Logger,
): Promise<NotifyResult> {
  if (notifier.events !== undefined && !notifier.events.includes(event.type)) {
    return { notifier: notifier.name, ok: true, skipped: true }
  }
  // A notifier that ignores the signal still cannot hold the pipeline past the budget.
  const sent = Promise.resolve()
    .then(() => notifier.notify(event, signal))
    .then(
      () => undefined,
      (error: unknown) => reasonOf(error),
    )
  const error = await Promise.race([sent, stopped])
  if (error === undefined) {
    logger.debug(`${event.type} sent to ${notifier.name}`)
    return { notifier: notifier.name, ok: true }
  }
  logger.warn(`notifier ${notifier.name} could not send ${event.type}: ${error}`)
  return { notifier: notifier.name, ok: false, error }
}

function reasonOf(error: unknown): string {
  if (error instanceof ShipgateError && error.hint !== undefined) {
    return `${error.message} (${error.hint})`
  }
  return errorMessage(error)
}

/** Dependencies of {@link notifyConfigured}. */
export interface NotifyConfiguredOptions extends NotifyOptions {
  readonly env: Readonly<Record<string, string | undefined>>
  readonly now?: Date
}

/** Sends an event through the config's `notify:` list; nothing, at no cost, when it is empty. */
export async function notifyConfigured(
  configs: readonly NotifierConfig[],
  event: PipelineEvent,
  options: NotifyConfiguredOptions,
): Promise<NotifyResult[]> {
  if (configs.length === 0) return []
  const logger = options.logger.child('notify')
  const notifiers = createNotifiers(configs, { env: options.env, logger })
  return notifyAll(notifiers, event, { ...options, logger })
}

/** `gate.passed` or `gate.failed` for a verdict, with the failed checks as details. */
export function gateEvent(verdict: GateVerdict, now: Date): PipelineEvent {
  const failed = verdict.checks.filter((c) => c.status === 'failed')
  const git = verdict.run.git
  const where = [git?.branch, git?.commit?.slice(0, 7)].filter(Boolean).join(' @ ')
  const head = `gate ${verdict.pass ? 'passed' : 'failed'} for run ${verdict.run.id}${where === '' ? '' : ` (${where})`}`
  const summary = verdict.pass
    ? `${head}: ${verdict.checks.length} checks`
    : `${head}: ${failed.map((c) => c.message).join('; ')}`
  return pipelineEvent(
    verdict.pass ? 'gate.passed' : 'gate.failed',
    {
      summary,
      details: {
        run: verdict.run.id,
        ...(verdict.baseline === null ? {} : { baseline: verdict.baseline.runId }),
        checks: verdict.checks.length,
        failed: failed.map((c) => c.id),
        newlyFailing: verdict.newlyFailing.length,
      },
    },
    now,
  )
}
