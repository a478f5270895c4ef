import type { Estimate } from '../../contracts/results.js'
import { Z95 } from './intervals.js'

/*
 * The difference of two paired proportions with Tango's score interval (Tango 1998, "Equivalence
 * test and confidence interval for the difference in proportions for the paired-sample design";
 * recommended for small samples by Fagerland, Lydersen and Laake 2014). Unlike a t or Wald
 * interval on the differences it stays inside [-1, 1], and it never collapses to a point: with
 * no discordant pair out of n it is about ±z²/(n + z²).
 */

/**
 * `now - then` of a pass rate over `n` paired cases, `gained` of which went from fail to pass and
 * `lost` from pass to fail, with its 95% Tango score interval. The counts may be fractional (a
 * case's share of passing repeats moved by less than a whole case). `n = 0` gives [-1, 1].
 */
export function pairedProportionDifference(gained: number, lost: number, n: number): Estimate {
  const value = n === 0 ? 0 : (gained - lost) / n
  if (n === 0) return { value, lower: -1, upper: 1, level: 0.95 }
  const z = (delta: number) => tangoZ(gained, lost, n, delta)
  return {
    value,
    lower: value <= -1 ? -1 : bisect(-1, value, (d) => z(d) > Z95),
    upper: value >= 1 ? 1 : bisect(value, 1, (d) => z(d) >= -Z95),
    level: 0.95,
  }
}

/**
 * Tango's score statistic for the difference `delta` = P(gained) - P(lost): the observed
 * difference against `delta`, over its standard error at the likelihood's maximum under `delta`.
 */
function tangoZ(gained: number, lost: number, n: number, delta: number): number {
  const rest = n - gained - lost
  // The constrained MLE of P(lost): the root of 2n·q² - B·q - lost·delta·(1 - delta) = 0 in
  // [max(0, -delta), (1 - delta) / 2].
  const b = (gained + lost) * (1 - delta) - 2 * delta * (lost + rest)
  const root = (b + Math.sqrt(Math.max(0, b * b + 8 * n * lost * delta * (1 - delta)))) / (4 * n)
  const q = Math.min((1 - delta) / 2, Math.max(0, -delta, root))
  const variance = n * (2 * q + delta - delta * delta)
  const numerator = gained - lost - n * delta
  if (variance <= 0) return numerator === 0 ? 0 : numerator > 0 ? Infinity : -Infinity
  return numerator / Math.sqrt(variance)
}

/** The point in [lo, hi] where `test` changes its answer (it answers differently at each end). */
function bisect(lo: number, hi: number, test: (x: number) => boolean): number {
  const atLo = test(lo)
  let a = lo
  let b = hi
  for (let i = 0; i < 60; i++) {
    const mid = (a + b) / 2
    if (test(mid) === atLo) a = mid
    else b = mid
  }
  return (a + b) / 2
}
