/**
 * The deploy state machine, pure: the order of a deployment's steps, how a step is recorded, and
 * where a deployment left `running` by a dead process goes on (`shipgate deploy --resume`).
 * The app layer runs the steps; this decides which and records them.
 */
import type { Deployment, DeploymentStep } from '../../contracts/deploy.js'

/** A step's name. */
export type StepName = DeploymentStep['name']

/**
 * The forward steps of a deploy, in order. `shift` moves all traffic to the new release on
 * targets with traffic control; `healthy` waits for `/health`; `smoke` and `monitor` check it.
 */
export const DEPLOY_STEPS = [
  'verify',
  'plan',
  'apply',
  'shift',
  'healthy',
  'smoke',
  'monitor',
] as const satisfies readonly StepName[]

/**
 * The forward steps of a canary deploy: the canary step replaces the shift (it moves the traffic
 * step by step, judging the canary on the way), and health, smoke and monitor check the release
 * once it has all the traffic.
 */
export const CANARY_DEPLOY_STEPS = [
  'verify',
  'plan',
  'apply',
  'canary',
  'healthy',
  'smoke',
  'monitor',
] as const satisfies readonly StepName[]

/** A deploy's forward steps, by its strategy. */
export function deploySteps(strategy: Deployment['strategy']): readonly StepName[] {
  return strategy === 'canary' ? CANARY_DEPLOY_STEPS : DEPLOY_STEPS
}

/** Steps after which the target may run the new release: a failure from here rolls back. */
const CHANGES_TARGET: ReadonlySet<StepName> = new Set([
  'apply',
  'shift',
  'canary',
  'healthy',
  'smoke',
  'monitor',
])

/** Where a resumed deployment goes on. */
export type ResumePlan =
  | { readonly action: 'continue'; readonly from: StepName }
  | { readonly action: 'rollback'; readonly reason: string }
  | { readonly action: 'finish-rollback'; readonly reason: string }
  | { readonly action: 'restart' }

/**
 * Where a deployment that stopped mid-way goes on. Nothing changed yet (crashed in verify or
 * plan): start over. Crashed inside apply or a traffic shift: what the target runs is unknown,
 * so roll back to the previous release. Crashed between steps after apply: go on with the next
 * step, whose checks (health, smoke, monitor) judge whatever runs. Crashed in a rollback: finish it.
 */
export function resumePlan(deployment: Deployment): ResumePlan {
  const steps = deployment.steps
  const last = steps.at(-1)
  if (last === undefined) return { action: 'restart' }
  if (last.name === 'rollback' || steps.some((s) => s.name === 'rollback')) {
    return { action: 'finish-rollback', reason: deployment.reason ?? 'a rollback was under way' }
  }
  if (last.status === 'failed') {
    return CHANGES_TARGET.has(last.name)
      ? { action: 'rollback', reason: `${last.name} failed: ${last.detail}` }
      : { action: 'restart' }
  }
  if (last.status === 'running') {
    // A canary cut off mid-step: what share the canary has and how it was doing is not known
    // well enough to go on, so it is rolled back, like an interrupted traffic shift.
    if (last.name === 'apply' || last.name === 'shift' || last.name === 'canary') {
      return { action: 'rollback', reason: `the deploy stopped during ${last.name}` }
    }
    if (!CHANGES_TARGET.has(last.name)) return { action: 'restart' }
    return { action: 'continue', from: last.name }
  }
  const next = nextStep(last.name, deployment.strategy)
  return next === undefined
    ? { action: 'continue', from: 'monitor' }
    : { action: 'continue', from: next }
}

/** The step after `name` among the strategy's steps; `undefined` after the last. */
export function nextStep(
  name: StepName,
  strategy: Deployment['strategy'] = 'replace',
): StepName | undefined {
  const steps = deploySteps(strategy)
  const index = steps.indexOf(name)
  return index < 0 ? undefined : steps[index + 1]
}

/** The strategy's forward steps from `from` on. */
export function stepsFrom(
  from: StepName,
  strategy: Deployment['strategy'] = 'replace',
): readonly StepName[] {
  const steps = deploySteps(strategy)
  const index = steps.indexOf(from)
  return index < 0 ? [] : steps.slice(index)
}

/** `steps` with `name` started now (a step run again after a resume gets a new entry). */
export function startStep(
  steps: readonly DeploymentStep[],
  name: StepName,
  at: string,
): DeploymentStep[] {
  return [...steps, { name, status: 'running', startedAt: at, finishedAt: null, detail: '' }]
}

/** `steps` with the last entry of `name` ended with `status` and `detail`. */
export function endStep(
  steps: readonly DeploymentStep[],
  name: StepName,
  status: 'passed' | 'failed' | 'skipped',
  detail: string,
  at: string,
): DeploymentStep[] {
  const index = steps.findLastIndex((s) => s.name === name)
  if (index < 0) return [...steps, { name, status, startedAt: at, finishedAt: at, detail }]
  return steps.map((s, i) => (i === index ? { ...s, status, detail, finishedAt: at } : s))
}

/**
 * The release a target runs after its deployments, newest first: the release of the last one
 * that succeeded, or the one a rollback returned to. `null` when nothing ever reached it.
 */
export function currentRelease(deployments: readonly Deployment[]): string | null {
  for (const d of deployments) {
    if (d.status === 'succeeded') return d.releaseId
    if (d.status === 'rolled_back') return d.previousReleaseId
  }
  return null
}
