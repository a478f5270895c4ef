/**
 * A release's traffic over a window as counts (`TrafficWindow`), from the counter increases
 * either source measured: both sources read the same series and build the window here. Pure.
 */
import type { TrafficWindow } from '../contracts/metrics.js'

/** The increases of the runtime SDK's counters over a window. */
export interface CounterIncreases {
  readonly requests: number
  readonly errors: number
  /** Cumulative request-duration bucket counts by upper bound in seconds (`le`). */
  readonly buckets: ReadonlyMap<number, number>
  readonly costUsd: number
  readonly unpricedCalls: number
}

/**
 * The traffic window of `increases`: the histogram as ascending bounds ending in `Infinity` with
 * per-bucket counts (absent without a `+Inf` bucket: no histogram series), and the spend (absent
 * when calls were made and none of them was priced).
 */
export function trafficOf(increases: CounterIncreases): TrafficWindow {
  const priced = increases.costUsd > 0 || increases.unpricedCalls === 0
  return {
    requests: nonNegative(increases.requests),
    errors: nonNegative(increases.errors),
    latency: perBucket(increases.buckets),
    costUsd: priced ? nonNegative(increases.costUsd) : undefined,
  }
}

/** Cumulative buckets → ascending bounds and the count in each bucket alone. */
function perBucket(
  cumulative: ReadonlyMap<number, number>,
): { bounds: number[]; counts: number[] } | undefined {
  const bounds = [...cumulative.keys()].filter((le) => !Number.isNaN(le)).sort((a, b) => a - b)
  if (bounds.length === 0 || bounds[bounds.length - 1] !== Infinity) return undefined
  let below = 0
  const counts = bounds.map((le) => {
    // Buckets are scraped one series at a time; a later bucket can lag an earlier one.
    const total = Math.max(below, nonNegative(cumulative.get(le) ?? 0))
    const inBucket = total - below
    below = total
    return inBucket
  })
  return { bounds, counts }
}

function nonNegative(value: number): number {
  return Number.isFinite(value) && value > 0 ? value : 0
}
