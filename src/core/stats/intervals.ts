import type { Estimate } from '../../contracts/results.js'
import { tQuantile } from './distributions.js'
import { pairedDifferences, sampleMoments } from './moments.js'
import type { TEstimate } from './types.js'
import { checkOpenUnit, checkSample } from './validate.js'

/** The standard normal quantile for a two-sided 95% interval. */
export const Z95 = 1.959963984540054

/**
 * Wilson score interval for a proportion: `successes` out of `n` independent trials.
 * Well-behaved near 0 and 1, unlike the normal (Wald) interval. `n = 0` gives [0, 1].
 */
export function wilson(successes: number, n: number): Estimate {
  if (n === 0) return { value: 0, lower: 0, upper: 1, level: 0.95 }
  return wilsonAt(successes / n, n)
}

/** Wilson interval for an observed rate `p` at a (possibly fractional) sample size `n`. */
function wilsonAt(p: number, n: number): Estimate {
  const z2 = Z95 * Z95
  const denom = 1 + z2 / n
  const centre = (p + z2 / (2 * n)) / denom
  const half = (Z95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom
  return {
    value: p,
    lower: Math.max(0, centre - half),
    upper: Math.min(1, centre + half),
    level: 0.95,
  }
}

/** Mean and clustered standard error of values grouped in clusters (see {@link clusteredMean}). */
function clusteredMoments(clusters: readonly (readonly number[])[]): {
  mean: number
  se: number
  n: number
  k: number
} {
  let n = 0
  let total = 0
  for (const cluster of clusters) {
    n += cluster.length
    for (const v of cluster) total += v
  }
  const mean = n === 0 ? 0 : total / n
  let squares = 0
  let k = 0
  for (const cluster of clusters) {
    if (cluster.length === 0) continue
    k += 1
    let deviation = 0
    for (const v of cluster) deviation += v - mean
    squares += deviation * deviation
  }
  // Small-sample correction k/(k-1), as in the usual cluster-robust estimator.
  const se = k < 2 ? NaN : Math.sqrt((squares * k) / (k - 1)) / n
  return { mean, se, n, k }
}

/**
 * Mean with a 95% interval whose standard error is clustered: observations of one cluster (the
 * repeats of one case) are not independent, so their deviations are summed within the cluster
 * before squaring (Miller 2024, "Adding Error Bars to Evals", eq. 4). With one observation per
 * cluster this is the usual standard error. Fewer than two clusters give the whole `bounds` as
 * the interval: nothing can be said.
 *
 * With finite `bounds` (a score on a known scale) the interval is a Student t interval whose
 * variance pools the sample's with one pseudo-observation at the largest variance the scale
 * allows, ((max - min) / 2)²: a sample with no spread over few cases (three judge scores of
 * 0.90) still gets an interval as wide as the few cases warrant, never a point, and the pseudo-
 * observation's weight fades as 1/k over k cases. Clipped to `bounds`. Its coverage at small n
 * is measured in test/core/stats/coverage.test.ts (docs/statistics.md).
 */
export function clusteredMean(
  clusters: readonly (readonly number[])[],
  bounds: { min: number; max: number } = { min: -Infinity, max: Infinity },
): Estimate {
  const { mean, se, n, k } = clusteredMoments(clusters)
  if (n === 0 || Number.isNaN(se))
    return { value: mean, lower: bounds.min, upper: bounds.max, level: 0.95 }
  if (Number.isFinite(bounds.min) && Number.isFinite(bounds.max)) {
    return boundedInterval(mean, se * se * k, k, bounds)
  }
  return {
    value: mean,
    lower: Math.max(bounds.min, mean - Z95 * se),
    upper: Math.min(bounds.max, mean + Z95 * se),
    level: 0.95,
  }
}

/**
 * Pass rate of samples grouped by case, with its 95% interval. When every case ran once this is
 * the Wilson interval. When cases repeat, samples of one case are correlated, so the interval is
 * Wilson's at the effective sample size n / deff (Kish), where the design effect deff compares
 * the clustered variance with the independent one. With a rate of 0 or 1 the design effect
 * cannot be estimated, and the interval falls back to one observation per case, the
 * conservative end.
 */
export function passRateEstimate(clusters: readonly (readonly boolean[])[]): Estimate {
  const values = clusters.map((c) => c.map((pass) => (pass ? 1 : 0)))
  const { mean: p, se, n, k } = clusteredMoments(values)
  if (k === n || n === 0) return wilson(Math.round(p * n), n)
  if (p === 0 || p === 1) return { ...wilsonAt(p, k), value: p }
  const deff = (se * se) / ((p * (1 - p)) / n)
  const effective = Math.min(n, Math.max(k, n / deff))
  return { ...wilsonAt(p, effective), value: p }
}

/**
 * Mean of the paired differences a[i] - b[i] with a two-sided Student t interval at `level`
 * (as `scipy.stats.ttest_rel(a, b).confidence_interval(level)`). Use it to compare a candidate
 * with a baseline scored on the same cases. One pair gives the interval (-Infinity, Infinity)
 * with `se` NaN and `df` 0: one difference says nothing about its spread. Equal differences
 * give `se` 0 and the interval [value, value].
 */
export function pairedDifference(
  a: readonly number[],
  b: readonly number[],
  level = 0.95,
): TEstimate & { readonly n: number } {
  checkSample('pairedDifference: a', a, 1)
  checkSample('pairedDifference: b', b, 1)
  checkOpenUnit('pairedDifference: level', level)
  const diffs = pairedDifferences('pairedDifference', a, b)
  const n = diffs.length
  const { mean, variance } = sampleMoments(diffs)
  if (n < 2) return { value: mean, lower: -Infinity, upper: Infinity, level, se: NaN, df: 0, n }
  const se = Math.sqrt(variance / n)
  const half = tQuantile((1 + level) / 2, n - 1) * se
  return { value: mean, lower: mean - half, upper: mean + half, level, se, df: n - 1, n }
}

/**
 * A t interval for a mean of `k` units on a bounded scale, the units' `variance` pooled with one
 * pseudo-observation at the scale's largest variance (df k), clipped to `bounds`.
 */
function boundedInterval(
  mean: number,
  variance: number,
  k: number,
  bounds: { min: number; max: number },
): Estimate {
  const widest = ((bounds.max - bounds.min) / 2) ** 2
  const pooled = ((k - 1) * variance + widest) / k
  const half = tQuantile(0.975, k) * Math.sqrt(pooled / k)
  return {
    value: mean,
    lower: Math.max(bounds.min, mean - half),
    upper: Math.min(bounds.max, mean + half),
    level: 0.95,
  }
}

/**
 * Mean of paired differences a[i] - b[i] of values on a bounded scale (each in
 * [min, max]), with the bounded interval of {@link clusteredMean}: inside
 * [min - max, max - min] and never a point. No pair gives that whole range.
 */
export function boundedPairedDifference(
  a: readonly number[],
  b: readonly number[],
  bounds: { min: number; max: number },
): Estimate {
  const diffs = pairedDifferences('boundedPairedDifference', a, b)
  const range = bounds.max - bounds.min
  return clusteredMean(
    diffs.map((d) => [d]),
    { min: -range, max: range },
  )
}
