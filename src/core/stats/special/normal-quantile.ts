import { normalCentral, normalPdf, normalUpperTail } from './normal.js'

/** |p - 1/2| up to which the quantile is solved against Φ - 1/2 rather than a tail. */
const CENTRAL_LIMIT = 0.425
/** Halley steps at most; three suffice from the starting estimate. */
const MAX_STEPS = 8

/**
 * Starting estimate of the x > 0 with P(Z >= x) = q, q <= 1/2: Abramowitz & Stegun 26.2.23
 * (Hastings' rational approximation, absolute error below 4.5e-4).
 */
function tailEstimate(q: number): number {
  const t = Math.sqrt(-2 * Math.log(q))
  const numerator = 2.515517 + t * (0.802853 + t * 0.010328)
  const denominator = 1 + t * (1.432788 + t * (0.189269 + t * 0.001308))
  return Math.max(t - numerator / denominator, 0)
}

/**
 * Refines x so that `f(x) = target` by Halley's method, where f' = sign·φ and f'' = -sign·x·φ
 * (sign +1 for Φ - 1/2, -1 for the upper tail). Cubic convergence from a 4.5e-4 start.
 */
function halley(x0: number, target: number, f: (x: number) => number, sign: number): number {
  let x = x0
  for (let i = 0; i < MAX_STEPS; i++) {
    const u = (sign * (f(x) - target)) / normalPdf(x)
    const step = u / (1 + (x * u) / 2)
    x -= step
    if (Math.abs(step) <= Number.EPSILON * Math.abs(x) || !Number.isFinite(step)) break
  }
  return x
}

/**
 * Standard normal quantile Φ⁻¹(p): Hastings' estimate polished by Halley's method against
 * `normalCentral` (for |p - 1/2| <= 0.425, where p - 1/2 is exact) or `normalUpperTail` (in the
 * tails, on min(p, 1 - p), also exact), so the result has close to full relative precision,
 * including tiny |x| near p = 1/2 and p down to the subnormal range.
 */
export function inverseNormal(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN
  if (p === 0) return -Infinity
  if (p === 1) return Infinity
  const centered = p - 0.5
  if (Math.abs(centered) <= CENTRAL_LIMIT) {
    const start = Math.sign(centered) * tailEstimate(Math.min(p, 1 - p))
    return halley(start, centered, normalCentral, 1)
  }
  const q = Math.min(p, 1 - p)
  const x = halley(tailEstimate(q), q, normalUpperTail, -1)
  return centered < 0 ? -x : x
}
