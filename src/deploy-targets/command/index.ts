/**
 * The `command` target: each step is a shell line, rendered as liquid, run in the config's
 * directory. Fits any platform with a CLI: Railway, Fly, Render, Heroku, Vercel.
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
import { pickEnv } from '../env.js'
import { outputTail, runCommand } from '../run.js'
import type { CommandTargetConfig } from '../schemas.js'
import { checkTemplate, releaseVars, render } from '../template.js'

/** Creates a `command` target; throws when a template does not parse. */
export function createCommandTarget(
  name: string,
  config: CommandTargetConfig,
  deps: { logger: Logger },
): DeployTarget {
  for (const source of templates(config)) checkTemplate(source)
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

class CommandTarget implements DeployTarget {
  readonly type = 'command'
  private readonly timeoutMs: number
  /** Present when the config has a `shiftTraffic` command. */
  readonly shiftTraffic?: DeployTarget['shiftTraffic']
  /** Present when the config has a `setVariables` command. */
  readonly setVariables?: DeployTarget['setVariables']

  constructor(
    readonly name: string,
    private readonly config: CommandTargetConfig,
    private readonly logger: Logger,
  ) {
    this.timeoutMs = durationToMs(config.timeout)
    const { shiftTraffic, setVariables } = config
    if (shiftTraffic !== undefined) {
      this.shiftTraffic = (request, percent, ctx) =>
        this.step(shiftTraffic, releaseVars(request.release, request.previous, { percent }), ctx)
    }
    if (setVariables !== undefined) {
      this.setVariables = (vars, ctx) => this.setEach(setVariables, vars, ctx)
    }
  }

  async verify(ctx: TargetContext): Promise<StepOutcome> {
    const missing = this.config.env.filter((n) => ctx.env[n] === undefined)
    if (missing.length > 0) this.logger.warn(`not set: ${missing.join(', ')}`)
    if (this.config.verify === undefined) return { ok: true, detail: 'no verify command' }
    return this.step(this.config.verify, {}, ctx)
  }

  plan(request: DeployRequest, _ctx: TargetContext): Promise<DeployPlan> {
    const lines = [this.line(this.config.deploy, this.deployVars(request))]
    if (this.config.shiftTraffic !== undefined) {
      lines.push(
        this.line(
          this.config.shiftTraffic,
          releaseVars(request.release, request.previous, { percent: 100 }),
        ),
      )
    }
    return Promise.resolve({ actions: lines })
  }

  apply(request: DeployRequest, ctx: TargetContext): Promise<StepOutcome> {
    return this.step(this.config.deploy, this.deployVars(request), ctx)
  }

  rollback(
    from: ReleaseManifest,
    to: ReleaseManifest | null,
    ctx: TargetContext,
  ): Promise<StepOutcome> {
    return this.step(this.config.rollback, releaseVars(from, to, { percent: 100 }), ctx)
  }

  /** Runs the `setVariables` command once per variable, stopping at the first failure. */
  private async setEach(
    source: string,
    vars: Readonly<Record<string, string>>,
    ctx: TargetContext,
  ): Promise<StepOutcome> {
    const done: string[] = []
    for (const [key, value] of Object.entries(vars)) {
      const outcome = await this.step(source, { key, value }, ctx)
      if (!outcome.ok) return outcome
      done.push(key)
    }
    return { ok: true, detail: `set ${done.join(', ')}` }
  }

  url(_ctx: TargetContext): Promise<string | null> {
    return Promise.resolve(this.config.url ?? null)
  }

  private deployVars(request: DeployRequest): Record<string, unknown> {
    const percent = this.config.shiftTraffic === undefined ? 100 : 0
    return releaseVars(request.release, request.previous, { percent })
  }

  private line(source: string, vars: Record<string, unknown>): string {
    const rendered = render(source, vars)
    return rendered.ok ? rendered.text : `! ${rendered.reason}`
  }

  /** Renders and runs one command; its failure (with the output's tail) is the outcome. */
  private async step(
    source: string,
    vars: Record<string, unknown>,
    ctx: TargetContext,
  ): Promise<StepOutcome> {
    const rendered = render(source, vars)
    if (!rendered.ok) return { ok: false, reason: rendered.reason }
    this.logger.info(`$ ${rendered.text}`)
    const result = await runCommand(
      { shell: rendered.text },
      {
        cwd: ctx.cwd,
        env: pickEnv(ctx.env, this.config.env),
        timeoutMs: this.timeoutMs,
        signal: ctx.signal,
      },
    )
    if (result.failure === null) return { ok: true, detail: rendered.text }
    return { ok: false, reason: `${rendered.text}: ${result.failure}`, detail: outputTail(result) }
  }
}
