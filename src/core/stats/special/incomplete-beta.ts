import { continuedFraction } from './continued-fraction.js'
import { STIRLING_MIN, logBeta, logGamma, scaledLog1pmx, stirlingError } from './log-gamma.js'

/** ln(2π)/2. */
const HALF_LOG_TWO_PI = 0.9189385332046728

/** Both tails of a regularized incomplete beta: lower = I_x(a, b), upper = 1 - I_x(a, b). */
export interface BetaTails {
  /** I_x(a, b), to full relative precision even when tiny. */
  readonly lower: number
  /** 1 - I_x(a, b), to full relative precision even when tiny. */
  readonly upper: number
}

/**
 * ln[x^a y^b / B(a, b)] with y = 1 - x given separately (so neither loses precision near 0).
 * When a or b is at least 10, x^a y^b is measured against its value at x0 = a/(a+b)
 * and the Γ ratios are Stirling-expanded (DiDonato & Morris 1992, Algorithm 708, "brcomp"):
 * a ln(x/x0) + b ln(y/y0) = a·log1pmx(x/x0 - 1) + b·log1pmx(y/y0 - 1), which has no large terms
 * to cancel.
 */
export function logBetaPowerTerm(a: number, b: number, x: number, y: number): number {
  if (a < STIRLING_MIN && b < STIRLING_MIN) {
    return a * Math.log(x) + b * Math.log(y) + logGamma(a + b) - logGamma(a) - logGamma(b)
  }
  const c = a + b
  const exponent = scaledLog1pmx(a, (x * c) / a) + scaledLog1pmx(b, (y * c) / b)
  if (a >= STIRLING_MIN && b >= STIRLING_MIN) {
    const scale = 0.5 * (Math.log(a) + Math.log(b) - Math.log(c)) - HALF_LOG_TWO_PI
    return exponent + scale + stirlingError(c) - stirlingError(a) - stirlingError(b)
  }
  const big = Math.max(a, b)
  const small = Math.min(a, b)
  const smallTerms = small * Math.log(small) - small - logGamma(small)
  const bigTerms = -0.5 * Math.log1p(small / big) + stirlingError(c) - stirlingError(big)
  return exponent + smallTerms + bigTerms
}

/**
 * The partial numerators d_n of the continued fraction for I_x(a, b) (Abramowitz & Stegun
 * 26.5.8): d_2m = m(b - m)x/((a + 2m - 1)(a + 2m)), d_2m+1 = -(a + m)(a + b + m)x/((a + 2m)(a + 2m + 1)).
 */
function partialNumerator(a: number, b: number, x: number, n: number): number {
  const m = Math.floor(n / 2)
  if (n % 2 === 0) return (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m))
  return (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1))
}

/**
 * 1 + d_2m+1. For x >= 1/2 it is written in y = 1 - x, [a(2m + 1 - b) + m(3m + 2 - b) +
 * (a + m)(a + b + m)y] / ((a + 2m)(a + 2m + 1)), because the plain sum cancels to about b/a when
 * x is near 1 and a >> b (a t distribution with huge df), losing digits in proportion to a.
 */
function onePlusOdd(a: number, b: number, x: number, y: number, m: number): number {
  const scale = (a + 2 * m) * (a + 2 * m + 1)
  if (x < 0.5) return 1 - ((a + m) * (a + b + m) * x) / scale
  const exact = a * (2 * m + 1 - b) + m * (3 * m + 2 - b)
  return (exact + (a + m) * (a + b + m) * y) / scale
}

/**
 * I_x(a, b) by its continued fraction 1/(1 + d1/(1 + d2/(1 + ...))) (Abramowitz & Stegun
 * 26.5.8), valid for x < (a + 1)/(a + b + 2) where it converges fast. Evaluated through its even
 * contraction, 1 + d1/(1 + H), H = d2 - d2d3/(1 + d3 + d4 - d4d5/(1 + d5 + d6 - ...)), by the
 * modified Lentz algorithm, with each 1 + d_odd formed without cancellation (`onePlusOdd`); the
 * prefactor x^a y^b / (a B(a, b)) comes from its logarithm.
 */
function betaFraction(a: number, b: number, x: number, y: number): number {
  const d = (n: number): number => partialNumerator(a, b, x, n)
  const h = continuedFraction(
    d(2),
    (n) => -d(2 * n) * d(2 * n + 1),
    (n) => onePlusOdd(a, b, x, y, n) + d(2 * n + 2),
  )
  const fraction = (onePlusOdd(a, b, x, y, 0) + h) / (1 + h)
  return betaPowerTerm(a, b, x, y) / (a * fraction)
}

/**
 * x^a y^b / B(a, b). For small a and b it uses Math.pow, which is accurate to the last digit,
 * where exp(a ln x) would carry the rounding of a ln x (~ 6e-14 relative when a ln x is -500).
 */
function betaPowerTerm(a: number, b: number, x: number, y: number): number {
  if (a < STIRLING_MIN && b < STIRLING_MIN) {
    const direct = (Math.pow(x, a) * Math.pow(y, b)) / Math.exp(logBeta(a, b))
    if (direct > 1e-305 && direct < 1e290) return direct
  }
  return Math.exp(logBetaPowerTerm(a, b, x, y))
}

/**
 * Regularized incomplete beta I_x(a, b) and its complement for a, b > 0 and x in [0, 1], with
 * y = 1 - x passed in by the caller (computed without rounding where the caller can). Uses the
 * continued fraction on whichever side of (a + 1)/(a + b + 2) makes it converge, the symmetry
 * I_x(a, b) = 1 - I_y(b, a) otherwise, so the smaller tail is always computed directly.
 */
export function incompleteBeta(a: number, b: number, x: number, y: number): BetaTails {
  if (Number.isNaN(a + b + x + y) || a <= 0 || b <= 0 || x < 0 || y < 0) {
    return { lower: Number.NaN, upper: Number.NaN }
  }
  if (x === 0) return { lower: 0, upper: 1 }
  if (y === 0) return { lower: 1, upper: 0 }
  // x > (a + 1)/(a + b + 2), tested on the smaller of x and y: with a = 5e16, a + 1 and
  // a + b + 2 round to the same double and the test on x would never swap.
  const swap = x > 0.5 ? y * (a + b + 2) < b + 1 : x * (a + b + 2) > a + 1
  if (swap) {
    const upper = betaFraction(b, a, y, x)
    return { lower: 1 - upper, upper }
  }
  const lower = betaFraction(a, b, x, y)
  return { lower, upper: 1 - lower }
}
