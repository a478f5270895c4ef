import { continuedFraction } from './continued-fraction.js'

/** 1/√(2π). */
const INV_SQRT_TWO_PI = 0.3989422804014327
/** Below this |x| the central series is used, above it the continued fraction. */
const SERIES_LIMIT = 1.5
/** Beyond this |x| the upper tail underflows to 0. */
const UNDERFLOW_X = 40

/**
 * Standard normal density φ(x). x²/2 is split as h²/2 + (x - h)(x + h)/2 with h = x rounded to
 * 1/16, both parts exact or nearly so, so φ keeps its relative precision out to |x| = 38.
 */
export function normalPdf(x: number): number {
  const h = Math.round(x * 16) / 16
  return INV_SQRT_TWO_PI * Math.exp(-0.5 * h * h) * Math.exp(-0.5 * (x - h) * (x + h))
}

/**
 * Φ(x) - 1/2 for |x| < 1.5 by Marsaglia's series (Marsaglia 2004, "Evaluating the normal
 * distribution"): φ(x) · (x + x³/3 + x⁵/(3·5) + ...), all terms of one sign.
 */
export function normalCentral(x: number): number {
  const x2 = x * x
  let term = x
  let sum = x
  for (let k = 3; k < 400; k += 2) {
    term *= x2 / k
    sum += term
    if (Math.abs(term) <= Number.EPSILON * Math.abs(sum) * 0.5) break
  }
  return normalPdf(x) * sum
}

/**
 * P(Z >= x) for x >= 1.5 as φ(x) times Laplace's continued fraction for Mills' ratio,
 * 1/(x + 1/(x + 2/(x + 3/(x + ...)))) (Abramowitz & Stegun 26.2.14).
 */
function millsTail(x: number): number {
  const fraction = continuedFraction(
    x,
    (n) => n,
    () => x,
  )
  return normalPdf(x) / fraction
}

/**
 * Standard normal upper tail P(Z >= x) with full relative precision in both tails: Marsaglia's
 * series below |x| = 1.5, Laplace's continued fraction above; 0 beyond the underflow point.
 */
export function normalUpperTail(x: number): number {
  if (Number.isNaN(x)) return Number.NaN
  if (x >= UNDERFLOW_X) return 0
  if (x <= -UNDERFLOW_X) return 1
  if (Math.abs(x) < SERIES_LIMIT) return 0.5 - normalCentral(x)
  return x > 0 ? millsTail(x) : 1 - millsTail(-x)
}
