// Ratio metrics measured per user (cost per request, tokens per conversation): the ratio of two
// per-user sums, Σx/Σy, whose users are the independent units while the requests inside a user
// are not. Its variance comes from the delta method (Deng, Knoblich & Lu, "Applying the delta
// method in metric analytics", KDD 2018, §3), from five sums per group.
import { checkFinite } from './validate.js'

/** Per-user totals of a ratio metric: numerator x and denominator y per user, summed. */
export interface RatioTotals {
  /** Users. */
  readonly count: number
  readonly sumX: number
  readonly sumY: number
  readonly sumXX: number
  readonly sumYY: number
  readonly sumXY: number
}

/** A ratio Σx/Σy and the delta-method variance of that estimate. */
export interface RatioEstimate {
  readonly ratio: number
  readonly variance: number
}

/**
 * Σx/Σy with Var ≈ (s²x − 2R·sxy + R²·s²y) / (n·ȳ²), the sample (co)variances with n − 1 (as
 * Deng et al. 2018, eq. 3). Needs two users and Σy > 0; the variance is clamped at 0 against
 * rounding.
 */
export function ratioEstimate(label: string, t: RatioTotals): RatioEstimate {
  if (!(Number.isInteger(t.count) && t.count >= 2))
    throw new RangeError(`${label}: count must be a whole number >= 2, got ${t.count}`)
  for (const key of ['sumX', 'sumY', 'sumXX', 'sumYY', 'sumXY'] as const)
    checkFinite(`${label}: ${key}`, t[key])
  if (!(t.sumY > 0))
    throw new RangeError(`${label}: the denominator's sum must be > 0, got ${t.sumY}`)
  const n = t.count
  const mx = t.sumX / n
  const my = t.sumY / n
  const sxx = (t.sumXX - n * mx * mx) / (n - 1)
  const syy = (t.sumYY - n * my * my) / (n - 1)
  const sxy = (t.sumXY - n * mx * my) / (n - 1)
  const ratio = t.sumX / t.sumY
  const variance = Math.max(0, (sxx - 2 * ratio * sxy + ratio * ratio * syy) / (n * my * my))
  return { ratio, variance }
}
