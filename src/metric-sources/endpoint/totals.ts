/**
 * What one scrape says about a release: its counters summed over every series, and the
 * difference between two scrapes (with counter resets handled as Prometheus does). Pure.
 */
import type { ServiceMetrics } from '../../contracts/metrics.js'
import { SERIES } from '../names.js'
import type { Sample } from './exposition.js'
import { histogramQuantile, type Bucket } from './quantile.js'

/** Cumulative counters of the selected series at one scrape. */
export interface Totals {
  readonly requests: number
  readonly errors: number
  readonly durationSum: number
  readonly durationCount: number
  /** Cumulative bucket counts by upper bound (seconds), summed over series. */
  readonly buckets: ReadonlyMap<number, number>
  readonly costUsd: number
  readonly unpricedCalls: number
}

/** Zero of everything: a series not yet seen. */
export const NO_TOTALS: Totals = {
  requests: 0,
  errors: 0,
  durationSum: 0,
  durationCount: 0,
  buckets: new Map(),
  costUsd: 0,
  unpricedCalls: 0,
}

/** Sums the runtime's series among `samples` whose labels include `match`. */
export function totalsOf(
  samples: readonly Sample[],
  match: Readonly<Record<string, string>>,
): Totals {
  const sums = new Map<string, number>()
  const buckets = new Map<number, number>()
  const bucketName = `${SERIES.duration}_bucket`
  for (const sample of samples) {
    if (!Object.entries(match).every(([k, v]) => sample.labels[k] === v)) continue
    if (sample.name === bucketName) {
      const le = Number(sample.labels.le === '+Inf' ? Infinity : sample.labels.le)
      if (!Number.isNaN(le)) buckets.set(le, (buckets.get(le) ?? 0) + sample.value)
    } else sums.set(sample.name, (sums.get(sample.name) ?? 0) + sample.value)
  }
  const sum = (name: string): number => sums.get(name) ?? 0
  return {
    requests: sum(SERIES.requests),
    errors: sum(SERIES.errors),
    durationSum: sum(`${SERIES.duration}_sum`),
    durationCount: sum(`${SERIES.duration}_count`),
    buckets,
    costUsd: sum(SERIES.cost),
    unpricedCalls: sum(SERIES.unpriced),
  }
}

/**
 * What happened between two scrapes. When a counter went down the process restarted, and the
 * later scrape alone is what happened since (as Prometheus's `increase` treats a reset).
 */
export function difference(later: Totals, earlier: Totals): Totals {
  if (later.requests < earlier.requests || later.durationCount < earlier.durationCount) return later
  const buckets = new Map<number, number>()
  for (const [le, count] of later.buckets) buckets.set(le, count - (earlier.buckets.get(le) ?? 0))
  return {
    requests: later.requests - earlier.requests,
    errors: Math.max(0, later.errors - earlier.errors),
    durationSum: later.durationSum - earlier.durationSum,
    durationCount: later.durationCount - earlier.durationCount,
    buckets,
    costUsd: Math.max(0, later.costUsd - earlier.costUsd),
    unpricedCalls: Math.max(0, later.unpricedCalls - earlier.unpricedCalls),
  }
}

/** Adds the totals of several instances. */
export function addTotals(all: readonly Totals[]): Totals {
  return all.reduce((a, b) => {
    const buckets = new Map(a.buckets)
    for (const [le, count] of b.buckets) buckets.set(le, (buckets.get(le) ?? 0) + count)
    return {
      requests: a.requests + b.requests,
      errors: a.errors + b.errors,
      durationSum: a.durationSum + b.durationSum,
      durationCount: a.durationCount + b.durationCount,
      buckets,
      costUsd: a.costUsd + b.costUsd,
      unpricedCalls: a.unpricedCalls + b.unpricedCalls,
    }
  }, NO_TOTALS)
}

/**
 * The figures of `totals`. `elapsedMs` is the time they cover, for the cost per hour; `null`
 * (cumulative totals of unknown age) leaves it `null`.
 */
export function metricsOf(totals: Totals, elapsedMs: number | null): ServiceMetrics {
  const { requests, errors, costUsd } = totals
  const bucketList: Bucket[] = [...totals.buckets].map(([upperBound, count]) => ({
    upperBound,
    count,
  }))
  const p95 = histogramQuantile(0.95, bucketList)
  const priced = costUsd > 0 || totals.unpricedCalls === 0
  return {
    requests,
    errors,
    errorRate: requests > 0 ? errors / requests : null,
    latencyAvgMs:
      totals.durationCount > 0 ? (totals.durationSum / totals.durationCount) * 1000 : null,
    latencyP95Ms: p95 === null ? null : p95 * 1000,
    costPerRequestUsd: requests > 0 && priced ? costUsd / requests : null,
    costPerHourUsd:
      elapsedMs !== null && elapsedMs > 0 && priced ? costUsd / (elapsedMs / 3_600_000) : null,
  }
}
