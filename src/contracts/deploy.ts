import type { PipelineEvent, PipelineEventType } from './notifier.js'
/**
 * Deploy targets: where a release runs. One interface, implemented by `command` (any platform
 * CLI: Railway, Fly, Render, Heroku, Vercel), `local` (child processes behind a weighted reverse
 * proxy on loopback) and `kubernetes` (kubectl). The deploy pipeline (`shipgate deploy`) and
 * `shipgate rollback` drive it; failures are values, never throws, so every step is recorded.
 */
import type { ReleasePart } from './release.js'
import type { Logger } from './logger.js'
import type { ReleaseManifest } from './release.js'

/** What every target call gets. */
export interface TargetContext {
  readonly signal: AbortSignal
  readonly logger: Logger
  /** Directory for the target's own state (`.shipgate/targets/<name>/`), created by the caller. */
  readonly stateDir: string
  /** The directory of the config file; commands run there. */
  readonly cwd: string
  /** Environment for commands the target runs (secrets are read from it by name only). */
  readonly env: Readonly<Record<string, string | undefined>>
}

/** The outcome of one target step. A failure is a value with a reason people can act on. */
export type StepOutcome =
  | { readonly ok: true; readonly detail: string }
  | { readonly ok: false; readonly reason: string; readonly detail?: string }

/** What a deploy will do, step by step, without doing it (`--dry-run` prints it). */
export interface DeployPlan {
  /** One line per action, e.g. `railway up --service agent --detach`. */
  readonly actions: readonly string[]
}

/** A release to put on a target, with the one it replaces. */
export interface DeployRequest {
  readonly deploymentId: string
  readonly release: ReleaseManifest
  /** What runs there now; `null` on a first deploy. */
  readonly previous: ReleaseManifest | null
}

/** A target as the pipeline sees it. */
export interface DeployTarget {
  /** The target's name under `targets:` in the config. */
  readonly name: string
  /** The implementation: `command`, `local`, `kubernetes`. */
  readonly type: string
  /** Checks that the target can be driven: tools on PATH, credentials present, reachable. */
  verify(ctx: TargetContext): Promise<StepOutcome>
  /** What apply (and traffic shifts) would run, without running anything. */
  plan(request: DeployRequest, ctx: TargetContext): Promise<DeployPlan>
  /** Puts the release on the target. For targets with traffic control, at 0% until shifted. */
  apply(request: DeployRequest, ctx: TargetContext): Promise<StepOutcome>
  /**
   * Sends `percent` (0–100) of traffic to `request.release`, the rest to `request.previous`.
   * Absent on targets that replace in place (all traffic moves at apply).
   */
  shiftTraffic?(request: DeployRequest, percent: number, ctx: TargetContext): Promise<StepOutcome>
  /**
   * Puts `to` back as the code that runs, replacing `from`. Called on a failed deploy and by
   * `shipgate rollback`.
   */
  rollback(
    from: ReleaseManifest,
    to: ReleaseManifest | null,
    ctx: TargetContext,
  ): Promise<StepOutcome>
  /**
   * Sets runtime variables (PROMPT_VERSION, MODEL_VERSION) on what runs now without a code
   * deploy: the fastest rollback of a prompt or model. Absent when the target cannot.
   */
  setVariables?(vars: Readonly<Record<string, string>>, ctx: TargetContext): Promise<StepOutcome>
  /** The base URL smoke tests and the monitor use; `null` when the config gives none. */
  url(ctx: TargetContext): Promise<string | null>
  /**
   * After a deploy succeeded: stops what no longer gets traffic (a local target's previous
   * instance, kept at weight 0 until then so a rollback is instant). Absent when nothing lingers.
   */
  retire?(ctx: TargetContext): Promise<StepOutcome>
  /**
   * Where each running release answers directly, bypassing any load balancer, so metrics can be
   * scraped per instance. Absent when the target cannot tell (then the monitor uses `url`).
   */
  instances?(ctx: TargetContext): Promise<readonly TargetInstance[]>
  /** Releases handles held by this object; idempotent. A local target's processes keep running. */
  close?(): Promise<void>
}

