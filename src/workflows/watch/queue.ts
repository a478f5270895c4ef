import type { Clock } from '../../contracts/clock.js'

/**
 * Saves gathered into batches: a batch is handed on once no save came for `debounceMs`, and
 * never while the previous batch's work runs (saves meanwhile wait for it to end). Work runs one
 * at a time, in order.
 */
export class SaveQueue {
  private readonly pending = new Set<string>()
  private cancelTimer: (() => void) | undefined
  private running: Promise<void> | undefined
  private closed = false

  constructor(
    private readonly clock: Clock,
    private readonly debounceMs: number,
    private readonly onBatch: (files: readonly string[]) => Promise<void>,
  ) {}

  /** A saved file: the batch is handed on `debounceMs` after the last one. */
  add(path: string): void {
    if (this.closed) return
    this.pending.add(path)
    this.cancelTimer?.()
    this.cancelTimer = this.clock.setTimer(this.debounceMs, () => this.flush())
  }

  /** Runs `work` now, or after the work that is running. */
  start(work: () => Promise<void>): void {
    const previous = this.running ?? Promise.resolve()
    const next = previous.then(work).finally(() => {
      if (this.running !== next) return
      this.running = undefined
      this.flush()
    })
    this.running = next
  }

  /** Takes no more saves; resolves once the work that runs has ended. */
  async close(): Promise<void> {
    this.closed = true
    this.cancelTimer?.()
    this.pending.clear()
    await this.running
  }

  private flush(): void {
    this.cancelTimer = undefined
    if (this.closed || this.running !== undefined || this.pending.size === 0) return
    const files = [...this.pending]
    this.pending.clear()
    this.start(() => this.onBatch(files))
  }
}
