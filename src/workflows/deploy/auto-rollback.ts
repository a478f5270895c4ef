/**
 * Rolling a failed deploy back: the target puts the previous release back (or, on a first
 * deploy, stops the new one), `/health` must then name the previous release, and the alert says
 * what happened. Runs on its own signal: a Ctrl-C that stopped the deploy must not stop this.
 */
import { errorMessage } from '../../utils/errors.js'
import type { Deployment, DeployRequest, StepOutcome } from '../../contracts/deploy.js'
import type { CdContext } from '../project/index.js'
import type { DeploymentRecorder } from './record.js'
import { healthyStep } from './steps.js'
import { event, label } from './events.js'

/** Rolls `request` back to its previous release and ends the deployment. */
export async function rollBack(
  cd: CdContext,
  recorder: DeploymentRecorder,
  request: DeployRequest,
  reason: string,
  now: () => Date,
): Promise<Deployment> {
  const { release, previous } = request
  const back = previous === null ? 'no release (it stops the new one)' : label(previous)
  await cd.notify(
    event(
      cd,
      'rollback.started',
      `rolling ${cd.target.name} back to ${back}: ${reason}`,
      recorder.current,
      now,
    ),
  )
  // A fresh signal: the rollback has to finish even when a Ctrl-C ended the deploy.
  const calm: CdContext = { ...cd, ctx: { ...cd.ctx, signal: new AbortController().signal } }
  await recorder.start('rollback')
  let outcome: StepOutcome = await cd.target
    .rollback(release, previous, calm.ctx)
    .catch((error: unknown) => ({
      ok: false,
      reason: errorMessage(error),
    }))
  if (outcome.ok && previous !== null) {
    const healthy = await healthyStep(calm, previous.id)
    outcome = healthy.ok
      ? { ok: true, detail: `${outcome.detail}\n${healthy.detail}` }
      : { ok: false, reason: `rolled back, but ${healthy.reason}` }
  }
  await recorder.end('rollback', outcome)
  const done = await recorder.finish(outcome.ok ? 'rolled_back' : 'rollback_failed', reason)
  const what = `deploy of ${label(release)} to ${cd.target.name} failed: ${reason}`
  await cd.notify(
    outcome.ok
      ? event(cd, 'rollback.succeeded', `${what}; rolled back to ${back}`, done, now)
      : event(
          cd,
          'rollback.failed',
          `${what}; the rollback failed too: ${outcome.reason}`,
          done,
          now,
        ),
  )
  return recorder.current
}
