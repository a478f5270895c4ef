/**
 * `shipgate deploy TARGET`: verify → plan → apply → shift → healthy → smoke → monitor; on a
 * failure after apply, roll back to the release that ran before and alert. Every step is in the
 * store before the next starts; one deploy per target runs at a time (the store enforces it);
 * `--resume` finishes or rolls back a deploy whose process died.
 */
import type { DeployResult } from '../../contracts/deploy.js'
import { errorMessage } from '../../utils/errors.js'
import type {
  Deployment,
  DeploymentStep,
  DeployRequest,
  StepOutcome,
} from '../../contracts/deploy.js'
import type { ReleaseManifest } from '../../contracts/release.js'
import { currentRelease, resumePlan, stepsFrom, type StepName } from '../../core/rollout/deploy.js'
import { environmentError, usageError } from '../../errors.js'
import {
  alive,
  currentOwner,
  openCdContext,
  type CdContext,
  type CdContextOptions,
} from '../project/index.js'
import { rolloutOf } from '../../config/rollout.js'
import { event, label } from './events.js'
import { DeploymentRecorder, newDeployment, newDeploymentId, recordingAlerts } from './record.js'
import { rollBack } from './auto-rollback.js'
import { runStep, type StepEvents, type StepSettings } from './steps.js'

/** Options of {@link deploy}. */
export interface DeployOptions extends CdContextOptions, StepSettings {
  /** Release id, prefix, name or `latest` (the default). */
  readonly release?: string
  /** Verify and plan only. */
  readonly dryRun?: boolean
  /** Finish or roll back the target's interrupted deploy instead of starting one. */
  readonly resume?: boolean
  /**
   * With `resume`: take over a deploy that a process on another machine left running, whose end
   * this machine cannot see (a lost CI runner). A live process on this machine is never taken
   * over.
   */
  readonly takeOver?: boolean
  /** Each step as it starts and ends, for progress output. */
  readonly onStep?: (step: DeploymentStep, deployment: Deployment) => void
  readonly onInterval?: StepEvents['onInterval']
  readonly now?: () => Date
}

/** Deploys (or resumes, or plans) per `options`; the deployment's status says how it ended. */
export async function deploy(options: DeployOptions): Promise<DeployResult> {
  const cd = await openCdContext(options)
  try {
    return options.resume === true ? await resume(cd, options) : await start(cd, options)
  } finally {
    await cd.close()
  }
}

async function start(cd: CdContext, options: DeployOptions): Promise<DeployResult> {
  const release = await resolveRelease(cd, options.release ?? 'latest')
  const history = await cd.store.deployments.list({ target: cd.target.name })
  const previousId = currentRelease(history)
  if (previousId === release.id) {
    throw usageError(
      `${release.id} already runs on ${cd.target.name}`,
      'record a new release with `shipgate release create`, or go back with `shipgate rollback`',
    )
  }
  const previous = previousId === null ? null : ((await cd.store.releases.get(previousId)) ?? null)
  const now = options.now ?? (() => new Date())
  const deploymentId = newDeploymentId(now())
  const request: DeployRequest = { deploymentId, release, previous }
  if (options.dryRun === true) {
    const verify = await cd.target.verify(cd.ctx)
    return {
      kind: 'dry-run',
      release,
      previous,
      verify,
      plan: await cd.target.plan(request, cd.ctx),
    }
  }
  const deployment = newDeployment({
    id: deploymentId,
    target: cd.target.name,
    releaseId: release.id,
    previousReleaseId: previous?.id ?? null,
    strategy: rolloutOf(cd.loaded.config.rollout, cd.target.name).strategy,
    at: now(),
  })
  const begun = await cd.store.deployments.begin(deployment)
  if (!begun.ok) throw refused(begun.running)
  const recorder = new DeploymentRecorder(cd.store, deployment, now, options.onStep)
  // From here on, every alert about this deployment is kept with it.
  cd = recordingAlerts(cd, recorder)
  await cd.notify(
    event(
      cd,
      'deploy.started',
      `deploying ${label(release)} to ${cd.target.name}`,
      deployment,
      now,
    ),
  )
  return { kind: 'deployment', deployment: await forward(cd, recorder, request, 'verify', options) }
}

async function resume(cd: CdContext, options: DeployOptions): Promise<DeployResult> {
  const [running] = await cd.store.deployments.list({
    target: cd.target.name,
    status: 'running',
    limit: 1,
  })
  if (running === undefined) {
    throw usageError(
      `no deploy to ${cd.target.name} is waiting to be resumed`,
      'start one: shipgate deploy TARGET',
    )
  }
  const me = currentOwner()
  const elsewhere = running.owner !== null && running.owner.host !== me.host
  const live = running.owner !== null && !elsewhere && alive(running.owner.pid)
  if (live || (elsewhere && options.takeOver !== true)) throw refused(running)
  if (elsewhere) {
    cd.ctx.logger.warn(
      `taking over ${running.id} from pid ${running.owner.pid} on ${running.owner.host} (--take-over): make sure that process is gone`,
    )
  }
  const now = options.now ?? (() => new Date())
  const recorder = new DeploymentRecorder(cd.store, running, now, options.onStep)
  cd = recordingAlerts(cd, recorder)
  await recorder.takeOver(me)
  const release = await cd.store.releases.get(running.releaseId)
  if (release === undefined)
    throw usageError(`release ${running.releaseId} of ${running.id} is not in the store`)
  const previous =
    running.previousReleaseId === null
      ? null
      : ((await cd.store.releases.get(running.previousReleaseId)) ?? null)
  const request: DeployRequest = { deploymentId: running.id, release, previous }
  const plan = resumePlan(running)
  cd.ctx.logger.info(
    `resuming ${running.id}: ${plan.action}${'from' in plan ? ` from ${plan.from}` : ''}`,
  )
  const deployment =
    plan.action === 'continue'
      ? await forward(cd, recorder, request, plan.from, options)
      : plan.action === 'restart'
        ? await forward(cd, recorder, request, 'verify', options)
        : await rollBack(cd, recorder, request, plan.reason, now)
  return { kind: 'deployment', deployment }
}

