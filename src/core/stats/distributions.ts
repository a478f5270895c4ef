// Thin typed wrappers over the @stdlib distribution functions, so the rest of the module names
// tails (cdf/sf) rather than library calls, and a library swap touches one file.
import binomialCdfImpl from '@stdlib/stats-base-dists-binomial-cdf'
import normalCdfImpl from '@stdlib/stats-base-dists-normal-cdf'
import normalQuantileImpl from '@stdlib/stats-base-dists-normal-quantile'
import tCdfImpl from '@stdlib/stats-base-dists-t-cdf'
import tQuantileImpl from '@stdlib/stats-base-dists-t-quantile'
import gammainc from '@stdlib/math-base-special-gammainc'

/** Standard normal P(Z <= x). */
export function normalCdf(x: number): number {
  return normalCdfImpl(x, 0, 1)
}

/** Standard normal P(Z >= x), computed as cdf(-x) so small upper tails keep their precision. */
export function normalSf(x: number): number {
  return normalCdfImpl(-x, 0, 1)
}

/** Standard normal quantile: the x with P(Z <= x) = p. */
export function normalQuantile(p: number): number {
  return normalQuantileImpl(p, 0, 1)
}

/** Student t P(T <= x) with `df` degrees of freedom. */
export function tCdf(x: number, df: number): number {
  return tCdfImpl(x, df)
}

/** Student t P(T >= x), computed as cdf(-x) by symmetry. */
export function tSf(x: number, df: number): number {
  return tCdfImpl(-x, df)
}

/** Student t quantile: the x with P(T <= x) = p. */
export function tQuantile(p: number, df: number): number {
  return tQuantileImpl(p, df)
}

/**
 * Chi-square P(X >= x) with `df` degrees of freedom: the upper regularized incomplete gamma
 * Q(df/2, x/2), evaluated directly so p-values near 1e-300 are not lost to 1 - cdf.
 */
export function chiSquareSf(x: number, df: number): number {
  if (x <= 0) return 1
  return gammainc(x / 2, df / 2, true, true)
}

/** Binomial P(X <= k) for `n` trials with success probability `p`. */
export function binomialCdf(k: number, n: number, p: number): number {
  return binomialCdfImpl(k, n, p)
}
