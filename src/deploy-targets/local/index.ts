/**
 * The `local` target: releases of a service run as child processes on loopback ports behind a
 * weighted reverse proxy, owned by a supervisor daemon that outlives `shipgate` (see
 * supervisor.ts). This object is a thin client of that daemon's control API.
 */
import { existsSync } from 'node:fs'
import type {
  DeployPlan,
  DeployRequest,
  DeployTarget,
  StepOutcome,
  TargetContext,
  TargetInstance,
} from '../../contracts/deploy.js'
import type { Logger } from '../../contracts/logger.js'
import type { ReleaseManifest } from '../../contracts/release.js'
import { durationToMs } from '../../utils/duration.js'
import { pickEnv } from '../env.js'
import type { LocalTargetConfig } from '../schemas.js'
import { versionOf } from '../template.js'
import { connect, ensureSupervisor, type Answer, type SupervisorClient } from './client.js'
import { retireLocalInstances } from './lifecycle.js'
import type { InstanceRecord, InstanceSpec, ProbeSettings, SupervisorState } from './protocol.js'

export { retireLocalInstances, stopLocalTarget } from './lifecycle.js'

/** A local target: a {@link DeployTarget} that can also retire idle instances. */
export interface LocalDeployTarget extends DeployTarget {
  /** Stops instances at weight 0 after `drain`; call it once a deploy has succeeded. */
  retire(ctx: TargetContext): Promise<StepOutcome>
}

/** Creates a `local` target. Nothing starts until a step needs the supervisor. */
export function createLocalTarget(
  name: string,
  config: LocalTargetConfig,
  deps: { logger: Logger },
): LocalDeployTarget {
  return new LocalTarget(name, config, deps.logger.child(name))
}

/** The environment of an instance of `release` (PORT is added by the supervisor). */
export function instanceEnv(
  config: LocalTargetConfig,
  release: ReleaseManifest,
  ctx: TargetContext,
): Record<string, string> {
  return {
    ...pickEnv(ctx.env, []),
    ...config.env,
    ...release.env,
    RELEASE_ID: release.id,
    SHIPGATE_RELEASE: release.id,
    SERVICE_VERSION: versionOf(release),
  }
}

class LocalTarget implements LocalDeployTarget {
  readonly type = 'local'
  private readonly drainMs: number

  constructor(
    readonly name: string,
    private readonly config: LocalTargetConfig,
    private readonly logger: Logger,
  ) {
    this.drainMs = durationToMs(config.drain)
  }

  async verify(ctx: TargetContext): Promise<StepOutcome> {
    if (!existsSync(ctx.cwd)) return { ok: false, reason: `no directory ${ctx.cwd}` }
    if (!existsSync('/bin/sh')) return { ok: false, reason: 'no /bin/sh to run the command' }
    const running = await connect(ctx.stateDir)
    const where = running === undefined ? 'not running' : `proxy on ${proxyUrl(running)}`
    return { ok: true, detail: `local supervisor ${where}` }
  }

  async plan(request: DeployRequest, ctx: TargetContext): Promise<DeployPlan> {
    const running = await connect(ctx.stateDir)
    const state =
      running === undefined ? undefined : await running.call<SupervisorState>('GET', '/state')
    const busy = state?.ok === true && state.value.instances.some((i) => i.weight > 0)
    const actions: string[] = []
    if (running === undefined) {
      const port = this.config.port === 0 ? 'a free port' : String(this.config.port)
      actions.push(`start the local supervisor (proxy on ${this.config.host}:${port})`)
    }
    actions.push(
      `start ${versionOf(request.release)} (${request.release.id}): ${this.config.command}`,
      `wait until GET ${this.config.healthPath} answers 200 (within ${String(this.config.healthTimeout)})`,
      `give it weight ${busy ? '0 (traffic moves by shiftTraffic)' : '100'}`,
    )
    return { actions }
  }

  async apply(request: DeployRequest, ctx: TargetContext): Promise<StepOutcome> {
    const client = await this.supervisor(ctx)
    if (!client.ok) return failed(client)
    const state = await client.value.call<SupervisorState>('GET', '/state')
    if (!state.ok) return failed(state)
    const existing = state.value.instances.find((i) => i.releaseId === request.release.id)
    if (existing !== undefined) return { ok: true, detail: `${describe(existing)} already runs` }
    return this.start(client.value, request.release, ctx)
  }

  async shiftTraffic(
    request: DeployRequest,
    percent: number,
    ctx: TargetContext,
  ): Promise<StepOutcome> {
    if (!(percent >= 0 && percent <= 100))
      return { ok: false, reason: `percent ${percent} is not in 0–100` }
    const weights: Record<string, number> = { [request.release.id]: percent }
    if (request.previous !== null) weights[request.previous.id] = 100 - percent
    return this.setWeights(ctx, weights)
  }

