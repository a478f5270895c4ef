/**
 * The supervisor's health checks of running instances, as a load balancer's (Envoy's active
 * health checking, a Kubernetes readiness probe): each instance's health path is probed every
 * `intervalMs`; `unhealthyThreshold` failed probes in a row take it out of rotation and
 * `healthyThreshold` passed ones bring it back. A probe fails on anything but 200 within
 * `timeoutMs` — a hung process (stopped, deadlocked, a blocked event loop) fails by timing out.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { InstanceHealth, InstanceRecord, ProbeSettings } from './protocol.js'

/** Passed or failed probes in a row (one of the two is 0). */
export interface Streak {
  readonly passed: number
  readonly failed: number
}

/** The streak after one probe, and whether that probe flips the instance's health. */
export function countProbe(
  streak: Streak,
  passed: boolean,
  healthy: boolean,
  settings: Pick<ProbeSettings, 'unhealthyThreshold' | 'healthyThreshold'>,
): { readonly streak: Streak; readonly flip: boolean } {
  const next = passed
    ? { passed: streak.passed + 1, failed: 0 }
    : { passed: 0, failed: streak.failed + 1 }
  const flip = healthy
    ? next.failed >= settings.unhealthyThreshold
    : next.passed >= settings.healthyThreshold
  return { streak: next, flip }
}

/** One probe: `null` when it answered 200 in time, else why not. */
export async function probe(url: string, timeoutMs: number): Promise<string | null> {
  try {
    const answer = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) })
    await answer.body?.cancel()
    return answer.status === 200 ? null : `answered ${answer.status}`
  } catch (error) {
    const name = (error as { name?: string }).name
    if (name === 'TimeoutError') return `no answer within ${timeoutMs}ms`
    const cause = (error as { cause?: { code?: string; message?: string } }).cause
    return cause?.code ?? cause?.message ?? String(error)
  }
}

/** Where health changes go: the registry records them (state.json) and the proxy reads them. */
export type HealthListener = (id: string, health: InstanceHealth) => void

/** The probe loops of a supervisor's instances, one per instance. */
export class HealthChecks {
  private readonly loops = new Map<string, AbortController>()

  constructor(private readonly onChange: HealthListener) {}

  /** Starts probing `instance` (no-op without settings: state written before health checks). */
  watch(instance: InstanceRecord): void {
    if (instance.probe === undefined || this.loops.has(instance.id)) return
    const stop = new AbortController()
    this.loops.set(instance.id, stop)
    void this.loop(instance, instance.probe, stop.signal)
  }

  /** Stops probing the instance (it is leaving). */
  forget(id: string): void {
    this.loops.get(id)?.abort()
    this.loops.delete(id)
  }

  /** Stops every loop. */
  stopAll(): void {
    for (const id of [...this.loops.keys()]) this.forget(id)
  }

  private async loop(
    instance: InstanceRecord,
    settings: ProbeSettings,
    signal: AbortSignal,
  ): Promise<void> {
    const url = `http://127.0.0.1:${instance.port}${instance.healthPath}`
    let healthy = instance.health.status === 'healthy'
    let streak: Streak = { passed: 0, failed: 0 }
    // A fixed rate: the next probe starts `intervalMs` after the last one started, so a probe
    // that times out does not stretch the time to take a hung instance out.
    for (let next = Date.now() + settings.intervalMs; !signal.aborted;) {
      if (!(await pause(next - Date.now(), signal))) return
      next = Math.max(next + settings.intervalMs, Date.now())
      const failure = await probe(url, settings.timeoutMs)
      if (signal.aborted) return
      const counted = countProbe(streak, failure === null, healthy, settings)
      streak = counted.streak
      if (!counted.flip) continue
      healthy = !healthy
      streak = { passed: 0, failed: 0 }
      this.onChange(instance.id, {
        status: healthy ? 'healthy' : 'unhealthy',
        since: new Date().toISOString(),
        reason: healthy
          ? null
          : `${settings.unhealthyThreshold} health checks failed in a row: ${failure ?? ''}`,
      })
    }
  }
}

/** Sleeps `ms` (at least 0); false when aborted first. */
async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(Math.max(0, ms), undefined, { signal, ref: false })
    return true
  } catch {
    return false
  }
}
