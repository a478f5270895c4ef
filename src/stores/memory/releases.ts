import type { ReleaseManifest } from '../../contracts/release.js'
import type { ReleaseQuery, ReleaseRepository } from '../../contracts/store.js'

/** Release manifests in process memory. */
export class MemoryReleaseRepository implements ReleaseRepository {
  private readonly releases = new Map<string, ReleaseManifest>()

  save(manifest: ReleaseManifest): Promise<'created' | 'exists'> {
    if (this.releases.has(manifest.id)) return Promise.resolve('exists')
    this.releases.set(manifest.id, structuredClone(manifest))
    return Promise.resolve('created')
  }

  get(id: string): Promise<ReleaseManifest | undefined> {
    const manifest = this.releases.get(id)
    return Promise.resolve(manifest === undefined ? undefined : structuredClone(manifest))
  }

  resolveId(ref: string): Promise<string | undefined> {
    const newest = this.newestFirst()
    if (ref === 'latest') return Promise.resolve(newest[0]?.id)
    if (this.releases.has(ref)) return Promise.resolve(ref)
    const named = newest.find((m) => m.name === ref)
    if (named !== undefined) return Promise.resolve(named.id)
    const matches = newest.filter((m) => m.id.startsWith(ref))
    return Promise.resolve(matches.length === 1 ? matches[0]?.id : undefined)
  }

  list(query: ReleaseQuery = {}): Promise<ReleaseManifest[]> {
    return Promise.resolve(structuredClone(this.newestFirst().slice(0, query.limit ?? 50)))
  }

  private newestFirst(): ReleaseManifest[] {
    return [...this.releases.values()].sort((a, b) =>
      a.createdAt === b.createdAt
        ? b.id.localeCompare(a.id)
        : b.createdAt.localeCompare(a.createdAt),
    )
  }
}