/** Runs the forward steps from `from`; rolls back when one that touched the target fails. */
async function forward(
  cd: CdContext,
  recorder: DeploymentRecorder,
  request: DeployRequest,
  from: StepName,
  options: DeployOptions,
): Promise<Deployment> {
  const now = options.now ?? (() => new Date())
  let failedCheck: { step: 'smoke' | 'monitor'; reason: string } | undefined
  const events: StepEvents = {
    ...(options.onInterval === undefined ? {} : { onInterval: options.onInterval }),
    onCheckFailed: (step, reason) => (failedCheck = { step, reason }),
    alert: async (type, summary) => {
      await cd.notify(event(cd, type, summary, recorder.current, now))
    },
    progress: (detail) => recorder.note('canary', detail),
  }
  let touched = from !== 'verify' && from !== 'plan'
  for (const name of stepsFrom(from, recorder.current.strategy)) {
    if (cd.ctx.signal.aborted) return stop(cd, recorder, request, touched, 'interrupted', now)
    touched ||= name === 'apply'
    await recorder.start(name)
    const outcome = await runStep(name, cd, request, options, events).catch(
      (error: unknown): StepOutcome => ({
        ok: false,
        reason: `${name} threw: ${messageOf(error)}`,
      }),
    )
    await recorder.end(name, outcome)
    if (outcome.ok) continue
    if (cd.ctx.signal.aborted) return stop(cd, recorder, request, touched, 'interrupted', now)
    if (failedCheck !== undefined) {
      const type = failedCheck.step === 'smoke' ? 'smoke.failed' : 'monitor.failed'
      await cd.notify(
        event(
          cd,
          type,
          `${label(request.release)} on ${cd.target.name}: ${failedCheck.reason}`,
          recorder.current,
          now,
        ),
      )
    }
    return stop(cd, recorder, request, touched, `${name} failed: ${outcome.reason}`, now)
  }
  const retired = await cd.target.retire?.(cd.ctx)
  if (retired !== undefined && !retired.ok)
    cd.ctx.logger.warn(`could not retire old instances: ${retired.reason}`)
  const done = await recorder.finish('succeeded', null)
  await cd.notify(
    event(cd, 'deploy.succeeded', `${label(request.release)} runs on ${cd.target.name}`, done, now),
  )
  return recorder.current
}

/** Ends a deploy that cannot go on: a rollback when the target may have changed. */
async function stop(
  cd: CdContext,
  recorder: DeploymentRecorder,
  request: DeployRequest,
  touched: boolean,
  reason: string,
  now: () => Date,
): Promise<Deployment> {
  if (touched) return rollBack(cd, recorder, request, reason, now)
  const done = await recorder.finish('failed', reason)
  await cd.notify(
    event(
      cd,
      'deploy.failed',
      `deploy of ${label(request.release)} to ${cd.target.name} failed: ${reason}`,
      done,
      now,
    ),
  )
  return recorder.current
}

async function resolveRelease(cd: CdContext, ref: string): Promise<ReleaseManifest> {
  const id = await cd.store.releases.resolveId(ref)
  const release = id === undefined ? undefined : await cd.store.releases.get(id)
  if (release !== undefined) return release
  throw usageError(
    ref === 'latest' ? 'no release recorded yet' : `no release matches ${ref}`,
    ref === 'latest' ? 'record one: shipgate release create' : 'list them: shipgate release list',
  )
}

function refused(running: Deployment) {
  const who =
    running.owner === null
      ? 'an unknown process'
      : `pid ${running.owner.pid} on ${running.owner.host}`
  const me = currentOwner()
  const dead = running.owner !== null && running.owner.host === me.host && !alive(running.owner.pid)
  return environmentError(
    `${running.id} (${running.releaseId} to ${running.target}) ${dead ? `was interrupted: ${who} is gone` : `is running (${who})`}`,
    dead
      ? `finish or roll it back: shipgate deploy ${running.target} --resume`
      : running.owner !== null && running.owner.host !== me.host
        ? `one deploy per target runs at a time; wait for it to end, or, if its machine is gone (a lost CI runner), take it over: shipgate deploy ${running.target} --resume --take-over`
        : 'one deploy per target runs at a time; wait for it to end',
  )
}

function messageOf(error: unknown): string {
  return errorMessage(error)
}
