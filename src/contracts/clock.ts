/**
 * Time as a dependency: core code never reads the wall clock or sets timers itself, so tests
 * can drive it with a fake clock.
 */
export interface Clock {
  /** Milliseconds since the epoch (or any fixed origin; only differences matter to callers). */
  now(): number
  /**
   * Resolves after `ms` milliseconds, or as soon as `signal` aborts (it resolves then too, never
   * rejects), so a cancelled wait needs no try/catch.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
  /** Calls `callback` after `ms` milliseconds; the returned function cancels it. */
  setTimer(ms: number, callback: () => void): () => void
}

/** A source of uniform random numbers in [0, 1). */
export type Random = () => number
