/**
 * A deployment as it happens: every step start and end is written to the store before the
 * pipeline goes on, so a crash leaves a record `deploy --resume` can pick up.
 */
import { randomBytes } from 'node:crypto'
import type {
  Deployment,
  DeploymentStatus,
  DeploymentStep,
  SentAlert,
  StepOutcome,
} from '../../contracts/deploy.js'
import type { PipelineEvent } from '../../contracts/notifier.js'
import type { Store } from '../../contracts/store.js'
import { endStep, startStep, type StepName } from '../../core/rollout/deploy.js'
import { runIdStamp } from '../../utils/ids.js'
import { SKIPPED } from './steps.js'
import type { NotifyResult } from '../alerts/index.js'
import { currentOwner, type CdContext } from '../project/index.js'

/** A new deployment id: `dep-20261130-174337-999690` (sorts by time). */
export function newDeploymentId(at: Date): string {
  return `dep-${runIdStamp(at)}-${randomBytes(3).toString('hex')}`
}

/** A deployment about to begin: `running`, no steps, owned by this process. */
export function newDeployment(fields: {
  readonly id: string
  readonly target: string
  readonly releaseId: string
  readonly previousReleaseId: string | null
  readonly strategy: Deployment['strategy']
  readonly at: Date
}): Deployment {
  const { at, ...rest } = fields
  return {
    ...rest,
    status: 'running',
    steps: [],
    startedAt: at.toISOString(),
    finishedAt: null,
    reason: null,
    owner: currentOwner(),
  }
}

/** Writes a deployment's progress to the store; `current` is what was last written. */
export class DeploymentRecorder {
  private deployment: Deployment

  constructor(
    private readonly store: Store,
    deployment: Deployment,
    private readonly now: () => Date,
    private readonly onStep?: (step: DeploymentStep, deployment: Deployment) => void,
  ) {
    this.deployment = deployment
  }

  /** The deployment as last written. */
  get current(): Deployment {
    return this.deployment
  }

  /** Records `name` as running. */
  async start(name: StepName): Promise<void> {
    await this.write({ steps: startStep(this.deployment.steps, name, this.stamp()) })
  }

  /** Records how `name` ended: passed, skipped (a success that did nothing) or failed. */
  async end(name: StepName, outcome: StepOutcome): Promise<void> {
    const status = !outcome.ok
      ? 'failed'
      : outcome.detail.startsWith(SKIPPED)
        ? 'skipped'
        : 'passed'
    const detail = outcome.ok
      ? outcome.detail.replace(SKIPPED, '')
      : [outcome.reason, outcome.detail].filter((s) => s !== undefined && s !== '').join('\n')
    await this.write({ steps: endStep(this.deployment.steps, name, status, detail, this.stamp()) })
  }

  /** Replaces the detail of the running step `name`: its progress so far (a canary's steps). */
  async note(name: StepName, detail: string): Promise<void> {
    const steps = this.deployment.steps.map((s, i, all) =>
      i === all.length - 1 && s.name === name && s.status === 'running' ? { ...s, detail } : s,
    )
    await this.write({ steps })
  }

  /** Ends the deployment with `status` and, unless it succeeded, the reason. */
  async finish(
    status: Exclude<DeploymentStatus, 'running'>,
    reason: string | null,
  ): Promise<Deployment> {
    await this.write({ status, reason, finishedAt: this.stamp() })
    return this.deployment
  }

  /**
   * Records an alert sent about the deployment and how each notifier fared; nothing when no
   * notifier took it (none configured, or none subscribed to its type).
   */
  async alerted(event: PipelineEvent, results: readonly NotifyResult[]): Promise<void> {
    const notifiers = results
      .filter((r) => r.skipped !== true)
      .map((r) =>
        r.error === undefined
          ? { name: r.notifier, ok: r.ok }
          : { name: r.notifier, ok: r.ok, error: r.error },
      )
    if (notifiers.length === 0) return
    const { type, severity, summary, at } = event
    const alert: SentAlert = { type, severity, summary, at, notifiers }
    await this.write({ alerts: [...(this.deployment.alerts ?? []), alert] })
  }

  /** Makes this process the deployment's owner (a resume takes over a dead one's record). */
  async takeOver(owner: Deployment['owner']): Promise<void> {
    await this.write({ owner })
  }

  private async write(patch: Partial<Deployment>): Promise<void> {
    const next = { ...this.deployment, ...patch }
    await this.store.deployments.update(next.id, {
      status: next.status,
      steps: next.steps,
      finishedAt: next.finishedAt,
      reason: next.reason,
      owner: next.owner,
      alerts: next.alerts,
    })
    this.deployment = next
    const last = next.steps.at(-1)
    if (patch.steps !== undefined && last !== undefined) this.onStep?.(last, next)
  }

  private stamp(): string {
    return this.now().toISOString()
  }
}

/** `cd`, whose alerts are also written into the deployment `recorder` keeps (for the viewer). */
export function recordingAlerts(cd: CdContext, recorder: DeploymentRecorder): CdContext {
  return {
    ...cd,
    notify: async (event) => {
      const results = await cd.notify(event)
      await recorder.alerted(event, results)
      return results
    },
  }
}
