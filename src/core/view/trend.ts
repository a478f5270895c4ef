/**
 * One run's point on a suite's trend charts: pass rate, judge score, cost per case and p95
 * latency, each with a 95% interval. Pass rate comes from the suite's statistics as they are;
 * the rest are computed here from the suite's cases, with the methods docs/view.md names.
 */
import type { RunInfo, SuiteResult } from '../../contracts/results.js'
import type { TrendEstimate, TrendPoint } from '../../contracts/view.js'
import { binomialCdf, tQuantile } from '../stats/distributions.js'
import { clusteredMean } from '../stats/intervals.js'
import { sampleMoments } from '../stats/moments.js'
import { quantileSorted } from '../stats/quantiles.js'

/** The quantile the latency chart shows. */
export const LATENCY_QUANTILE = 0.95

/** The trend point of `suite` in `run`. */
export function trendPoint(run: RunInfo, suite: SuiteResult): TrendPoint {
  const { stats } = suite
  const latencies = suite.cases
    .flatMap((c) => c.samples.map((s) => s.latencyMs))
    .filter((ms): ms is number => ms !== null)
    .sort((a, b) => a - b)
  return {
    runId: run.id,
    startedAt: run.startedAt,
    commit: run.git?.commit ?? null,
    branch: run.git?.branch ?? null,
    cases: stats.cases,
    samples: stats.samples,
    passRate: {
      value: stats.passRate.value,
      lower: stats.passRate.lower,
      upper: stats.passRate.upper,
    },
    judgeScore: judgeScore(suite),
    costPerCase: costPerCase(suite),
    latencyP95: quantileEstimate(latencies, LATENCY_QUANTILE),
  }
}

/**
 * Mean score (0–1) of the grades a judge made (grades carrying `judge`, undecided ones left
 * out), with the clustered, bounded Student t interval of the suite's other means: repeats of
 * one case are one cluster. `null` when no judge graded anything.
 */
export function judgeScore(suite: SuiteResult): TrendEstimate | null {
  const clusters = suite.cases
    .map((c) =>
      c.samples.flatMap((s) =>
        s.grades.filter((g) => g.judge !== undefined && g.error !== true).map((g) => g.score),
      ),
    )
    .filter((scores) => scores.length > 0)
  if (clusters.length === 0) return null
  const e = clusteredMean(clusters, { min: 0, max: 1 })
  return { value: e.value, lower: e.lower, upper: e.upper }
}

/**
 * Cost per case (the priced samples' cost of each case that ran, averaged over those cases) with
 * a Student t interval over the cases' costs, its lower end at 0 at least. `null` when no sample
 * had a price; one case gives [0, unbounded].
 */
export function costPerCase(suite: SuiteResult): TrendEstimate | null {
  if (suite.stats.costUsd.total === null) return null
  const costs = suite.cases
    .filter((c) => c.samples.length > 0)
    .map((c) => c.samples.reduce((sum, s) => sum + (s.costUsd ?? 0), 0))
  return meanInterval(costs, 0)
}

/**
 * The mean of `values` with a two-sided 95% Student t interval, its lower end no lower than
 * `floor`. Fewer than two values give [floor, unbounded]; no values give `null`.
 */
export function meanInterval(values: readonly number[], floor = -Infinity): TrendEstimate | null {
  if (values.length === 0) return null
  const { mean, variance } = sampleMoments(values)
  if (values.length < 2) return { value: mean, lower: Math.max(floor, mean), upper: null }
  const half = tQuantile(0.975, values.length - 1) * Math.sqrt(variance / values.length)
  return { value: mean, lower: Math.max(floor, mean - half), upper: mean + half }
}

/** The 1-based ranks of the order statistics that bound a quantile, `null` where none does. */
export interface QuantileRanks {
  readonly lower: number | null
  readonly upper: number | null
  /** P(lower order statistic ≤ the quantile ≤ upper one) for a continuous distribution. */
  readonly coverage: number
}

/**
 * Distribution-free ranks for a two-sided interval of the `q`-quantile from `n` independent
 * values: with B ~ Binomial(n, q) the number of values at or below the quantile, the lower rank
 * l is the largest with P(B ≤ l − 1) ≤ α/2 and the upper rank u the smallest with P(B ≥ u) ≤ α/2,
 * so each end misses with at most α/2 and the interval covers with at least 1 − α (conservative:
 * binomial steps make it more). An end no rank satisfies is `null`: too few values to bound it
 * (for q = 0.95 at 95%, an upper end needs n ≥ 72).
 */
export function quantileRanks(n: number, q: number, level = 0.95): QuantileRanks {
  const tail = (1 - level) / 2
  // P(B ≤ k) rises with k: the lower rank is one past the last k with P(B ≤ k) ≤ tail.
  const below = lastAtMost(n, (k) => binomialCdf(k, n, q) <= tail)
  const lower = below === null ? null : below + 1
  // P(B ≥ u) = 1 − P(B ≤ u − 1) falls with u: the first u ≥ 1 where it is ≤ tail.
  const above = lastAtMost(n, (k) => 1 - binomialCdf(k, n, q) > tail)
  const upper = above === null ? 1 : above + 2 <= n ? above + 2 : null
  const missLow = lower === null ? 0 : binomialCdf(lower - 1, n, q)
  const missHigh = upper === null ? 0 : 1 - binomialCdf(upper - 1, n, q)
  return { lower, upper, coverage: 1 - missLow - missHigh }
}

/** The largest k in [0, n − 1] where `holds` (true up to some k, false after), else `null`. */
function lastAtMost(n: number, holds: (k: number) => boolean): number | null {
  let lo = 0
  let hi = n - 1
  if (n < 1 || !holds(0)) return null
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2)
    if (holds(mid)) lo = mid
    else hi = mid - 1
  }
  return lo
}

/**
 * The `q`-quantile of `sorted` (ascending; interpolated like the suite's statistics) with the
 * distribution-free interval of {@link quantileRanks}. A missing lower end is 0 (latencies are
 * not negative); a missing upper end is `null`, unbounded. `null` for no values.
 */
export function quantileEstimate(sorted: readonly number[], q: number): TrendEstimate | null {
  const n = sorted.length
  if (n === 0) return null
  const value = quantileSorted(sorted, q) as number
  const ranks = quantileRanks(n, q)
  return {
    value,
    lower: ranks.lower === null ? 0 : (sorted[ranks.lower - 1] as number),
    upper: ranks.upper === null ? null : (sorted[ranks.upper - 1] as number),
  }
}
