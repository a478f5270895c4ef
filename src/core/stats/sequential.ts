// Sequential tests: evidence that may be looked at after every interval, as often as one likes,
// and stopped on at any look, with the chance of ever crossing the line under the null hypothesis
// still at most alpha. Each test is a mixture likelihood ratio, a nonnegative supermartingale
// under the null, so by Ville's inequality P(sup_t Λ_t ≥ 1/α) ≤ α (Robbins 1970; the mixture
// SPRT of Johari, Pekelis & Walsh 2017, "Always valid inference"). The always-valid p-value at
// a look is 1 / (the largest Λ so far).
import { normalQuantile, tCdf } from './distributions.js'

/** Evidence of a sequential test after each look. */
export interface SequentialEvidence {
  /** The likelihood ratio Λ after each look (1 before any data). */
  readonly ratios: readonly number[]
  /** The always-valid p-value after the last look: min(1, 1 / max Λ so far). */
  readonly pValue: number
}

/** One look's trials of a {@link sequentialOddsTest}: `x` successes of `n`, and the null's share. */
export interface OddsTrials {
  readonly x: number
  readonly n: number
  /** The success probability under the null hypothesis at this look, in (0, 1). */
  readonly q0: number
}

/** The alternatives of {@link sequentialOddsTest}: log odds ratios above the null, and weights. */
const GRID = oddsGrid(60, Math.log(30), 1)

function oddsGrid(points: number, top: number, scale: number) {
  const deltas = Array.from({ length: points }, (_, i) => ((i + 1) * top) / points)
  const raw = deltas.map((d) => Math.exp(-(d * d) / (2 * scale * scale)))
  const total = raw.reduce((a, b) => a + b, 0)
  return {
    factors: deltas.map((d) => Math.exp(d)),
    logWeights: raw.map((w) => Math.log(w / total)),
  }
}

/**
 * A one-sided sequential test that successes are more likely than the null says: at each look,
 * `x` of `n` Bernoulli trials succeeded where the null gives each the probability `q0` (which
 * may change from look to look). The alternative raises the odds by a factor e^δ, δ > 0, mixed
 * over a grid of δ up to log 30 with half-normal weights (scale 1): a discrete mixture, so the
 * ratio is exactly a supermartingale under any success probability at or below `q0`.
 *
 * Used conditionally on events: an error is a trial that lands on the canary with probability
 * q0 = (its share of the traffic, the margin applied), which needs no estimate of the error
 * rate and stays exact with 0, 1 or 2 errors, where normal approximations fail.
 */
export function sequentialOddsTest(looks: readonly OddsTrials[]): SequentialEvidence {
  const logLr = new Float64Array(GRID.factors.length)
  const ratios: number[] = []
  let best = 1
  for (const [i, look] of looks.entries()) {
    checkTrials(look, i)
    if (look.n > 0) {
      const oddsNull = look.q0 / (1 - look.q0)
      GRID.factors.forEach((factor, g) => {
        const q = (oddsNull * factor) / (1 + oddsNull * factor)
        logLr[g] =
          (logLr[g] as number) +
          look.x * Math.log(q / look.q0) +
          (look.n - look.x) * Math.log((1 - q) / (1 - look.q0))
      })
    }
    const ratio = logSumExp(GRID.logWeights.map((w, g) => w + (logLr[g] as number)))
    ratios.push(Math.exp(ratio))
    best = Math.max(best, Math.exp(ratio))
  }
  return { ratios, pValue: Math.min(1, 1 / best) }
}

function checkTrials(look: OddsTrials, i: number): void {
  const { x, n, q0 } = look
  if (!(Number.isInteger(n) && n >= 0 && Number.isInteger(x) && x >= 0 && x <= n)) {
    throw new RangeError(`sequentialOddsTest: look ${i} needs whole 0 ≤ x ≤ n, got x=${x} n=${n}`)
  }
  if (!(q0 > 0 && q0 < 1)) {
    throw new RangeError(`sequentialOddsTest: look ${i} needs 0 < q0 < 1, got ${q0}`)
  }
}

function logSumExp(values: readonly number[]): number {
  const top = Math.max(...values)
  if (top === -Infinity) return -Infinity
  return top + Math.log(values.reduce((sum, v) => sum + Math.exp(v - top), 0))
}

/** One look of a {@link sequentialNormalTest}: an estimate, its variance and its degrees of freedom. */
export interface NormalLook {
  /** The estimate minus the null's bound: positive is evidence against the null. */
  readonly estimate: number
  readonly variance: number
  /** Degrees of freedom of the variance estimate; `Infinity` when it is known. */
  readonly df: number
}

/**
 * A one-sided normal mixture SPRT (Johari et al. 2017, eq. 11) on an estimate that is
 * approximately normal: Λ = √(V/(V+τ²)) · exp(θ̂²τ² / (2V(V+τ²))) for θ̂ > 0, and no evidence
 * otherwise, mixing the alternative over N(0, τ²). A variance estimated with few degrees of
 * freedom is first made conservative: the t statistic is replaced by the normal deviate with the
 * same tail, so a handful of intervals cannot pass for a precise estimate. Valid by the normal
 * approximation, not exactly: its false-alarm rate is measured in docs/canary.md.
 */
export function sequentialNormalTest(
  looks: readonly NormalLook[],
  tau: number,
): SequentialEvidence {
  if (!(tau > 0)) throw new RangeError(`sequentialNormalTest: tau must be positive, got ${tau}`)
  const ratios: number[] = []
  let best = 1
  const tau2 = tau * tau
  for (const look of looks) {
    const { estimate, variance, df } = look
    if (!(variance > 0) || !(estimate > 0) || !(df > 0)) {
      ratios.push(1)
      continue
    }
    const t = estimate / Math.sqrt(variance)
    const z = Number.isFinite(df) ? normalQuantile(Math.min(tCdf(t, df), 1 - 1e-16)) : t
    const theta2 = z * z * variance
    const ratio =
      Math.sqrt(variance / (variance + tau2)) *
      Math.exp((theta2 * tau2) / (2 * variance * (variance + tau2)))
    ratios.push(ratio)
    best = Math.max(best, ratio)
  }
  return { ratios, pValue: Math.min(1, 1 / best) }
}
