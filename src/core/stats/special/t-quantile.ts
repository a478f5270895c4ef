import { inverseNormal } from './normal-quantile.js'
import { logBeta } from './log-gamma.js'
import { tParts } from './student-t.js'

/** |p - 1/2| below which the quantile is solved against the central part. */
const CENTRAL_LIMIT = 0.25
/** Newton steps at most. */
const MAX_STEPS = 200
/** ln of the largest double: a quantile past it is ±Infinity. */
const LOG_MAX = Math.log(Number.MAX_VALUE)

/**
 * Starting estimate of the t quantile for upper tail q: the larger of the Cornish-Fisher
 * expansion about the normal quantile (Hill 1970) and the power-law tail q ≈ df^(df/2 - 1)
 * x^-df / B(df/2, 1/2), returned as ln x.
 */
function logTailEstimate(q: number, df: number): number {
  const z = -inverseNormal(q)
  const z2 = z * z
  const cornishFisher =
    z + (z * (z2 + 1)) / (4 * df) + (z * (5 * z2 * z2 + 16 * z2 + 3)) / (96 * df * df)
  const logPower = 0.5 * Math.log(df) - (Math.log(df) + logBeta(df / 2, 0.5) + Math.log(q)) / df
  return Math.min(Math.max(Math.log(Math.max(cornishFisher, 1e-300)), logPower), LOG_MAX)
}

/** The bisection point of a bracket on a log scale, [0, hi] stepping down by 16. */
function geometricMidpoint(lo: number, hi: number): number {
  if (lo === 0) return hi / 16
  const ratio = hi / lo
  return Number.isFinite(ratio)
    ? lo * Math.sqrt(ratio)
    : Math.exp((Math.log(lo) + Math.log(hi)) / 2)
}

/**
 * The x > 0 with P(T >= x) = q: Newton's method in u = ln x on h(u) = ln P(T >= e^u) - ln q,
 * which is concave and decreasing (so Newton converges monotonically after one step). Steps are
 * applied as x·e^step so the result keeps full relative precision even when ln x is large, and a
 * geometric bisection bracket guards against overshoot and underflow.
 */
function solveTail(q: number, df: number): number {
  if (tParts(Number.MAX_VALUE, df).tail > q) return Infinity
  let lo = 0
  let hi = Number.MAX_VALUE
  let x = Math.exp(logTailEstimate(q, df))
  for (let i = 0; i < MAX_STEPS; i++) {
    const parts = tParts(x, df)
    // ln(tail/q), not ln tail - ln q: the difference of two logs near -600 carries 1e-13 of noise.
    const h = Math.log(parts.tail / q)
    if (h > 0) lo = x
    else hi = x
    const step = h * Math.exp(Math.log(parts.tail) - parts.logXDensity)
    const next = x * Math.exp(step)
    if (Math.abs(step) <= 2 * Number.EPSILON) return next
    x = Number.isFinite(h) && next > lo && next < hi ? next : geometricMidpoint(lo, hi)
  }
  return x
}

/**
 * The x > 0 with P(0 <= T <= x) = c < 1/4: Newton's method from x = 0 on the central part,
 * which is concave in x, so the iterates rise monotonically to the root.
 */
function solveCentral(c: number, df: number): number {
  let x = c * Math.exp(0.5 * Math.log(df) + logBeta(df / 2, 0.5))
  for (let i = 0; i < MAX_STEPS; i++) {
    const parts = tParts(x, df)
    const step = (c - parts.central) / Math.exp(parts.logXDensity - Math.log(x))
    x += step
    if (!(Math.abs(step) > Number.EPSILON * x)) break
  }
  return x
}

/**
 * Student t quantile: the x with P(T <= x) = p for df > 0 (real). Solved by safeguarded Newton
 * iteration on the accurate `tParts` (the approach of Hill 1970, "Student's t-quantiles", with
 * the normal-expansion start, refined to full precision): against the central part when
 * |p - 1/2| < 1/4, where p - 1/2 is exact, against the smaller tail otherwise.
 */
export function inverseStudentT(p: number, df: number): number {
  if (Number.isNaN(p) || Number.isNaN(df) || df <= 0 || p < 0 || p > 1) return Number.NaN
  if (p === 0) return -Infinity
  if (p === 1) return Infinity
  const centered = p - 0.5
  if (centered === 0) return 0
  const x =
    Math.abs(centered) < CENTRAL_LIMIT
      ? solveCentral(Math.abs(centered), df)
      : solveTail(Math.min(p, 1 - p), df)
  return centered < 0 ? -x : x
}
