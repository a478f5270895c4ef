import { continuedFraction } from './continued-fraction.js'
import { STIRLING_MIN, logGamma, scaledLog1pmx, stirlingError } from './log-gamma.js'

/** ln(2π). */
const LOG_TWO_PI = 1.8378770664093453
/** Most terms the power series is given. */
const MAX_SERIES_TERMS = 100_000

/**
 * ln[x^a e^-x / Γ(a)]. For a >= 10 it is a·log1pmx(x/a - 1) + ln(a/2π)/2 - stirlingError(a)
 * (Temme's form), which avoids cancelling a ln x against ln Γ(a) when both are large.
 */
function logGammaPowerTerm(a: number, x: number): number {
  if (a < STIRLING_MIN) return a * Math.log(x) - x - logGamma(a)
  return scaledLog1pmx(a, x / a) + 0.5 * (Math.log(a) - LOG_TWO_PI) - stirlingError(a)
}

/** P(a, x) by its power series x^a e^-x / Γ(a + 1) · Σ x^n / ((a+1)...(a+n)); for x < a + 1. */
function lowerSeries(a: number, x: number): number {
  let term = 1
  let sum = 1
  for (let n = 1; n < MAX_SERIES_TERMS; n++) {
    term *= x / (a + n)
    sum += term
    if (term <= Number.EPSILON * sum) break
  }
  return (Math.exp(logGammaPowerTerm(a, x)) * sum) / a
}

/**
 * Q(a, x) by Legendre's continued fraction Γ(a, x) = x^a e^-x / (x + 1 - a - 1(1 - a)/(x + 3 - a
 * - 2(2 - a)/(x + 5 - a - ...))) (Abramowitz & Stegun 6.5.31), with the modified Lentz
 * algorithm; for x >= a + 1.
 */
function upperFraction(a: number, x: number): number {
  const fraction = continuedFraction(
    x + 1 - a,
    (n) => -n * (n - a),
    (n) => x + 2 * n + 1 - a,
  )
  return Math.exp(logGammaPowerTerm(a, x)) / fraction
}

/**
 * Upper regularized incomplete gamma Q(a, x) = Γ(a, x)/Γ(a) for a > 0, x >= 0: the continued
 * fraction for x >= a + 1 (where Q is the smaller tail and is computed directly, keeping its
 * relative precision down to the underflow limit), 1 - P by the power series otherwise.
 */
export function upperIncompleteGamma(a: number, x: number): number {
  if (Number.isNaN(a) || Number.isNaN(x) || a <= 0 || a === Infinity || x < 0) return Number.NaN
  if (x === 0) return 1
  if (x === Infinity) return 0
  if (x >= a + 1) return upperFraction(a, x)
  return 1 - lowerSeries(a, x)
}
