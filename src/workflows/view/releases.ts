/**
 * The releases pages: release manifests newest first with where each was deployed, and one
 * release's manifest with its deployments. The repository has no cursor for releases, so the
 * list grows by `limit` (a "more" link) instead of paging.
 */
import type { Deployment } from '../../contracts/deploy.js'
import type { Store } from '../../contracts/store.js'
import {
  DEPLOYS_MAX_LIMIT,
  DEPLOYS_PER_PAGE,
  type ReleaseItem,
  type ReleasesView,
  type ReleaseView,
  type TargetState,
} from '../../contracts/view.js'
import { usageError } from '../../errors.js'
import { deploymentItem, moreLimit } from './deployments.js'
import { intParam, type Query } from './query.js'

/** How many of a release's deployments are read: the latest per target come from these. */
const DEPLOYMENTS_READ = 100

/** Loads the releases list. A bad `limit` is a usage error. */
export async function loadReleasesView(store: Store, query: Query): Promise<ReleasesView> {
  const limit = intParam(query, 'limit', DEPLOYS_PER_PAGE, 1, DEPLOYS_MAX_LIMIT)
  const found = await store.releases.list({ limit: limit + 1 })
  const manifests = found.slice(0, limit)
  const releases = await Promise.all(
    manifests.map(async (manifest): Promise<ReleaseItem> => ({
      manifest,
      targets: latestPerTarget(
        await store.deployments.list({ releaseId: manifest.id, limit: DEPLOYMENTS_READ }),
      ),
    })),
  )
  return { releases, limit, more: moreLimit(found.length, limit) }
}

/** Loads one release by id, id prefix, name or `latest`; an unknown one is a usage error (404). */
export async function loadReleaseView(store: Store, ref: string): Promise<ReleaseView> {
  const id = await store.releases.resolveId(ref)
  const manifest = id === undefined ? undefined : await store.releases.get(id)
  if (manifest === undefined)
    throw usageError(`no release matches "${ref}"`, 'see the releases at /releases')
  const found = await store.deployments.list({
    releaseId: manifest.id,
    limit: DEPLOYMENTS_READ + 1,
  })
  return {
    manifest,
    deployments: found.slice(0, DEPLOYMENTS_READ).map(deploymentItem),
    moreDeployments: found.length > DEPLOYMENTS_READ,
  }
}

/** The first (newest) deployment per target of a newest-first list. */
export function latestPerTarget(deployments: readonly Deployment[]): TargetState[] {
  const seen = new Map<string, TargetState>()
  for (const d of deployments) {
    if (!seen.has(d.target))
      seen.set(d.target, {
        target: d.target,
        deploymentId: d.id,
        status: d.status,
        startedAt: d.startedAt,
      })
  }
  return [...seen.values()]
}
