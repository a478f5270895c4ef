/**
 * `shipgate rollback TARGET [--to RELEASE] [--only code|prompt|model]`: a coordinated rollback.
 * The code goes back through the target; the prompt and model versions through the variables
 * the service reads (`PROMPT_VERSION`, `MODEL_VERSION`: the target sets them without a code
 * deploy) or, for the prompt, the rollout flag in the flag file. Each part says what it did.
 * The rollback is recorded as a deployment (strategy `rollback`) so the next one knows what runs.
 */
import type { PartResult, RollbackReport } from '../../contracts/deploy.js'
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { Deployment, StepOutcome } from '../../contracts/deploy.js'
import type { ReleaseManifest, ReleasePart } from '../../contracts/release.js'
import { rollbackParts, type VersionMove } from '../../core/release/index.js'
import { currentRelease } from '../../core/rollout/deploy.js'
import { usageError } from '../../errors.js'
import { type FlagFile, readRollout, setRollout } from '@shipgate/runtime/flags'
import { writeFileAtomic } from '../../utils/files.js'
import { type CdContext, type CdContextOptions, openCdContext } from '../project/index.js'
import { event, label } from './events.js'
import { DeploymentRecorder, newDeployment, newDeploymentId, recordingAlerts } from './record.js'
import { healthyStep } from './steps.js'

/** Options of {@link rollback}. */
export interface RollbackOptions extends CdContextOptions {
  /** The release to return to; default: the one that ran before the current one. */
  readonly to?: string
  readonly only?: ReleasePart
  readonly now?: () => Date
}

/** Rolls the target back per `options`. */
export async function rollback(options: RollbackOptions): Promise<RollbackReport> {
  const opened = await openCdContext(options)
  try {
    const now = options.now ?? (() => new Date())
    const { from, to } = await endpoints(opened, options.to)
    const record = await begin(opened, from, to, options.only, now)
    // Every alert about this rollback is kept with its record.
    const cd = recordingAlerts(opened, record)
    await cd.notify(
      event(
        cd,
        'rollback.started',
        `rolling ${cd.target.name} back from ${label(from)} to ${label(to)}`,
        record.current,
        now,
      ),
    )
    const parts = await moveParts(cd, from, to, options.only)
    const ok = parts.every((p) => p.status !== 'failed')
    await record.start('rollback')
    const summary = parts.map((p) => `${p.part}: ${p.status} (${p.detail})`).join('\n')
    await record.end(
      'rollback',
      ok ? { ok: true, detail: summary } : { ok: false, reason: summary },
    )
    const ended = await record.finish(ok ? 'succeeded' : 'rollback_failed', ok ? null : summary)
    const type = ok ? 'rollback.succeeded' : 'rollback.failed'
    await cd.notify(
      event(
        cd,
        type,
        `${cd.target.name} rolled back to ${label(to)}: ${parts.map((p) => `${p.part} ${p.status}`).join(', ')}`,
        ended,
        now,
      ),
    )
    return { from, to, parts, ok, deployment: record.current }
  } finally {
    await opened.close()
  }
}

/** What runs now, and what to return to. */
async function endpoints(cd: CdContext, toRef: string | undefined) {
  const history = await cd.store.deployments.list({ target: cd.target.name, limit: 500 })
  const currentId = currentRelease(history)
  if (currentId === null) {
    throw usageError(
      `nothing was deployed to ${cd.target.name} with shipgate`,
      'deploy first: shipgate deploy TARGET',
    )
  }
  const from = await get(cd, currentId)
  const toId =
    toRef === undefined ? previousOf(history, currentId) : await cd.store.releases.resolveId(toRef)
  if (toId === undefined || toId === null) {
    throw usageError(
      toRef === undefined
        ? `no release ran on ${cd.target.name} before ${currentId}`
        : `no release matches ${toRef}`,
      'name one: shipgate rollback TARGET --to RELEASE (see shipgate release list)',
    )
  }
  if (toId === currentId) throw usageError(`${currentId} already runs on ${cd.target.name}`)
  return { from, to: await get(cd, toId) }
}

/** The release that ran before `current`: the newest other release that ran on the target. */
function previousOf(history: readonly Deployment[], current: string): string | null {
  for (const d of history) {
    const ran =
      d.status === 'succeeded'
        ? d.releaseId
        : d.status === 'rolled_back'
          ? d.previousReleaseId
          : null
    if (ran !== null && ran !== current) return ran
    if (
      d.status === 'succeeded' &&
      d.releaseId === current &&
      d.previousReleaseId !== null &&
      d.previousReleaseId !== current
    ) {
      return d.previousReleaseId
    }
  }
  return null
}

