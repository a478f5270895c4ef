// Power and sample-size planning for two-sided z-tests of a standardized effect, as statsmodels
// NormalIndPower (ratio 1 for two groups, ratio 0 for one sample or paired differences).
// Means use the normal approximation too: no library here offers the noncentral t that
// statsmodels TTestIndPower uses, so for small n (below ~30 per group) power is slightly
// optimistic and sample sizes slightly small.
import { normalCdf, normalQuantile, normalSf } from './distributions.js'
import { checkFinite, checkOpenUnit, checkPositive } from './validate.js'

/** `two-sample`: two independent groups of n each; `one-sample`: n values or paired differences. */
export type PowerDesign = 'two-sample' | 'one-sample'

/** Options of the power functions. */
export interface PowerOptions {
  /** Two-sided significance level; default 0.05. */
  readonly alpha?: number
  /** Default `two-sample`. */
  readonly design?: PowerDesign
}

/** Throws on a bad alpha or design; returns the resolved options. */
function resolvePowerOptions(
  label: string,
  options: PowerOptions,
): { alpha: number; design: PowerDesign } {
  const alpha = options.alpha ?? 0.05
  const design = options.design ?? 'two-sample'
  checkOpenUnit(`${label}: alpha`, alpha)
  if (design !== 'two-sample' && design !== 'one-sample')
    throw new RangeError(
      `${label}: design must be 'two-sample' or 'one-sample', got ${JSON.stringify(design)}`,
    )
  return { alpha, design }
}

/** Power from the resolved options; n is per group (two-sample) or in total (one-sample). */
function powerAt(effectSize: number, n: number, alpha: number, design: PowerDesign): number {
  // Two groups of n: the effective size is 1 / (1/n + 1/n) = n / 2.
  const shift = effectSize * Math.sqrt(design === 'two-sample' ? n / 2 : n)
  const crit = -normalQuantile(alpha / 2)
  return normalSf(crit - shift) + normalCdf(-crit - shift)
}

/**
 * Power of the two-sided z-test to detect standardized effect `effectSize` (Cohen's d or h)
 * with `n` per group, as statsmodels `NormalIndPower().power(effect, n, alpha)`.
 */
export function normalPower(effectSize: number, n: number, options: PowerOptions = {}): number {
  checkFinite('normalPower: effectSize', effectSize)
  checkPositive('normalPower: n', n)
  const { alpha, design } = resolvePowerOptions('normalPower', options)
  return powerAt(effectSize, n, alpha, design)
}

/**
 * Sample size per group (fractional: round up) for `power` to detect `effectSize`, solving
 * {@link normalPower} by bisection (statsmodels `solve_power(nobs1=None)`). Infinity for a
 * zero effect. `power` must exceed alpha, the power of any test at zero effect.
 */
export function normalSampleSize(
  effectSize: number,
  power: number,
  options: PowerOptions = {},
): number {
  checkFinite('normalSampleSize: effectSize', effectSize)
  const { alpha, design } = resolvePowerOptions('normalSampleSize', options)
  checkPower('normalSampleSize', power, alpha)
  if (effectSize === 0) return Infinity
  return solveIncreasing((n) => powerAt(effectSize, n, alpha, design), power)
}

/**
 * Minimum detectable standardized effect (positive) with `n` per group at `power`, solving
 * {@link normalPower} by bisection (statsmodels `solve_power(effect_size=None)`).
 */
export function normalMde(n: number, power: number, options: PowerOptions = {}): number {
  checkPositive('normalMde: n', n)
  const { alpha, design } = resolvePowerOptions('normalMde', options)
  checkPower('normalMde', power, alpha)
  return solveIncreasing((d) => powerAt(d, n, alpha, design), power)
}

/** Throws unless alpha < power < 1. */
function checkPower(label: string, power: number, alpha: number): void {
  checkOpenUnit(`${label}: power`, power)
  if (power <= alpha)
    throw new RangeError(`${label}: power (${power}) must exceed alpha (${alpha})`)
}

/**
 * The x > 0 where the increasing `f` reaches `target`, given f(0) < target: doubles an upper
 * bracket, then bisects to double precision.
 */
function solveIncreasing(f: (x: number) => number, target: number): number {
  let lo = 0
  let hi = 1
  while (f(hi) < target) {
    lo = hi
    hi *= 2
  }
  for (let i = 0; i < 200 && hi - lo > 1e-15 * hi; i += 1) {
    const mid = (lo + hi) / 2
    if (f(mid) < target) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
}
