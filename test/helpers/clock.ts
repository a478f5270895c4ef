import type { Clock } from '../../src/contracts/clock.js'

interface Timer {
  at: number
  seq: number
  resolve: () => void
}

/**
 * A virtual clock for deterministic tests: `sleep` registers a timer on virtual time, and
 * `run(promise)` advances time to the next timer whenever the program is idle, until the promise
 * settles. Nothing real is waited for.
 */
export class FakeClock implements Clock {
  private time = 0
  private seq = 0
  private timers: Timer[] = []

  now(): number {
    return this.time
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted === true) return resolve()
      const timer: Timer = { at: this.time + ms, seq: this.seq++, resolve }
      this.timers.push(timer)
      signal?.addEventListener(
        'abort',
        () => {
          this.timers = this.timers.filter((t) => t !== timer)
          resolve()
        },
        { once: true },
      )
    })
  }

  setTimer(ms: number, callback: () => void): () => void {
    const timer: Timer = { at: this.time + ms, seq: this.seq++, resolve: callback }
    this.timers.push(timer)
    return () => {
      this.timers = this.timers.filter((t) => t !== timer)
    }
  }

  /** Pending timers. */
  get pending(): number {
    return this.timers.length
  }

  /** Drives virtual time until `promise` settles. */
  async run<T>(promise: Promise<T>): Promise<T> {
    let settled = false
    const watched = promise.finally(() => (settled = true))
    // The caller handles the outcome; do not let a rejection count as unhandled meanwhile.
    watched.catch(() => undefined)
    for (let guard = 0; guard < 1_000_000; guard++) {
      await idle()
      if (settled) return watched
      const next = this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq).shift()
      if (next === undefined) {
        await idle()
        if (settled) return watched
        throw new Error('deadlock: the promise is pending and no timer is set')
      }
      this.time = Math.max(this.time, next.at)
      next.resolve()
    }
    throw new Error('FakeClock.run: too many steps')
  }
}

/** Lets every pending microtask and I/O callback run. */
function idle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}