async function get(cd: CdContext, id: string): Promise<ReleaseManifest> {
  const release = await cd.store.releases.get(id)
  if (release === undefined) throw usageError(`release ${id} is not in the store`)
  return release
}

async function begin(
  cd: CdContext,
  from: ReleaseManifest,
  to: ReleaseManifest,
  only: ReleasePart | undefined,
  now: () => Date,
) {
  // A partial rollback leaves the code (and so the release that runs) as it was.
  const runs = only === undefined || only === 'code' ? to : from
  const deployment = newDeployment({
    id: newDeploymentId(now()),
    target: cd.target.name,
    releaseId: runs.id,
    previousReleaseId: from.id,
    strategy: 'rollback',
    at: now(),
  })
  const begun = await cd.store.deployments.begin(deployment)
  if (!begun.ok) {
    throw usageError(
      `${begun.running.id} is running on ${cd.target.name}`,
      'wait for it, or resume it: shipgate deploy TARGET --resume',
    )
  }
  return new DeploymentRecorder(cd.store, deployment, now)
}

async function moveParts(
  cd: CdContext,
  from: ReleaseManifest,
  to: ReleaseManifest,
  only: ReleasePart | undefined,
): Promise<PartResult[]> {
  const names = {
    prompt: cd.loaded.config.release.promptVersionEnv,
    model: cd.loaded.config.release.modelVersionEnv,
  }
  const parts = rollbackParts(from, to, only, names)
  const results: PartResult[] = []
  if (only === undefined || only === 'code') {
    // The whole release goes back through the target (its env included), even on one commit.
    const outcome = await cd.target.rollback(from, to, cd.ctx)
    const healthy = outcome.ok ? await healthyStep(cd, to.id) : outcome
    results.push(
      partResult(
        'code',
        healthy,
        parts.code
          ? `${short(from.code.commit)} → ${short(to.code.commit)}`
          : 'same commit; release redeployed',
      ),
    )
    if (only === undefined) {
      results.push(
        unchangedOrCarried('prompt', parts.prompt),
        unchangedOrCarried('model', parts.model),
      )
      return results
    }
  }
  if (only === 'prompt') results.push(await movePrompt(cd, parts.prompt, names.prompt))
  if (only === 'model') results.push(await moveVariable(cd, 'model', parts.model, names.model))
  return results
}

function unchangedOrCarried(part: ReleasePart, move: VersionMove | null): PartResult {
  return move === null
    ? { part, status: 'unchanged', detail: 'the same in both releases' }
    : {
        part,
        status: 'reverted',
        detail: `${move.from ?? '?'} → ${move.to ?? '?'} with the release`,
      }
}

async function movePrompt(
  cd: CdContext,
  move: VersionMove | null,
  envName: string,
): Promise<PartResult> {
  const flag = cd.loaded.config.release.promptFlag
  const flagsPath = cd.loaded.config.release.flags
  if (move === null || flag === undefined || flagsPath === undefined)
    return moveVariable(cd, 'prompt', move, envName)
  const path = resolve(cd.loaded.dir, flagsPath)
  const file = JSON.parse(await readFile(path, 'utf8')) as FlagFile
  const rollout = readRollout(file, flag)
  if (rollout.from !== move.to) return moveVariable(cd, 'prompt', move, envName)
  await writeFileAtomic(path, `${JSON.stringify(setRollout(file, flag, 0), null, 2)}\n`)
  return {
    part: 'prompt',
    status: 'reverted',
    detail: `flag ${flag} in ${flagsPath}: everyone on ${rollout.from} (was ${rollout.percent}% ${rollout.to})`,
  }
}

async function moveVariable(
  cd: CdContext,
  part: ReleasePart,
  move: VersionMove | null,
  envName: string,
): Promise<PartResult> {
  if (move === null) return { part, status: 'unchanged', detail: 'the same in both releases' }
  if (move.to === null)
    return {
      part,
      status: 'failed',
      detail: `the target release records no ${envName}; roll back the code instead`,
    }
  if (cd.target.setVariables === undefined) {
    return {
      part,
      status: 'failed',
      detail: `the ${cd.target.type} target cannot set variables; roll back the code instead`,
    }
  }
  const outcome = await cd.target.setVariables({ [envName]: move.to }, cd.ctx)
  return partResult(part, outcome, `${envName}=${move.to} (was ${move.from ?? 'unset'})`)
}

function partResult(part: ReleasePart, outcome: StepOutcome, what: string): PartResult {
  return outcome.ok
    ? { part, status: 'reverted', detail: what }
    : { part, status: 'failed', detail: `${what}: ${outcome.reason}` }
}

function short(commit: string | null): string {
  return commit === null ? 'no commit' : commit.slice(0, 7)
}
