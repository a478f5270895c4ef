/**
 * The variants this process has served, by user: a least-recently-used map with a fixed bound,
 * so an exposure is recorded once per user and variant while the user stays among the `max`
 * most recently served, and memory stays bounded however many users pass through. A user
 * evicted and served again is exposed again; the analysis counts users, not exposures.
 */

/** A bounded user → variant map; the least recently served user is forgotten first. */
export class Assignments {
  private readonly served = new Map<string, string>()

  /** @param max Users remembered (at least 1). */
  constructor(private readonly max: number) {}

  /** The variant last served to `user` in this process, if it is still remembered. */
  get(user: string): string | undefined {
    return this.served.get(user)
  }

  /**
   * Remembers that `user` was served `variant` and makes the user the most recent. Returns
   * true when that is news: the user was not remembered, or had another variant (a ramp moved
   * them), so an exposure is due.
   */
  serve(user: string, variant: string): boolean {
    const before = this.served.get(user)
    // Deleting and setting again moves the key to the end of the Map's insertion order.
    if (before !== undefined) this.served.delete(user)
    this.served.set(user, variant)
    if (this.served.size > this.max) {
      const oldest = this.served.keys().next()
      if (oldest.done !== true) this.served.delete(oldest.value)
    }
    return before !== variant
  }

  /** Users remembered now. */
  get size(): number {
    return this.served.size
  }
}
