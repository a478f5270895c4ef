/** Largest number of terms a continued fraction is given before its current value is returned. */
const MAX_TERMS = 1_000_000
/** Lentz's stand-in for a zero denominator, so the recurrence never divides by 0. */
const TINY = 1e-300

/**
 * Value of b0 + a1/(b1 + a2/(b2 + ...)) by the modified Lentz algorithm (Lentz 1976, as
 * modified by Thompson & Barnett 1986). `numerator(n)` and `denominator(n)` give a_n and b_n for
 * n >= 1. Stops when a further term changes the value by less than one rounding unit.
 */
export function continuedFraction(
  b0: number,
  numerator: (n: number) => number,
  denominator: (n: number) => number,
): number {
  let value = b0 === 0 ? TINY : b0
  let c = value
  let d = 0
  for (let n = 1; n <= MAX_TERMS; n++) {
    const an = numerator(n)
    const bn = denominator(n)
    d = bn + an * d
    c = bn + an / c
    if (d === 0) d = TINY
    if (c === 0) c = TINY
    d = 1 / d
    const delta = c * d
    value *= delta
    if (Math.abs(delta - 1) <= Number.EPSILON) break
  }
  return value
}
