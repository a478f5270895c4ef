/**
 * The supervisor's table of instances: every change goes through here, one at a time, and is
 * written to `state.json` and `prometheus-targets.json` as soon as it happens.
 */
import { existsSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { HealthChecks } from './health.js'
import { logTail, startProcess, stopProcess, waitHealthy } from './instances.js'
import { groupAlive } from '../../utils/processes.js'
import {
  FILES,
  readStateFile,
  type InstanceHealth,
  type InstanceRecord,
  type InstanceSpec,
  type SupervisorState,
} from './protocol.js'
import type { Route } from './proxy.js'

/** A failed start: the reason and the end of the instance's log. */
export class StartError extends Error {
  override readonly name = 'StartError'
  constructor(
    message: string,
    readonly log: string,
  ) {
    super(message)
  }
}

/** The instances of one supervisor. */
export class Registry {
  private instances: InstanceRecord[] = []
  private queue: Promise<unknown> = Promise.resolve()
  private counter = 0
  private readonly health = new HealthChecks((id, health) => this.setHealth(id, health))

  constructor(
    private readonly stateDir: string,
    private readonly proxy: { host: string; port: number },
  ) {}

  /** Takes over instances a previous supervisor left running (their process groups live). */
  adopt(): void {
    // State written before health checks has no health: those instances count as healthy.
    type Written = Omit<InstanceRecord, 'health'> & { health?: InstanceHealth }
    const previous = readStateFile<{ instances?: Written[] }>(this.stateDir, FILES.state)
    this.instances = (previous?.instances ?? [])
      .filter((i) => groupAlive(i.pid))
      .map((i) => ({ ...i, health: i.health ?? healthySince(i.startedAt) }))
    this.counter = Math.max(0, ...this.instances.map((i) => Number(i.id.slice(5)) || 0))
    for (const instance of this.instances) this.health.watch(instance)
    this.persist()
  }

  /** What the proxy routes to now: every instance, with its weight and whether it is healthy. */
  routes(): readonly Route[] {
    return this.instances.map((i) => ({
      releaseId: i.releaseId,
      port: i.port,
      weight: i.weight,
      healthy: i.health.status === 'healthy',
    }))
  }

  /** The state as `GET /state` answers it. */
  state(): SupervisorState {
    return { proxy: this.proxy, instances: this.instances }
  }

  /** Runs `task` after every change before it. */
  serial<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task, task)
    this.queue = next.catch(() => undefined)
    return next
  }

  /** Starts an instance and waits until it is healthy; stops it and throws if it is not. */
  async start(spec: InstanceSpec, weight?: number): Promise<InstanceRecord> {
    const id = `inst-${++this.counter}`
    const started = await startProcess(spec, id, this.stateDir)
    const unhealthy = await waitHealthy(started, spec)
    if (unhealthy !== null) {
      await stopProcess(started.pid)
      throw new StartError(`release ${spec.releaseId}: ${unhealthy}`, logTail(started.logFile))
    }
    const hasTraffic = this.instances.some((i) => i.weight > 0)
    const record: InstanceRecord = {
      ...spec,
      id,
      port: started.port,
      pid: started.pid,
      weight: weight ?? (hasTraffic ? 0 : 100),
      startedAt: new Date().toISOString(),
      health: healthySince(new Date().toISOString()),
    }
    void started.exited.then(() => this.forget(record.id))
    this.instances = [...this.instances, record]
    this.health.watch(record)
    this.persist()
    return record
  }

  /** Gives each named release its weight; every other instance gets 0. */
  setWeights(weights: Readonly<Record<string, number>>): void {
    this.instances = this.instances.map((i) => ({ ...i, weight: weights[i.releaseId] ?? 0 }))
    this.persist()
  }

  /** Stops the instances `which` selects: out of the proxy, drained, then stopped. */
  async stop(which: (i: InstanceRecord) => boolean, drainMs: number): Promise<string[]> {
    const leaving = this.instances.filter(which)
    this.instances = this.instances.filter((i) => !which(i))
    for (const instance of leaving) this.health.forget(instance.id)
    this.persist()
    if (leaving.length > 0 && drainMs > 0) await sleep(drainMs)
    await Promise.all(leaving.map((i) => stopProcess(i.pid)))
    return leaving.map((i) => i.releaseId)
  }

  /** Restarts every instance with `vars` added: the new one healthy before the old one goes. */
  async replaceAll(vars: Readonly<Record<string, string>>, drainMs: number): Promise<void> {
    for (const old of [...this.instances]) {
      // The replacement takes the same weight; the old one then leaves the proxy and drains.
      await this.start({ ...specOf(old), env: { ...old.env, ...vars } }, old.weight)
      await this.stop((i) => i.id === old.id, drainMs)
    }
  }

  /** Stops the health checks (the supervisor is shutting down). */
  stopHealthChecks(): void {
    this.health.stopAll()
  }

  /** Records an instance's health as its checks found it; the weight stays as configured. */
  private setHealth(id: string, health: InstanceHealth): void {
    if (!this.instances.some((i) => i.id === id)) return
    this.instances = this.instances.map((i) => (i.id === id ? { ...i, health } : i))
    this.persist()
  }

  private forget(id: string): void {
    this.health.forget(id)
    if (!this.instances.some((i) => i.id === id)) return
    this.instances = this.instances.filter((i) => i.id !== id)
    this.persist()
  }

  /** Writes state.json (0600: instance env may hold secrets) and the Prometheus targets. */
  private persist(): void {
    // The state directory can vanish under a running supervisor (a deleted temp dir): it then
    // shuts down (see supervisor.ts) and the files no longer matter.
    if (!existsSync(this.stateDir)) return
    writeAtomic(join(this.stateDir, FILES.state), this.state())
    const sd = this.instances.map((i) => ({
      targets: [`127.0.0.1:${i.port}`],
      labels: { release: i.releaseId, instance_release: i.releaseId, shipgate_instance: i.id },
    }))
    writeAtomic(join(this.stateDir, FILES.prometheus), sd, 0o644)
  }
}

function healthySince(since: string): InstanceHealth {
  return { status: 'healthy', since, reason: null }
}

function specOf(record: InstanceRecord): InstanceSpec {
  const { releaseId, command, cwd, env, healthPath, healthTimeoutMs, probe } = record
  return { releaseId, command, cwd, env, healthPath, healthTimeoutMs, probe }
}

/** Writes JSON through a temp file and a rename, so readers never see half a file. */
export function writeAtomic(path: string, value: unknown, mode = 0o600): void {
  const temp = `${path}.${process.pid}.tmp`
  writeFileSync(temp, JSON.stringify(value, null, 2) + '\n', { mode })
  renameSync(temp, path)
}
