/** The alerts and labels of deploys and rollbacks, worded one way everywhere. */
import type { Deployment } from '../../contracts/deploy.js'
import type { PipelineEvent, PipelineEventType } from '../../contracts/notifier.js'
import type { CdContext } from '../project/index.js'
import { EVENT_SEVERITY } from '../alerts/index.js'

/** The event of `type` about `deployment`. */
export function event(
  cd: CdContext,
  type: PipelineEventType,
  summary: string,
  deployment: Deployment,
  now: () => Date,
): PipelineEvent {
  return {
    type,
    severity: EVENT_SEVERITY[type],
    summary,
    at: now().toISOString(),
    target: cd.target.name,
    releaseId: deployment.releaseId,
    deploymentId: deployment.id,
    details: {
      status: deployment.status,
      reason: deployment.reason,
      previousReleaseId: deployment.previousReleaseId,
    },
  }
}

export { releaseLabel as label } from '../../reporters/release.js'
