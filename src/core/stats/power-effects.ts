// Power planning in the units users think in: pass rates (through Cohen's h) and score means
// (through Cohen's d). Each function converts, then calls the normal power functions.
import type { PowerOptions } from './power.js'
import { normalMde, normalPower, normalSampleSize } from './power.js'
import { checkFinite, checkPositive, checkProbability } from './validate.js'

/** Cohen's h = 2·asin(√p1) - 2·asin(√p2), the arcsine effect of two rates (statsmodels `proportion_effectsize`). */
export function cohensH(p1: number, p2: number): number {
  checkProbability('cohensH: p1', p1)
  checkProbability('cohensH: p2', p2)
  return 2 * Math.asin(Math.sqrt(p1)) - 2 * Math.asin(Math.sqrt(p2))
}

/** Power to tell pass rate `p1` from `p2` with `n` cases per group (two-sided z-test on h). */
export function proportionPower(
  p1: number,
  p2: number,
  n: number,
  options: PowerOptions = {},
): number {
  return normalPower(cohensH(p1, p2), n, options)
}

/** Cases per group (fractional: round up) to tell `p1` from `p2` with `power`. */
export function proportionSampleSize(
  p1: number,
  p2: number,
  power: number,
  options: PowerOptions = {},
): number {
  return normalSampleSize(cohensH(p1, p2), power, options)
}

/** The smallest detectable change from a baseline pass rate. */
export interface ProportionMde {
  /** Cohen's h of the change, negative for a decrease. */
  readonly effectSize: number
  /** The detectable pass rate, or NaN when it would fall outside [0, 1]. */
  readonly rate: number
  /** rate - baseline (NaN with `rate`). */
  readonly difference: number
}

/**
 * Minimum detectable change from pass rate `baseline` with `n` cases per group at `power`:
 * solves for |h|, then maps back through the arcsine. `direction` defaults to `decrease`,
 * the regression a gate looks for.
 */
export function proportionMde(
  baseline: number,
  n: number,
  power: number,
  options: PowerOptions & { readonly direction?: 'decrease' | 'increase' } = {},
): ProportionMde {
  checkProbability('proportionMde: baseline', baseline)
  const magnitude = normalMde(n, power, options)
  const effectSize = options.direction === 'increase' ? magnitude : -magnitude
  const angle = effectSize + 2 * Math.asin(Math.sqrt(baseline))
  const rate = angle < 0 || angle > Math.PI ? NaN : Math.sin(angle / 2) ** 2
  return { effectSize, rate, difference: rate - baseline }
}

/** A difference in means, as Cohen's d or as a raw difference with the standard deviation. */
export type MeanEffect =
  { readonly d: number } | { readonly difference: number; readonly sd: number }

/** Cohen's d of a mean effect: d itself, or difference / sd. */
export function cohensD(effect: MeanEffect): number {
  if ('d' in effect) {
    checkFinite('cohensD: d', effect.d)
    return effect.d
  }
  checkFinite('cohensD: difference', effect.difference)
  checkPositive('cohensD: sd', effect.sd)
  return effect.difference / effect.sd
}

/** Power to detect a mean difference with `n` per group (normal approximation, see power.ts). */
export function meanPower(effect: MeanEffect, n: number, options: PowerOptions = {}): number {
  return normalPower(cohensD(effect), n, options)
}

/** Sample size per group (fractional: round up) to detect a mean difference with `power`. */
export function meanSampleSize(
  effect: MeanEffect,
  power: number,
  options: PowerOptions = {},
): number {
  return normalSampleSize(cohensD(effect), power, options)
}

/**
 * Minimum detectable mean difference with `n` per group at `power`: Cohen's d, and the raw
 * difference d·sd when `sd` is given (NaN otherwise).
 */
export function meanMde(
  n: number,
  power: number,
  options: PowerOptions & { readonly sd?: number } = {},
): { readonly d: number; readonly difference: number } {
  if (options.sd !== undefined) checkPositive('meanMde: sd', options.sd)
  const d = normalMde(n, power, options)
  return { d, difference: options.sd === undefined ? NaN : d * options.sd }
}
