/**
 * The `command` target: each step is a shell line, rendered as liquid, run in the config's
 * directory. Fits any platform with a CLI: Railway, Fly, Render, Heroku, Vercel. A canary splits
 * traffic with the `shiftTraffic` command, or (`canary: variables`) by the variables the runtime
 * SDK's canary router reads, set with `setVariables` (variables.ts).
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
import { CANARY_ENV } from '@shipgate/runtime/canary'
import { ShipgateError } from '../../errors.js'
import { durationToMs } from '../../utils/duration.js'
import { pickEnv } from '../env.js'
import { outputTail, runCommand } from '../run.js'
import type { CommandTargetConfig } from '../schemas.js'
import { checkTemplate, releaseVars, render } from '../template.js'
import {
  plannedVariables,
  rollbackVariables,
  shiftVariables,
  stableVariables,
  type VariableSet,
} from './variables.js'

/** Creates a `command` target; throws when a template does not parse or the canary cannot run. */
export function createCommandTarget(
  name: string,
  config: CommandTargetConfig,
  deps: { logger: Logger },
): DeployTarget {
  for (const source of templates(config)) checkTemplate(source)
  if (config.canary === 'variables' && config.setVariables === undefined) {
    throw new ShipgateError('config', `target ${name}: canary: variables needs setVariables`, {
      hint: 'add setVariables: railway variables set {{ key }}={{ value }} --service agent',
    })
  }
  return new CommandTarget(name, config, deps.logger.child(name))
}

function templates(config: CommandTargetConfig): string[] {
  const all = [
    config.deploy,
    config.rollback,
    config.verify,
    config.setVariables,
    config.shiftTraffic,
  ]
  return all.filter((t): t is string => t !== undefined)
}

const ok = (detail: string): StepOutcome => ({ ok: true, detail })

class CommandTarget implements DeployTarget {
  readonly type = 'command'
  private readonly timeoutMs: number
  /** Present when the config has a `shiftTraffic` command or `canary: variables`. */
  readonly shiftTraffic?: DeployTarget['shiftTraffic']
  /** Present when the config has a `setVariables` command. */
  readonly setVariables?: DeployTarget['setVariables']
  /** The `setVariables` command when the canary is by variables. */
  private readonly byVariables: string | undefined
  /**
   * What this process last set for a deployment: its canary's version (so later weights set only
   * the percentage) or its release as the stable version (so a promotion after a first release's
   * apply sets nothing twice). Another process (a resumed deploy) starts over and sets both.
   */
  private readonly done = new Map<string, 'canary' | 'stable'>()

  constructor(
    readonly name: string,
    private readonly config: CommandTargetConfig,
    private readonly logger: Logger,
  ) {
    this.timeoutMs = durationToMs(config.timeout)
    const { shiftTraffic, setVariables } = config
    this.byVariables = config.canary === 'variables' ? setVariables : undefined
    if (shiftTraffic !== undefined) {
      this.shiftTraffic = (request, percent, ctx) =>
        this.step(
          shiftTraffic,
          releaseVars(request.release, request.previous, { percent }),
          ctx,
          request.release,
        )
    }
    if (this.byVariables !== undefined) {
      this.shiftTraffic = (request, percent, ctx) => this.shiftByVariables(request, percent, ctx)
    }
    if (setVariables !== undefined) {
      this.setVariables = (vars, ctx) => this.setEach(setVariables, vars, ctx)
    }
  }

  async verify(ctx: TargetContext): Promise<StepOutcome> {
    const missing = this.config.env.filter((n) => ctx.env[n] === undefined)
    if (missing.length > 0) this.logger.warn(`not set: ${missing.join(', ')}`)
    if (this.config.verify === undefined) return ok('no verify command')
    return this.step(this.config.verify, {}, ctx, null)
  }

  plan(request: DeployRequest, _ctx: TargetContext): Promise<DeployPlan> {
    const lines: string[] = []
    const { deploy, shiftTraffic } = this.config
    if (deploy !== undefined) lines.push(this.line(deploy, this.deployVars(request)))
    if (this.byVariables !== undefined) {
      for (const { vars, note } of plannedVariables(request.release, request.previous)) {
        for (const [key, value] of Object.entries(vars)) {
          lines.push(`${this.line(this.byVariables, { key, value })}  # ${note}`)
        }
      }
    } else if (shiftTraffic !== undefined) {
      const vars = releaseVars(request.release, request.previous, { percent: 100 })
      lines.push(this.line(shiftTraffic, vars))
    }
    return Promise.resolve({ actions: lines })
  }

