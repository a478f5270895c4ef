// Always-valid inference for a difference of two arms whose estimate is approximately normal:
// the normal-mixture SPRT (mSPRT) of Johari, Koomen, Pekelis & Walsh, "Always valid inference:
// continuous monitoring of A/B tests" (Operations Research 70(3), 2022; arXiv 1512.04922,
// eq. 11 and §4). The likelihood ratio of θ against the null θ0, mixed over θ − θ0 ~ N(0, τ²),
// is a nonnegative martingale under the null, so by Ville's inequality the chance that it ever
// reaches 1/α, at any of as many looks as one likes, is at most α. The p-value 1/Λ and the
// confidence sequence {θ0 : Λ(θ0) < 1/α} may therefore be read after every day and acted on.
import { normalCdf, normalQuantile } from './distributions.js'
import type { Alternative } from './types.js'
import { checkAlternative, checkFinite, checkOpenUnit, checkPositive } from './validate.js'

/** An always-valid test of a difference at one look. */
export interface AlwaysValidResult {
  /** The estimate of the difference (e.g. treatment − control). */
  readonly estimate: number
  /** The estimate's variance (squared standard error) at this look. */
  readonly variance: number
  /** The mixture likelihood ratio Λ against `nullValue`. */
  readonly ratio: number
  /** The always-valid p-value at this look: min(1, 1/Λ). */
  readonly pValue: number
  /** The confidence sequence at 1 − alpha: bounded below only for `greater`, above for `less`. */
  readonly lower: number
  readonly upper: number
  readonly alternative: Alternative
}

/** Options of {@link alwaysValidTest}. */
export interface AlwaysValidOptions {
  /** The mixture's scale τ, in the estimate's units: the size of effect the test is tuned to. */
  readonly tau: number
  /** Default `two-sided`; `greater` tests θ > nullValue with a half-normal mixture. */
  readonly alternative?: Alternative
  /** The confidence sequence's error rate; default 0.05. */
  readonly alpha?: number
  /** The difference under the null hypothesis; default 0. */
  readonly nullValue?: number
}

/**
 * log Λ for an estimate that is `distance` above the null value, with variance `v` and mixture
 * scale τ² = `tau2`. Two-sided: the N(0, τ²) mixture,
 *   Λ = √(V/(V+τ²)) · exp(d²τ² / (2V(V+τ²))).
 * `greater`: the half-normal mixture over θ > θ0 (density 2·N(0, τ²) on the positive half),
 *   Λ = 2·√(V/(V+τ²)) · exp(d²τ² / (2V(V+τ²))) · Φ(dτ / √(V(V+τ²))),
 * a supermartingale under every θ ≤ θ0. `less` mirrors `greater`.
 */
export function mixtureLogRatio(
  distance: number,
  v: number,
  tau2: number,
  alternative: Alternative,
): number {
  const d = alternative === 'less' ? -distance : distance
  const base = 0.5 * Math.log(v / (v + tau2)) + (d * d * tau2) / (2 * v * (v + tau2))
  if (alternative === 'two-sided') return base
  return Math.log(2) + base + Math.log(normalCdf((d * Math.sqrt(tau2)) / Math.sqrt(v * (v + tau2))))
}

/**
 * The always-valid test of one look: Λ against `nullValue`, its p-value, and the confidence
 * sequence at 1 − alpha. A variance of 0 (no spread yet) gives no evidence: p = 1 and an
 * unbounded interval.
 */
export function alwaysValidTest(
  estimate: number,
  variance: number,
  options: AlwaysValidOptions,
): AlwaysValidResult {
  const alternative = options.alternative ?? 'two-sided'
  const alpha = options.alpha ?? 0.05
  const nullValue = options.nullValue ?? 0
  checkFinite('alwaysValidTest: estimate', estimate)
  checkFinite('alwaysValidTest: nullValue', nullValue)
  checkPositive('alwaysValidTest: tau', options.tau)
  checkAlternative('alwaysValidTest: alternative', alternative)
  checkOpenUnit('alwaysValidTest: alpha', alpha)
  if (!(variance >= 0 && Number.isFinite(variance)))
    throw new RangeError(`alwaysValidTest: variance must be a finite number >= 0, got ${variance}`)
  if (variance === 0) {
    return {
      estimate,
      variance,
      ratio: 1,
      pValue: 1,
      lower: -Infinity,
      upper: Infinity,
      alternative,
    }
  }
  const tau2 = options.tau * options.tau
  const ratio = Math.exp(mixtureLogRatio(estimate - nullValue, variance, tau2, alternative))
  const half = halfWidth(variance, tau2, alpha, alternative)
  return {
    estimate,
    variance,
    ratio,
    pValue: Math.min(1, 1 / ratio),
    lower: alternative === 'less' ? -Infinity : estimate - half,
    upper: alternative === 'greater' ? Infinity : estimate + half,
    alternative,
  }
}

/**
 * The distance d at which Λ reaches 1/α: the confidence sequence's half-width. Closed form for
 * the two-sided mixture, d² = V(V+τ²)/τ² · (2·log(1/α) + log((V+τ²)/V)); for one side, found by
 * bisection (log Λ rises with d), bracketed by the two-sided width at α/2.
 */
export function mixtureHalfWidth(
  variance: number,
  tau: number,
  alpha: number,
  alternative: Alternative,
): number {
  checkPositive('mixtureHalfWidth: variance', variance)
  checkPositive('mixtureHalfWidth: tau', tau)
  checkOpenUnit('mixtureHalfWidth: alpha', alpha)
  return halfWidth(variance, tau * tau, alpha, alternative)
}

function halfWidth(v: number, tau2: number, alpha: number, alternative: Alternative): number {
  const twoSided = (a: number) =>
    Math.sqrt(((v * (v + tau2)) / tau2) * (2 * Math.log(1 / a) + Math.log((v + tau2) / v)))
  if (alternative === 'two-sided') return twoSided(alpha)
  const target = Math.log(1 / alpha)
  let low = 0
  let high = twoSided(alpha / 2)
  for (let i = 0; i < 200 && high - low > 1e-15 * high; i++) {
    const mid = (low + high) / 2
    if (mixtureLogRatio(mid, v, tau2, 'greater') < target) low = mid
    else high = mid
  }
  return (low + high) / 2
}

/**
 * The smallest true difference the always-valid test detects with probability `power` at this
 * variance, to first order: the half-width where Λ reaches 1/α plus z_power standard errors.
 * A guide for "no detectable difference" reports, not an exact power (earlier looks are ignored).
 */
export function alwaysValidMde(
  variance: number,
  tau: number,
  alpha: number,
  power: number,
  alternative: Alternative,
): number {
  checkOpenUnit('alwaysValidMde: power', power)
  return (
    mixtureHalfWidth(variance, tau, alpha, alternative) +
    normalQuantile(power) * Math.sqrt(variance)
  )
}
