/**
 * The steps of `shipgate deploy`, each turning what it did into a {@link StepOutcome}: the
 * pipeline (deploy.ts) records them and decides what follows. Nothing here throws for a failed
 * check; a bug or a misconfiguration still does.
 */
import { errorMessage } from '../../utils/errors.js'
import { readFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { join } from 'node:path'
import type { DeployRequest, DeployTarget, StepOutcome } from '../../contracts/deploy.js'
import type { ServiceMetrics } from '../../contracts/metrics.js'
import type { StepName } from '../../core/rollout/deploy.js'
import { createMetricSource } from '../../metric-sources/index.js'
import { durationToMs, formatDuration } from '../../utils/duration.js'
import { writeFileAtomic } from '../../utils/files.js'
import type { MonitorInterval } from '../../contracts/checks.js'
import { monitorPassed, readBaseline, runMonitor, runSmoke, waitHealthy } from '../checks/index.js'
import type { CdContext } from '../project/index.js'
import { rolloutOf } from '../../config/rollout.js'
import { runCanary, sourceWindows, type CanaryStepEvent } from './canary.js'

/** What a step may report on the way (monitor intervals, smoke results) besides its outcome. */
export interface StepEvents {
  /** Each monitor interval as it is judged, with how many the monitor will run at most. */
  readonly onInterval?: (interval: MonitorInterval, total: number) => void
  /** Called when smoke or monitor failed, before the pipeline rolls back, for the alert. */
  readonly onCheckFailed?: (step: 'smoke' | 'monitor', reason: string) => void
  /** Each canary step as it starts and ends. */
  readonly onCanaryStep?: (event: CanaryStepEvent) => void
  /** The canary's alerts, sent by the pipeline with the deployment they are about. */
  readonly alert?: (type: CanaryAlert, summary: string) => Promise<void>
  /** The running step's progress so far, for the record (`shipgate canary status`). */
  readonly progress?: (detail: string) => Promise<void>
}

/** The alerts of a canary. */
export type CanaryAlert =
  'canary.started' | 'canary.step' | 'canary.paused' | 'canary.promoted' | 'canary.aborted'

/** Settings of a deploy run that are not in the config. */
export interface StepSettings {
  /** Overrides `monitor.duration` / `monitor.interval` (ms). */
  readonly monitorDurationMs?: number
  readonly monitorIntervalMs?: number
  readonly skipMonitor?: boolean
}

const ok = (detail: string): StepOutcome => ({ ok: true, detail })
const fail = (reason: string, detail?: string): StepOutcome =>
  detail === undefined ? { ok: false, reason } : { ok: false, reason, detail }
/** A skipped step: a success that did nothing, recorded as `skipped`. */
export const SKIPPED = '(skipped) '

/** Runs one forward step of a deploy. */
export async function runStep(
  name: StepName,
  cd: CdContext,
  request: DeployRequest,
  settings: StepSettings,
  events: StepEvents,
): Promise<StepOutcome> {
  const { target, ctx } = cd
  switch (name) {
    case 'verify': {
      // A canary on a target that cannot split traffic would fail only after apply: say so now.
      const canary = rolloutOf(cd.loaded.config.rollout, target.name).strategy === 'canary'
      if (canary && target.shiftTraffic === undefined) return fail(cannotSplit(target))
      return target.verify(ctx)
    }
    case 'plan':
      return planStep(cd, request)
    case 'apply':
      return target.apply(request, ctx)
    case 'shift':
      if (target.shiftTraffic === undefined) return ok(`${SKIPPED}${target.type} replaces in place`)
      if (request.previous === null)
        return ok(`${SKIPPED}first release on ${target.name}: all traffic already`)
      return target.shiftTraffic(request, 100, ctx)
    case 'healthy':
      return healthyStep(cd, request.release.id)
    case 'smoke':
      return smokeStep(cd, events)
    case 'monitor':
      return monitorStep(cd, request, settings, events)
    case 'canary':
      return canaryStep(cd, request, events)
    case 'rollback':
    case 'notify':
      throw new Error(`${name} is not a forward step`)
    default:
      return name satisfies never
  }
}

async function planStep(cd: CdContext, request: DeployRequest): Promise<StepOutcome> {
  const plan = await cd.target.plan(request, cd.ctx)
  await saveBaseline(cd, request)
  return ok(plan.actions.length === 0 ? 'nothing to run' : plan.actions.join('\n'))
}

/** Waits until the target's URL says it runs `release` healthily. */
export async function healthyStep(cd: CdContext, release: string): Promise<StepOutcome> {
  const url = await cd.target.url(cd.ctx)
  if (url === null) return ok(`${SKIPPED}the target has no url to check`)
  const deploy = cd.loaded.config.deploy
  const waited = await waitHealthy({
    url,
    path: deploy.healthPath,
    release,
    timeoutMs: durationToMs(deploy.healthTimeout),
    signal: cd.ctx.signal,
  })
  return waited.ok ? ok(waited.detail) : fail(waited.reason)
}

async function smokeStep(cd: CdContext, events: StepEvents): Promise<StepOutcome> {
  const url = await cd.target.url(cd.ctx)
  if (url === null) return ok(`${SKIPPED}the target has no url to smoke-test`)
  const report = await runSmoke({
    baseUrl: url,
    config: cd.loaded.config.smoke,
    signal: cd.ctx.signal,
    logger: cd.ctx.logger.child('smoke'),
  })
  const lines = report.checks.map(
    (c) => `${c.passed ? 'pass' : 'FAIL'} ${c.name}${c.reason === null ? '' : `: ${c.reason}`}`,
  )
  if (report.passed)
    return ok(`${report.checks.length} checks passed in ${formatDuration(report.durationMs)}`)
  const failed = report.checks
    .filter((c) => !c.passed)
    .map((c) => `${c.name}: ${c.reason ?? 'failed'}`)
  const reason = `smoke failed: ${failed.join('; ')}`
  events.onCheckFailed?.('smoke', reason)
  return fail(reason, lines.join('\n'))
}

async function monitorStep(
  cd: CdContext,
  request: DeployRequest,
  settings: StepSettings,
  events: StepEvents,
): Promise<StepOutcome> {
  if (settings.skipMonitor === true || !cd.loaded.config.deploy.monitor) {
    return ok(`${SKIPPED}monitoring is off for this deploy`)
  }
  const source = await metricSource(cd)
  const monitor = cd.loaded.config.monitor
  const durationMs = settings.monitorDurationMs ?? durationToMs(monitor.duration)
  const intervalMs = settings.monitorIntervalMs ?? durationToMs(monitor.interval)
  const total = Math.max(1, Math.ceil(durationMs / intervalMs))
  try {
    const report = await runMonitor({
      source,
      config: cd.loaded.config.monitor,
      release: request.release.id,
      previousRelease: request.previous?.id ?? null,
      baseline: await loadBaseline(cd, request),
      ...(settings.monitorDurationMs === undefined
        ? {}
        : { durationMs: settings.monitorDurationMs }),
      ...(settings.monitorIntervalMs === undefined
        ? {}
        : { intervalMs: settings.monitorIntervalMs }),
      signal: cd.ctx.signal,
      logger: cd.ctx.logger.child('monitor'),
      onInterval: (interval) => events.onInterval?.(interval, total),
    })
    if (report.outcome === 'passed') return ok(report.reason)
    if (monitorPassed(report, monitor)) {
      cd.ctx.logger.warn(
        `monitor inconclusive, passing (monitor.onInconclusive: pass): ${report.reason}`,
      )
      return ok(`inconclusive, passed by monitor.onInconclusive: ${report.reason}`)
    }
    const failing = report.intervals.filter((i) => i.outcome !== 'passed').at(-1)
    // A failed or inconclusive run's reason already says why; an unreadable interval's does not.
    const why =
      failing === undefined || failing.findings.length === 0
        ? ''
        : report.outcome === 'error'
          ? ` (interval ${failing.index + 1}: ${failing.findings.join('; ')})`
          : ` (at interval ${failing.index + 1})`
    const outcome = report.outcome === 'failed' ? '' : `${report.outcome}: `
    const reason = `${outcome}${report.reason}${why}`
    events.onCheckFailed?.('monitor', reason)
    return fail(reason)
  } finally {
    await source.close?.()
  }
}

/**
 * The canary: the plan's steps over the new release (canary) and the one it replaces (stable),
 * judged on the monitor's metric source. The first release on a target has nothing to be
 * compared with and takes all the traffic at once.
 */
async function canaryStep(
  cd: CdContext,
  request: DeployRequest,
  events: StepEvents,
): Promise<StepOutcome> {
  const { target, ctx } = cd
  const shift = target.shiftTraffic?.bind(target)
  if (shift === undefined) {
    return fail(cannotSplit(target))
  }
  if (request.previous === null) {
    const moved = await shift(request, 100, ctx)
    return moved.ok ? ok(`first release on ${target.name}: all traffic at once`) : moved
  }
  const rollout = rolloutOf(cd.loaded.config.rollout, target.name)
  const source = await metricSource(cd)
  const name = `canary of ${request.release.id} on ${target.name}`
  await events.alert?.('canary.started', `${name}: ${rollout.steps.length} steps`)
  const lines: string[] = []
  try {
    const outcome = await runCanary({
      rollout,
      control: () => cd.store.deployments.control(request.deploymentId),
      shift: (percent) => shift(request, percent, ctx),
      ...sourceWindows(source, request.release.id, request.previous.id),
      now: () => Date.now(),
      // Resolves early on an abort: the canary sees the signal and stops.
      sleep: (ms, signal) => sleep(ms, undefined, { signal }).catch(() => undefined),
      signal: ctx.signal,
      onStep: async (event) => {
        const line = `canary ${event.index + 1}/${event.total} ${event.status}: ${event.detail}`
        ctx.logger.info(line)
        events.onCanaryStep?.(event)
        lines.push(line)
        await events.progress?.(lines.join('\n'))
        if (event.status === 'passed') await events.alert?.('canary.step', `${name}, ${line}`)
        if (event.status === 'paused') await events.alert?.('canary.paused', `${name}, ${line}`)
      },
    })
    await (outcome.ok
      ? events.alert?.('canary.promoted', `${name}: promoted, all traffic on the canary`)
      : events.alert?.('canary.aborted', `${name} aborted: ${outcome.reason}`))
    return outcome
  } finally {
    await source.close?.()
  }
}

function cannotSplit(target: DeployTarget): string {
  return `the ${target.type} target ${target.name} cannot split traffic between two releases, which rollout.strategy: canary needs: give it a way (a command target's shiftTraffic, or canary: variables), or deploy it with rollout.strategy: replace`
}

async function metricSource(cd: CdContext) {
  const targetUrl = await cd.target.url(cd.ctx)
  const instances = cd.target.instances?.bind(cd.target)
  return createMetricSource(cd.loaded.config.monitor.source, {
    targetUrl,
    ...(instances === undefined ? {} : { instances: () => instances(cd.ctx) }),
  })
}

/**
 * The previous release's metrics before the new one takes traffic, kept in the target's state
 * directory so a resumed deploy compares against the same numbers.
 */
async function saveBaseline(cd: CdContext, request: DeployRequest): Promise<void> {
  if (request.previous === null || !cd.loaded.config.deploy.monitor) return
  const source = await metricSource(cd)
  try {
    const baseline = await readBaseline(source, request.previous.id, cd.ctx.signal)
    await writeFileAtomic(baselineFile(cd, request), JSON.stringify(baseline))
  } catch (error) {
    cd.ctx.logger.warn(
      `no baseline from ${request.previous.id}: ${errorMessage(error)}; the monitor uses absolute limits only`,
    )
  } finally {
    await source.close?.()
  }
}

async function loadBaseline(cd: CdContext, request: DeployRequest): Promise<ServiceMetrics | null> {
  try {
    return JSON.parse(await readFile(baselineFile(cd, request), 'utf8')) as ServiceMetrics | null
  } catch {
    return null
  }
}

function baselineFile(cd: CdContext, request: DeployRequest): string {
  return join(cd.ctx.stateDir, `baseline-${request.deploymentId}.json`)
}