  /**
   * Runs the deploy command. With `canary: variables` it is optional (the service already holds
   * the versions it serves), and a first release becomes the stable version at once: there is
   * nothing to canary it against.
   */
  async apply(request: DeployRequest, ctx: TargetContext): Promise<StepOutcome> {
    const { deploy } = this.config
    const deployed =
      deploy === undefined
        ? null
        : await this.step(deploy, this.deployVars(request), ctx, request.release)
    if (this.byVariables === undefined || (deployed !== null && !deployed.ok)) {
      return deployed ?? ok('no deploy command')
    }
    if (request.previous === null) {
      const set = await this.setEach(this.byVariables, stableVariables(request.release), ctx)
      if (set.ok) this.done.set(request.deploymentId, 'stable')
      return deployed === null || !set.ok ? set : ok(`${deployed.detail}\n${set.detail}`)
    }
    const waiting = `users stay on ${request.previous.id} until traffic shifts to ${request.release.id}`
    return ok(
      deployed === null ? `no deploy command: ${waiting}` : `${deployed.detail}; ${waiting}`,
    )
  }

  /**
   * Puts `to` back. With `canary: variables`: the canary's share to 0 and `to` as the stable
   * version, then the rollback command when there is a deploy command (the code it shipped).
   */
  async rollback(
    from: ReleaseManifest,
    to: ReleaseManifest | null,
    ctx: TargetContext,
  ): Promise<StepOutcome> {
    const command = this.config.rollback
    const run = (): Promise<StepOutcome> =>
      command === undefined
        ? Promise.resolve(ok('no rollback command'))
        : this.step(command, releaseVars(from, to, { percent: 100 }), ctx, to)
    if (this.byVariables === undefined) return run()
    const set = await this.setEach(this.byVariables, rollbackVariables(to), ctx)
    if (!set.ok || command === undefined) return set
    const ran = await run()
    return ran.ok ? ok(`${set.detail}\n${ran.detail}`) : ran
  }

  url(_ctx: TargetContext): Promise<string | null> {
    return Promise.resolve(this.config.url ?? null)
  }

  /** A canary weight by variables; the deploy's first sets the canary's version too. */
  private async shiftByVariables(
    request: DeployRequest,
    percent: number,
    ctx: TargetContext,
  ): Promise<StepOutcome> {
    const source = this.byVariables
    if (source === undefined) return { ok: false, reason: 'no setVariables command' }
    const done = this.done.get(request.deploymentId)
    if (percent >= 100 && done === 'stable') {
      return ok(`${request.release.id} is the stable version already`)
    }
    const vars = shiftVariables(request.release, percent, done !== 'canary')
    const outcome = await this.setEach(source, vars, ctx)
    if (!outcome.ok) return outcome
    if (CANARY_ENV.version in vars) this.done.set(request.deploymentId, 'canary')
    if (CANARY_ENV.stable in vars) this.done.set(request.deploymentId, 'stable')
    return outcome
  }

  /** Runs the `setVariables` command once per variable, stopping at the first failure. */
  private async setEach(
    source: string,
    vars: VariableSet,
    ctx: TargetContext,
  ): Promise<StepOutcome> {
    const done: string[] = []
    for (const [key, value] of Object.entries(vars)) {
      const outcome = await this.step(source, { key, value }, ctx, null)
      if (!outcome.ok) return outcome
      done.push(`${key}=${value}`)
    }
    return ok(`set ${done.join(', ')}`)
  }

  private deployVars(request: DeployRequest): Record<string, unknown> {
    const percent = this.shiftTraffic === undefined ? 100 : 0
    return releaseVars(request.release, request.previous, { percent })
  }

  private line(source: string, vars: Record<string, unknown>): string {
    const rendered = render(source, vars)
    return rendered.ok ? rendered.text : `! ${rendered.reason}`
  }

  /**
   * Renders and runs one command; its failure (with the output's tail) is the outcome. A command
   * about a release gets its id as RELEASE_ID and SHIPGATE_RELEASE.
   */
  private async step(
    source: string,
    vars: Record<string, unknown>,
    ctx: TargetContext,
    release: ReleaseManifest | null,
  ): Promise<StepOutcome> {
    const rendered = render(source, vars)
    if (!rendered.ok) return { ok: false, reason: rendered.reason }
    this.logger.info(`$ ${rendered.text}`)
    const env = pickEnv(ctx.env, this.config.env)
    if (release !== null) Object.assign(env, releaseEnv(release))
    const result = await runCommand(
      { shell: rendered.text },
      { cwd: ctx.cwd, env, timeoutMs: this.timeoutMs, signal: ctx.signal },
    )
    if (result.failure === null) return ok(rendered.text)
    return { ok: false, reason: `${rendered.text}: ${result.failure}`, detail: outputTail(result) }
  }
}

/** What a command about `release` finds in its environment. */
function releaseEnv(release: ReleaseManifest): Record<string, string> {
  return { RELEASE_ID: release.id, SHIPGATE_RELEASE: release.id }
}
