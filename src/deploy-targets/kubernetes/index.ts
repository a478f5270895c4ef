/**
 * The `kubernetes` target: kubectl against a Deployment. apply sets the image and the release
 * env and waits for the rollout; rollback is `rollout undo`. Kubernetes replaces pods in place,
 * so there is no traffic shifting here (use Argo Rollouts or Flagger with shipgate's canary
 * judge for that).
 */
import type { Logger } from '../../contracts/logger.js'
import type { ReleaseManifest } from '../../contracts/release.js'
import type {
  DeployPlan,
  DeployRequest,
  DeployTarget,
  StepOutcome,
  TargetContext,
} from '../../contracts/deploy.js'
import { durationToMs } from '../../utils/duration.js'
import { outputTail, runCommand } from '../run.js'
import type { KubernetesTargetConfig } from '../schemas.js'
import { checkTemplate, releaseVars, render } from '../template.js'

/** How much longer than `rollout status --timeout` kubectl may run before it is killed. */
const KUBECTL_SLACK_MS = 30_000

/** Creates a `kubernetes` target; throws when the image template does not parse. */
export function createKubernetesTarget(
  name: string,
  config: KubernetesTargetConfig,
  deps: { logger: Logger },
): DeployTarget {
  checkTemplate(config.image)
  return new KubernetesTarget(name, config, deps.logger.child(name))
}

/** The variables apply sets on the Deployment: the release's id and its env. */
export function releaseEnv(release: ReleaseManifest): Record<string, string> {
  return { ...release.env, RELEASE_ID: release.id, SHIPGATE_RELEASE: release.id }
}

class KubernetesTarget implements DeployTarget {
  readonly type = 'kubernetes'
  private readonly timeoutMs: number
  private readonly resource: string

  constructor(
    readonly name: string,
    private readonly config: KubernetesTargetConfig,
    private readonly logger: Logger,
  ) {
    this.timeoutMs = durationToMs(config.timeout)
    this.resource = `deployment/${config.deployment}`
  }

  async verify(ctx: TargetContext): Promise<StepOutcome> {
    const client = await this.kubectl(['version', '--client'], ctx)
    if (!client.ok) return client
    return this.kubectl(['get', this.resource], ctx)
  }

  plan(request: DeployRequest, _ctx: TargetContext): Promise<DeployPlan> {
    const steps = this.applySteps(request)
    const actions = steps.ok
      ? steps.steps.map((args) => this.commandLine(args))
      : [`! ${steps.reason}`]
    return Promise.resolve({ actions })
  }

  async apply(request: DeployRequest, ctx: TargetContext): Promise<StepOutcome> {
    const steps = this.applySteps(request)
    if (!steps.ok) return { ok: false, reason: steps.reason }
    return this.sequence(steps.steps, ctx)
  }

  rollback(
    _from: ReleaseManifest,
    _to: ReleaseManifest | null,
    ctx: TargetContext,
  ): Promise<StepOutcome> {
    return this.sequence([['rollout', 'undo', this.resource], this.rolloutStatus()], ctx)
  }

  setVariables(vars: Readonly<Record<string, string>>, ctx: TargetContext): Promise<StepOutcome> {
    return this.sequence([this.setEnv(vars), this.rolloutStatus()], ctx)
  }

  url(_ctx: TargetContext): Promise<string | null> {
    return Promise.resolve(this.config.url ?? null)
  }

  /** The kubectl argument lists of apply, or why the image does not render. */
  private applySteps(
    request: DeployRequest,
  ): { ok: true; steps: string[][] } | { ok: false; reason: string } {
    const image = render(this.config.image, releaseVars(request.release, request.previous))
    if (!image.ok) return image
    const container = this.config.container ?? this.config.deployment
    const steps: string[][] = []
    if (this.config.manifests !== undefined) steps.push(['apply', '-f', this.config.manifests])
    steps.push(['set', 'image', this.resource, `${container}=${image.text}`])
    steps.push(this.setEnv(releaseEnv(request.release)))
    steps.push(this.rolloutStatus())
    return { ok: true, steps }
  }

  private setEnv(vars: Readonly<Record<string, string>>): string[] {
    return ['set', 'env', this.resource, ...Object.entries(vars).map(([k, v]) => `${k}=${v}`)]
  }

  private rolloutStatus(): string[] {
    return ['rollout', 'status', this.resource, `--timeout=${Math.ceil(this.timeoutMs / 1000)}s`]
  }

  /** kubectl's arguments with `--context` and `--namespace` first, when configured. */
  private argv(args: readonly string[]): string[] {
    const global: string[] = []
    if (this.config.context !== undefined) global.push('--context', this.config.context)
    if (this.config.namespace !== undefined) global.push('--namespace', this.config.namespace)
    return [...global, ...args]
  }

  private commandLine(args: readonly string[]): string {
    return [this.config.kubectl, ...this.argv(args)].join(' ')
  }

  private async sequence(steps: readonly string[][], ctx: TargetContext): Promise<StepOutcome> {
    const done: string[] = []
    for (const args of steps) {
      const outcome = await this.kubectl(args, ctx)
      if (!outcome.ok) return outcome
      done.push(outcome.detail)
    }
    return { ok: true, detail: done.join('\n') }
  }

  /**
   * Runs kubectl. It gets the caller's whole environment: its credential plugins read
   * KUBECONFIG, cloud credentials and more, and kubectl never prints them.
   */
  private async kubectl(args: readonly string[], ctx: TargetContext): Promise<StepOutcome> {
    const line = this.commandLine(args)
    this.logger.info(`$ ${line}`)
    const env = Object.fromEntries(
      Object.entries(ctx.env).filter((e): e is [string, string] => e[1] !== undefined),
    )
    const result = await runCommand(
      { file: this.config.kubectl, args: this.argv(args) },
      { cwd: ctx.cwd, env, timeoutMs: this.timeoutMs + KUBECTL_SLACK_MS, signal: ctx.signal },
    )
    if (result.failure === null) return { ok: true, detail: line }
    return { ok: false, reason: `${line}: ${result.failure}`, detail: outputTail(result) }
  }
}
