// The distribution functions the rest of the statistics module calls, so it names tails
// (cdf/sf) rather than algorithms. The numerics live in ./special/ (pure TypeScript, checked
// against the stdlib.io packages to 1e-10 relative in test/core/stats/special.test.ts).
import { incompleteBeta } from './special/incomplete-beta.js'
import { upperIncompleteGamma } from './special/incomplete-gamma.js'
import { normalUpperTail } from './special/normal.js'
import { inverseNormal } from './special/normal-quantile.js'
import { studentTCdf } from './special/student-t.js'
import { inverseStudentT } from './special/t-quantile.js'

/**
 * Degrees of freedom from which the t distribution is taken to be the normal: the two differ by
 * about x⁴/(4 df) relative, below 1e-13 out to |x| = 40, and the t formulas lose their precision
 * to rounding (df + x² = df) well before df = Infinity.
 */
const NORMAL_DF = 1e20

/** Standard normal P(Z <= x), with full relative precision in the lower tail. NaN gives NaN. */
export function normalCdf(x: number): number {
  return normalUpperTail(-x)
}

/** Standard normal P(Z >= x), with full relative precision in the upper tail (to ~1e-300). */
export function normalSf(x: number): number {
  return normalUpperTail(x)
}

/** Standard normal quantile: the x with P(Z <= x) = p; ±Infinity at 0 and 1, NaN outside [0, 1]. */
export function normalQuantile(p: number): number {
  return inverseNormal(p)
}

/**
 * Student t P(T <= x) with `df` > 0 (real) degrees of freedom; df >= 1e20 (including Infinity)
 * is the normal.
 * NaN for NaN arguments or df <= 0.
 */
export function tCdf(x: number, df: number): number {
  if (df >= NORMAL_DF) return normalCdf(x)
  return studentTCdf(x, df)
}

/** Student t P(T >= x), computed as cdf(-x) by symmetry so small upper tails keep their precision. */
export function tSf(x: number, df: number): number {
  return tCdf(-x, df)
}

/**
 * Student t quantile: the x with P(T <= x) = p for `df` > 0 (real); df >= 1e20 (including
 * Infinity) is the normal.
 * ±Infinity at p = 0 and 1; NaN for NaN arguments, p outside [0, 1] or df <= 0.
 */
export function tQuantile(p: number, df: number): number {
  if (df >= NORMAL_DF) return normalQuantile(p)
  return inverseStudentT(p, df)
}

/**
 * Chi-square P(X >= x) with `df` degrees of freedom: the upper regularized incomplete gamma
 * Q(df/2, x/2), evaluated directly so p-values near 1e-300 are not lost to 1 - cdf. 1 for x <= 0,
 * 0 for x = Infinity, NaN for NaN arguments or df <= 0 or df = Infinity.
 */
export function chiSquareSf(x: number, df: number): number {
  if (x <= 0) return 1
  return upperIncompleteGamma(df / 2, x / 2)
}

/**
 * Binomial P(X <= k) for `n` trials with success probability `p`: I_{1-p}(n - k, k + 1), the
 * upper side of the regularized incomplete beta I_p(k + 1, n - k). k is floored (after adding
 * 1e-7, so 2.9999999 counts as 3); 0 for k < 0, 1 for k >= n; NaN for NaN arguments, p outside
 * [0, 1], or n not a finite non-negative integer.
 */
export function binomialCdf(k: number, n: number, p: number): number {
  if (Number.isNaN(k) || Number.isNaN(p) || !Number.isInteger(n) || n < 0) return Number.NaN
  if (p < 0 || p > 1) return Number.NaN
  if (k < 0) return 0
  if (k >= n) return 1
  const successes = Math.floor(k + 1e-7)
  return incompleteBeta(successes + 1, n - successes, p, 1 - p).upper
}
