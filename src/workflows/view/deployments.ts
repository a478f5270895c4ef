/**
 * The deployments pages: deployments newest first, filtered by target and status, and one
 * deployment's steps as a timeline: a canary's weights and verdicts read from its record, the
 * rollback and the release it returned to, and the alerts it recorded sending.
 */
import type { Deployment, DeploymentStatus, DeploymentStep } from '../../contracts/deploy.js'
import type { Store } from '../../contracts/store.js'
import {
  DEPLOYMENT_STATUSES,
  DEPLOYS_MAX_LIMIT,
  DEPLOYS_PER_PAGE,
  type DeploymentFilters,
  type DeploymentItem,
  type DeploymentsView,
  type DeploymentView,
  type RollbackRecord,
  type TimelineStep,
} from '../../contracts/view.js'
import { usageError } from '../../errors.js'
import { canarySteps } from './canary-steps.js'
import { intParam, param, type Query } from './query.js'

/** Loads the deployments list the query asks for. A bad filter is a usage error. */
export async function loadDeploymentsView(store: Store, query: Query): Promise<DeploymentsView> {
  const status = param(query, 'status')
  if (status !== undefined && !(DEPLOYMENT_STATUSES as readonly string[]).includes(status))
    throw usageError(`unknown status "${status}"`, `use one of: ${DEPLOYMENT_STATUSES.join(', ')}`)
  const filters: DeploymentFilters = {
    target: param(query, 'target'),
    status: status as DeploymentStatus | undefined,
    limit: intParam(query, 'limit', DEPLOYS_PER_PAGE, 1, DEPLOYS_MAX_LIMIT),
  }
  const found = await store.deployments.list({
    target: filters.target,
    status: filters.status,
    limit: filters.limit + 1,
  })
  return {
    filters,
    deployments: found.slice(0, filters.limit).map(deploymentItem),
    more: moreLimit(found.length, filters.limit),
    statuses: DEPLOYMENT_STATUSES,
  }
}

/** Loads one deployment by id; an unknown one is a usage error (404). */
export async function loadDeploymentView(store: Store, id: string): Promise<DeploymentView> {
  const deployment = await store.deployments.get(id)
  if (deployment === undefined)
    throw usageError(`no deployment matches "${id}"`, 'see the deployments at /deployments')
  const [release, previous] = await Promise.all([
    store.releases.get(deployment.releaseId),
    deployment.previousReleaseId === null
      ? undefined
      : store.releases.get(deployment.previousReleaseId),
  ])
  return {
    deployment,
    durationMs: durationOf(deployment),
    release: release ?? null,
    previous: previous ?? null,
    timeline: deployment.steps.map(timelineStep),
    rollback: rollbackOf(deployment),
    alerts: deployment.alerts ?? [],
  }
}

/** A deployment with its duration, for a list. */
export function deploymentItem(deployment: Deployment): DeploymentItem {
  return { deployment, durationMs: durationOf(deployment) }
}

function timelineStep(step: DeploymentStep): TimelineStep {
  const { steps, note } = canarySteps(step)
  return { step, durationMs: durationOf(step), canary: steps, note }
}

/**
 * The rollback a deployment is or holds. `shipgate rollback` records one with strategy
 * `rollback` (its release is the one returned to); a deploy that failed after touching the
 * target has a `rollback` step and returns to its previous release.
 */
function rollbackOf(deployment: Deployment): RollbackRecord | null {
  const step = deployment.steps.findLast((s) => s.name === 'rollback')
  const command = deployment.strategy === 'rollback'
  if (!command && step === undefined) return null
  return {
    kind: command ? 'command' : 'automatic',
    fromReleaseId: command ? deployment.previousReleaseId : deployment.releaseId,
    toReleaseId: command ? deployment.releaseId : deployment.previousReleaseId,
    status: step?.status ?? null,
    detail: step?.detail ?? '',
  }
}

/** Milliseconds from start to finish; `null` while running or when a time does not parse. */
function durationOf(span: {
  readonly startedAt: string
  readonly finishedAt: string | null
}): number | null {
  if (span.finishedAt === null) return null
  const ms = Date.parse(span.finishedAt) - Date.parse(span.startedAt)
  return Number.isNaN(ms) ? null : Math.max(0, ms)
}

/** The `limit` of a longer list when `found` (read with one extra) says more exist. */
export function moreLimit(found: number, limit: number): number | null {
  return found > limit && limit < DEPLOYS_MAX_LIMIT ? Math.min(limit * 2, DEPLOYS_MAX_LIMIT) : null
}
