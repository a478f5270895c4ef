// A sequential test against a reference known only from a sample taken before: the judged
// trials' success rate is significantly above nullShare(the reference's rate), where the
// reference's rate is itself estimated (the previous release's saved totals). The reference's
// uncertainty is paid for with a share of alpha (Berger & Boos 1994): with probability at least
// 1 − split·a its rate is at most U, the Clopper–Pearson upper bound at level split·a; then the
// mixture SPRT of sequentialOddsTest against q0 = nullShare(U), at level (1 − split)·a, is
// valid at every look. The union bound keeps the whole at a, however often it looks.
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
 * The one-sided Clopper–Pearson upper bound on a success probability: the largest p with
 * P(X ≤ x | n, p) ≥ `level`, so the true p exceeds it with probability at most `level`.
 * 1 when x = n (nothing bounds it).
 */
export function binomialUpperBound(x: number, n: number, level: number): number {
  if (!(Number.isInteger(x) && Number.isInteger(n) && x >= 0 && x <= n)) {
    throw new RangeError(`binomialUpperBound needs whole 0 ≤ x ≤ n, got x=${x} n=${n}`)
  }
  if (!(level > 0 && level < 1)) {
    throw new RangeError(`binomialUpperBound needs 0 < level < 1, got ${level}`)
  }
  if (x === n) return 1
  if (x === 0) return 1 - level ** (1 / n)
  let lo = x / n
  let hi = 1
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2
    if (binomialCdf(x, n, mid) > level) lo = mid
    else hi = mid
  }
  return hi
}

/**
 * The always-valid p-value, after the looks so far, of "the looks' success rate is above
 * `nullShare(r)`", where r is the rate of the `reference` sample: the smallest a at which the
 * test described above rejects. `nullShare` must not decrease (a margin added or multiplied);
 * a null share of 1 or more is never rejected. Like sequentialOddsTest's, it only falls as
 * looks are added.
 */
export function sequentialOddsAgainstSample(
  looks: readonly Trials[],
  reference: Trials,
  nullShare: (rate: number) => number,
  split: number = REFERENCE_SPLIT,
): { readonly pValue: number } {
  if (looks.every((l) => l.n === 0) || reference.n === 0) return { pValue: 1 }
  const against = (q0: number): number =>
    q0 > 0 && q0 < 1 ? sequentialOddsTest(looks.map((l) => ({ ...l, q0 }))).pValue : 1
  const rejects = (a: number): boolean =>
    against(nullShare(binomialUpperBound(reference.x, reference.n, split * a))) <= (1 - split) * a
  // Every bound is at least the reference's own rate: if even that cannot reject, nothing can.
  if (against(nullShare(reference.x / reference.n)) > 1 - split || !rejects(1)) {
    return { pValue: 1 }
  }
  // Rejection is monotone in a: a larger a bounds the reference lower and allows a larger p.
  let lo = Math.log(1e-12)
  if (rejects(Math.exp(lo))) return { pValue: 1e-12 }
  let hi = 0
  for (let i = 0; i < 16; i++) {
    const mid = (lo + hi) / 2
    if (rejects(Math.exp(mid))) hi = mid
    else lo = mid
  }
  return { pValue: Math.exp(hi) }
}
