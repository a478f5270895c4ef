/**
 * Results documents of ended runs, kept between requests: an ended run never changes, and
 * rebuilding a 2,000-case run's document (its samples read and parsed, its statistics) costs
 * far more than rendering a page of it. A running run is read afresh every time.
 */
import type { ResultsDocument } from '../../contracts/results.js'
import type { Store } from '../../contracts/store.js'
import { loadRunResults } from '../results/index.js'

/** How many documents stay: the last runs looked at, compared or charted. */
const KEEP = 64

/** A least-recently-used cache of ended runs' results documents. */
export class ResultsCache {
  private readonly docs = new Map<string, Promise<ResultsDocument>>()

  constructor(private readonly store: Store) {}

  /** The results document of the run `ref` names (id, unique prefix or `latest`). */
  async get(ref: string): Promise<ResultsDocument> {
    const cached = this.docs.get(ref)
    if (cached !== undefined) {
      // Most recently used last: Map keeps insertion order.
      this.docs.delete(ref)
      this.docs.set(ref, cached)
      return cached
    }
    const loading = loadRunResults(this.store, ref)
    const doc = await loading
    if (doc.run.status !== 'running' && doc.run.id === ref) {
      this.docs.set(ref, loading)
      if (this.docs.size > KEEP) this.docs.delete(this.docs.keys().next().value ?? '')
    }
    return doc
  }
}