/** A running instance of a release on a target. */
export interface TargetInstance {
  readonly releaseId: string
  readonly url: string
  /** Share of traffic it gets, 0–100. */
  readonly weight: number
}

/** One step of a deployment, as recorded. */
export interface DeploymentStep {
  readonly name:
    | 'verify'
    | 'plan'
    | 'apply'
    | 'healthy'
    | 'smoke'
    | 'monitor'
    | 'shift'
    | 'canary'
    | 'rollback'
    | 'notify'
  readonly status: 'running' | 'passed' | 'failed' | 'skipped'
  readonly startedAt: string
  readonly finishedAt: string | null
  readonly detail: string
}

/**
 * A request to a running canary from another process: hold it at its weight, let it go on (past
 * a pause too), give the new release all the traffic now, or abort it and roll back.
 */
export type CanaryControl = 'pause' | 'resume' | 'promote' | 'abort'

/** The latest control request of a deployment, and when it was made. */
export interface ControlRequest {
  readonly action: CanaryControl
  readonly at: string
}

/** A target's canary deployment (running, else the latest) and the request it last got. */
export interface CanaryStatus {
  readonly deployment: Deployment
  readonly control: ControlRequest | null
  /** The canary step's progress, a line per step event. */
  readonly steps: readonly string[]
}

/** Where a deployment is. `running` with a dead owner is resumable by `deploy --resume`. */
export type DeploymentStatus =
  'running' | 'succeeded' | 'failed' | 'rolled_back' | 'rollback_failed'

/** A deployment record: one release to one target, every step with timings and the reason. */
export interface Deployment {
  readonly id: string
  readonly target: string
  readonly releaseId: string
  /** The release that ran before; what a rollback returns to. */
  readonly previousReleaseId: string | null
  /** `rollback` records a `shipgate rollback` (release = what it returned to). */
  readonly strategy: 'replace' | 'canary' | 'rollback'
  readonly status: DeploymentStatus
  readonly steps: readonly DeploymentStep[]
  readonly startedAt: string
  readonly finishedAt: string | null
  /** Why it failed or was rolled back; `null` while running and on success. */
  readonly reason: string | null
  /** The process driving it (host and pid), so a crashed deploy can be told and resumed. */
  readonly owner: { readonly host: string; readonly pid: number } | null
  /** The alerts sent about it, oldest first; absent when none was (no notifier configured). */
  readonly alerts?: readonly SentAlert[]
}

/** An alert a deploy sent: the pipeline event, and how each notifier that took it fared. */
export interface SentAlert {
  readonly type: PipelineEventType
  readonly severity: PipelineEvent['severity']
  readonly summary: string
  readonly at: string
  /** Every notifier subscribed to the event; `error` says why one could not deliver it. */
  readonly notifiers: readonly {
    readonly name: string
    readonly ok: boolean
    readonly error?: string
  }[]
}

/** What a deploy did. */
export type DeployResult =
  | {
      readonly kind: 'dry-run'
      readonly release: ReleaseManifest
      readonly previous: ReleaseManifest | null
      readonly verify: StepOutcome
      readonly plan: DeployPlan
    }
  | { readonly kind: 'deployment'; readonly deployment: Deployment }

/** What happened to one part. */
export interface PartResult {
  readonly part: ReleasePart
  readonly status: 'reverted' | 'unchanged' | 'failed'
  readonly detail: string
}

/** The rollback's record and its per-part results; `ok` when no part failed. */
export interface RollbackReport {
  readonly from: ReleaseManifest
  readonly to: ReleaseManifest
  readonly parts: readonly PartResult[]
  readonly ok: boolean
  readonly deployment: Deployment
}
