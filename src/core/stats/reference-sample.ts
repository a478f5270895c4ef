// A sequential test against a reference known only from a sample taken before: the judged
// trials' success rate is significantly above nullShare(the reference's rate), where the
// reference's rate is itself estimated (the previous release's saved totals). The reference's
// uncertainty is paid for with a share of alpha (Berger & Boos 1994): with probability at least
// 1 − split·a its rate is at most U, the one-sided Clopper–Pearson upper bound at level split·a;
// then the mixture SPRT of sequentialOddsTest against q0 = nullShare(U), at level (1 − split)·a,
// is valid at every look (U is fixed before the first look). The union bound keeps the whole
// at a, however often it looks.
import { binomialCdf } from './distributions.js'
import { sequentialOddsTest } from './sequential.js'

/** Trials of one look or of a reference sample: `x` successes of `n`. */
export interface Trials {
  readonly x: number
  readonly n: number
}

/** Share of alpha spent on the reference's upper bound; the rest goes to the sequential test. */
export const REFERENCE_SPLIT = 0.25

/**
 * The always-valid p-value, after the looks so far, of "the looks' success rate is above
 * `nullShare(r)`", where r is the rate of the `reference` sample: the smallest a at which the
 * test described above rejects. `nullShare` must not decrease (a margin added or multiplied);
 * a null share of 1 or more is never rejected. Like sequentialOddsTest's, it only falls as
 * looks are added.
 *
 * Computed over the bound rather than over a: a bound u is the Clopper–Pearson bound at level
 * P(X ≤ x | n, u), so the test rejects at a = max(P(X ≤ x | u) / split, p(u) / (1 − split)), with
 * p(u) the sequential p-value against nullShare(u); the first falls and the second rises with
 * u, and the p-value is the smallest such a, found by bisection on u.
 */
export function sequentialOddsAgainstSample(
  looks: readonly Trials[],
  reference: Trials,
  nullShare: (rate: number) => number,
  split: number = REFERENCE_SPLIT,
): { readonly pValue: number } {
  checkSample(reference)
  if (looks.every((l) => l.n === 0) || reference.n === 0) return { pValue: 1 }
  const { x, n } = reference
  const boundLevel = (u: number): number => binomialCdf(x, n, u) / split
  const testLevel = (u: number): number => {
    const q0 = nullShare(u)
    if (!(q0 > 0 && q0 < 1)) return Infinity
    return sequentialOddsTest(looks.map((l) => ({ ...l, q0 }))).pValue / (1 - split)
  }
  // Below the reference's own rate the bound's level is over 1: nothing rejects there.
  let lo = x / n
  if (testLevel(lo) >= 1) return { pValue: 1 }
  let hi = 1
  for (let i = 0; i < 28; i++) {
    const mid = (lo + hi) / 2
    if (boundLevel(mid) > testLevel(mid)) lo = mid
    else hi = mid
  }
  const level = Math.min(
    Math.max(boundLevel(lo), testLevel(lo)),
    Math.max(boundLevel(hi), testLevel(hi)),
  )
  return { pValue: Math.min(1, level) }
}

function checkSample({ x, n }: Trials): void {
  if (!(Number.isInteger(x) && Number.isInteger(n) && x >= 0 && x <= n)) {
    throw new RangeError(
      `sequentialOddsAgainstSample: the reference needs whole 0 ≤ x ≤ n, got x=${x} n=${n}`,
    )
  }
}
