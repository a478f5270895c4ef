/**
 * The rolling window behind the JSON metrics: request outcomes and LLM calls of the last
 * `windowMs`, kept in arrival order (cheap to append, cheap to drop from the front).
 */

/** One LLM call as the window keeps it. */
export interface WindowCall {
  readonly provider: string
  readonly model: string
  readonly durationMs: number
  readonly input: number
  readonly output: number
  /** USD, or `null` when the call's cost is unknown (no usage or no price). */
  readonly costUsd: number | null
  readonly failed: boolean
}

/** Append-only columns with a moving start; dropped rows are compacted away in batches. */
class Columns<Row> {
  private start = 0
  readonly times: number[] = []
  readonly rows: Row[] = []

  push(t: number, row: Row): void {
    this.times.push(t)
    this.rows.push(row)
  }

  /** Drops rows older than `oldest`; returns the index of the first row kept. */
  prune(oldest: number): number {
    while (this.start < this.times.length && this.times[this.start]! < oldest) this.start++
    if (this.start > 1024 && this.start * 2 > this.times.length) {
      this.times.splice(0, this.start)
      this.rows.splice(0, this.start)
      this.start = 0
    }
    return this.start
  }
}

/** One request as the window keeps it: its latency and whether it counts as an error. */
interface RequestRow {
  readonly latencyMs: number
  readonly failed: boolean
}

/** The raw rows of one window, for {@link summarize}. */
export interface WindowRows {
  readonly requests: readonly RequestRow[]
  readonly calls: readonly WindowCall[]
  /** Seconds the window actually covers: less than its length until the process is that old. */
  readonly coveredSeconds: number
}

/** Request outcomes and LLM calls over the last `windowMs` milliseconds. */
export class RollingWindow {
  private readonly requests = new Columns<RequestRow>()
  private readonly calls = new Columns<WindowCall>()

  constructor(
    readonly windowMs: number,
    private readonly startedAt: number,
  ) {}

  /** Records one unit of work (an HTTP request, or an LLM call made outside any request). */
  addRequest(t: number, latencyMs: number, failed: boolean): void {
    this.requests.push(t, { latencyMs, failed })
  }

  /** Records one LLM call. */
  addCall(t: number, call: WindowCall): void {
    this.calls.push(t, call)
  }

  /** The rows of the window ending at `now`, older ones dropped for good. */
  rows(now: number): WindowRows {
    const oldest = now - this.windowMs
    const r = this.requests.prune(oldest)
    const c = this.calls.prune(oldest)
    return {
      requests: this.requests.rows.slice(r),
      calls: this.calls.rows.slice(c),
      coveredSeconds: Math.min(this.windowMs, Math.max(0, now - this.startedAt)) / 1000,
    }
  }
}