  async rollback(
    from: ReleaseManifest,
    to: ReleaseManifest | null,
    ctx: TargetContext,
  ): Promise<StepOutcome> {
    const client = await this.supervisor(ctx)
    if (!client.ok) return failed(client)
    if (to !== null) {
      const state = await client.value.call<SupervisorState>('GET', '/state')
      if (!state.ok) return failed(state)
      if (!state.value.instances.some((i) => i.releaseId === to.id)) {
        const started = await this.start(client.value, to, ctx, 0)
        if (!started.ok) return started
      }
      const shifted = await this.setWeights(ctx, { [to.id]: 100 })
      if (!shifted.ok) return shifted
    }
    const stopped = await client.value.call('POST', '/stop', {
      releaseId: from.id,
      drainMs: this.drainMs,
    })
    if (!stopped.ok) return failed(stopped)
    return {
      ok: true,
      detail: to === null ? `stopped ${from.id}` : `${to.id} has all traffic; stopped ${from.id}`,
    }
  }

  async setVariables(
    vars: Readonly<Record<string, string>>,
    ctx: TargetContext,
  ): Promise<StepOutcome> {
    const client = await connect(ctx.stateDir)
    if (client === undefined)
      return { ok: false, reason: 'nothing runs: the local supervisor is not running' }
    const answer = await client.call('POST', '/variables', { vars, drainMs: this.drainMs })
    if (!answer.ok) return failed(answer)
    return { ok: true, detail: `restarted every instance with ${Object.keys(vars).join(', ')}` }
  }

  async url(ctx: TargetContext): Promise<string | null> {
    const running = await connect(ctx.stateDir)
    if (running !== undefined) return proxyUrl(running)
    if (this.config.port !== 0) return `http://${loopback(this.config.host)}:${this.config.port}`
    const started = await this.supervisor(ctx)
    return started.ok ? proxyUrl(started.value) : null
  }

  async instances(ctx: TargetContext): Promise<readonly TargetInstance[]> {
    const client = await connect(ctx.stateDir)
    const state =
      client === undefined ? undefined : await client.call<SupervisorState>('GET', '/state')
    if (state?.ok !== true) return []
    return state.value.instances.map((i) => ({
      releaseId: i.releaseId,
      url: `http://127.0.0.1:${i.port}`,
      weight: i.weight,
    }))
  }

  retire(ctx: TargetContext): Promise<StepOutcome> {
    return retireLocalInstances(ctx.stateDir, { drainMs: this.drainMs })
  }

  private supervisor(ctx: TargetContext): Promise<Answer<SupervisorClient>> {
    const { host, port, stickyHeader } = this.config
    const options = { stateDir: ctx.stateDir, host, port, stickyHeader: stickyHeader ?? null }
    return ensureSupervisor(options, ctx.cwd)
  }

  private async start(
    client: SupervisorClient,
    release: ReleaseManifest,
    ctx: TargetContext,
    weight?: number,
  ): Promise<StepOutcome> {
    const spec: InstanceSpec = {
      releaseId: release.id,
      command: this.config.command,
      cwd: ctx.cwd,
      env: instanceEnv(this.config, release, ctx),
      healthPath: this.config.healthPath,
      healthTimeoutMs: durationToMs(this.config.healthTimeout),
      probe: probeSettings(this.config.healthCheck),
    }
    this.logger.info(`starting ${versionOf(release)} (${release.id})`)
    const answer = await client.call<{ instance: InstanceRecord }>('POST', '/instances', {
      spec,
      ...(weight === undefined ? {} : { weight }),
    })
    if (!answer.ok) return failed(answer)
    return { ok: true, detail: `${describe(answer.value.instance)} is healthy` }
  }

  private async setWeights(
    ctx: TargetContext,
    weights: Record<string, number>,
  ): Promise<StepOutcome> {
    const client = await connect(ctx.stateDir)
    if (client === undefined) return { ok: false, reason: 'the local supervisor is not running' }
    const answer = await client.call('POST', '/weights', { weights })
    if (!answer.ok) return failed(answer)
    const text = Object.entries(weights).map(([id, w]) => `${id} ${w}%`)
    return { ok: true, detail: text.join(', ') }
  }
}

/** The target's `healthCheck` as the supervisor's probe settings. */
export function probeSettings(check: LocalTargetConfig['healthCheck']): ProbeSettings {
  return {
    intervalMs: durationToMs(check.interval),
    timeoutMs: durationToMs(check.timeout),
    unhealthyThreshold: check.unhealthyThreshold,
    healthyThreshold: check.healthyThreshold,
  }
}

function failed(answer: { error: string; log?: string }): StepOutcome {
  return {
    ok: false,
    reason: answer.error,
    ...(answer.log === undefined ? {} : { detail: answer.log }),
  }
}

function describe(instance: InstanceRecord): string {
  return `${instance.releaseId} on 127.0.0.1:${instance.port} (weight ${instance.weight})`
}

function proxyUrl(client: SupervisorClient): string {
  return `http://${loopback(client.info.proxyHost)}:${client.info.proxyPort}`
}

/** A wildcard bind address is reached on loopback. */
function loopback(host: string): string {
  return host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host
}
