/**
 * A bounded cache of values derived from their key alone (a template's text, a schema's
 * canonical JSON): an entry can never go stale, so the only rule is the bound — past `limit`
 * entries the least recently used one is dropped. For module-level caches of pure derivations.
 */
export class DerivedCache<K, V> {
  private readonly entries = new Map<K, V>()

  constructor(private readonly limit: number) {}

  /** The value for `key`, derived by `make` on a miss (and remembered). */
  get(key: K, make: (key: K) => V): V {
    const found = this.entries.get(key)
    if (found !== undefined) {
      // Map keeps insertion order: re-inserting marks the entry as the most recently used.
      this.entries.delete(key)
      this.entries.set(key, found)
      return found
    }
    const value = make(key)
    this.entries.set(key, value)
    if (this.entries.size > this.limit) {
      this.entries.delete(this.entries.keys().next().value as K)
    }
    return value
  }

  /** How many entries are held. */
  get size(): number {
    return this.entries.size
  }
}
