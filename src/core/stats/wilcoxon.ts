// Wilcoxon signed-rank test of paired differences, following scipy.stats.wilcoxon (1.17):
// the statistic is the rank sum of the positive differences, zeros are dropped (`wilcox`) or
// ranked then dropped (`pratt`), and the p-value comes from the exact sign-flip distribution
// of the observed ranks or from the normal approximation with tie and zero corrections.
import { normalSf } from './distributions.js'
import { pairedDifferences } from './moments.js'
import type { Alternative, TestResult } from './types.js'
import { checkAlternative, checkSample } from './validate.js'

/**
 * `exact`: the distribution of the statistic over all 2^n sign flips of the observed ranks
 * (SciPy's `exact` without ties, its permutation test with them); `asymptotic`: the normal
 * approximation; `auto` resolves as SciPy 1.17 does.
 */
export type WilcoxonMethod = 'auto' | 'exact' | 'asymptotic'

/** Options of {@link wilcoxonSignedRank}. */
export interface WilcoxonOptions {
  /** Default `two-sided`; `greater` tests that a[i] - b[i] tends to be positive. */
  readonly alternative?: Alternative
  /** Default `auto`: exact for n <= 50 without ties or zeros, or n <= 13 with them. */
  readonly method?: WilcoxonMethod
  /** `wilcox` (default) drops zero differences; `pratt` ranks them, then drops them. */
  readonly zeroMethod?: 'wilcox' | 'pratt'
  /** Continuity correction of the normal approximation; default false, as SciPy. */
  readonly correction?: boolean
}

/** The signed-rank result; `statistic` follows SciPy (see {@link wilcoxonSignedRank}). */
export interface WilcoxonResult extends TestResult {
  /** The method actually used (`auto` resolved). */
  readonly method: 'exact' | 'asymptotic'
  /** The rank sum of the positive differences (R+), whatever the alternative. */
  readonly rPlus: number
}

/**
 * Wilcoxon signed-rank test of a[i] - b[i] (as `scipy.stats.wilcoxon(a, b, ...)`). The
 * statistic is min(R+, R-) two-sided and R+ one-sided, as SciPy. With no non-zero difference
 * the p-value is 1 (SciPy's normal approximation gives NaN): the data show no shift. The exact
 * method's cost grows with n·(sum of ranks); past 1e8 steps it throws.
 */
export function wilcoxonSignedRank(
  a: readonly number[],
  b: readonly number[],
  options: WilcoxonOptions = {},
): WilcoxonResult {
  checkSample('wilcoxonSignedRank: a', a, 1)
  checkSample('wilcoxonSignedRank: b', b, 1)
  const alternative = options.alternative ?? 'two-sided'
  checkAlternative('wilcoxonSignedRank: alternative', alternative)
  const zeroMethod = options.zeroMethod ?? 'wilcox'
  const d = pairedDifferences('wilcoxonSignedRank', a, b)
  const ranked = signedRanks(d, zeroMethod)
  const method = chooseMethod(options.method ?? 'auto', d.length, ranked)
  const statistic =
    alternative === 'two-sided' ? Math.min(ranked.rPlus, ranked.rMinus) : ranked.rPlus
  const base = { statistic, alternative, method, rPlus: ranked.rPlus }
  if (ranked.ranks.length === 0) return { ...base, pValue: 1 }
  const pValue =
    method === 'exact'
      ? exactPValue(ranked, alternative)
      : normalPValue(ranked, alternative, options.correction ?? false)
  return { ...base, pValue }
}

/** Ranks of the non-zero |d| (average ranks for ties), the rank sums and the tie sizes. */
interface SignedRanks {
  readonly ranks: readonly number[]
  readonly rPlus: number
  readonly rMinus: number
  /** Sizes of the tie groups among the ranked values (zeros excluded), each >= 2. */
  readonly ties: readonly number[]
  readonly zeros: number
  /** n·(n+1)/4 and the variance·24 of R+ before tie correction, zero-adjusted for Pratt. */
  readonly mean: number
  readonly variance24: number
}

function signedRanks(d: readonly number[], zeroMethod: 'wilcox' | 'pratt'): SignedRanks {
  const zeros = d.filter((x) => x === 0).length
  const kept = zeroMethod === 'wilcox' ? d.filter((x) => x !== 0) : [...d]
  const order = kept.map((_, i) => i).sort((i, j) => Math.abs(kept[i]!) - Math.abs(kept[j]!))
  const rankOf = new Array<number>(kept.length)
  const ties: number[] = []
  for (let start = 0; start < order.length;) {
    let end = start + 1
    const value = Math.abs(kept[order[start]!]!)
    while (end < order.length && Math.abs(kept[order[end]!]!) === value) end += 1
    for (let k = start; k < end; k += 1) rankOf[order[k]!] = (start + end + 1) / 2
    if (end - start > 1 && value !== 0) ties.push(end - start)
    start = end
  }
  const ranks: number[] = []
  let rPlus = 0
  let rMinus = 0
  kept.forEach((x, i) => {
    if (x === 0) return
    ranks.push(rankOf[i]!)
    if (x > 0) rPlus += rankOf[i]!
    else rMinus += rankOf[i]!
  })
  const n = kept.length
  const z = zeroMethod === 'pratt' ? zeros : 0
  return {
    ranks,
    rPlus,
    rMinus,
    ties,
    zeros,
    mean: (n * (n + 1)) / 4 - (z * (z + 1)) / 4,
    variance24: n * (n + 1) * (2 * n + 1) - z * (z + 1) * (2 * z + 1),
  }
}

/** SciPy 1.17's `auto`: exact (or its permutation test) for small samples, normal otherwise. */
function chooseMethod(method: WilcoxonMethod, n: number, r: SignedRanks): 'exact' | 'asymptotic' {
  if (method !== 'auto') return method
  if (n > 50) return 'asymptotic'
  if (r.ties.length === 0 && r.zeros === 0) return 'exact'
  return n <= 13 ? 'exact' : 'asymptotic'
}

/** Normal approximation with the tie correction and, optionally, the continuity correction. */
function normalPValue(r: SignedRanks, alternative: Alternative, correction: boolean): number {
  const tieTerm = r.ties.reduce((s, t) => s + t * t * t - t, 0)
  const se = Math.sqrt((r.variance24 - tieTerm / 2) / 24)
  let z = (r.rPlus - r.mean) / se
  if (correction) {
    const sign = alternative === 'greater' ? 1 : alternative === 'less' ? -1 : Math.sign(z)
    z -= (sign * 0.5) / se
  }
  if (alternative === 'greater') return normalSf(z)
  if (alternative === 'less') return normalSf(-z)
  return Math.min(1, 2 * normalSf(Math.abs(z)))
}

/**
 * p-value from the exact distribution of R+ over all sign flips of the observed ranks. Ranks
 * are halves at worst (ties), so the distribution is counted over 2·rank by dynamic
 * programming; tail sums use a relative tolerance of 1e-14, as SciPy's permutation test.
 */
function exactPValue(r: SignedRanks, alternative: Alternative): number {
  const doubled = r.ranks.map((x) => Math.round(2 * x))
  const total = doubled.reduce((s, x) => s + x, 0)
  if (doubled.length * total > 1e8)
    throw new RangeError(
      `wilcoxonSignedRank: the exact method over ${doubled.length} ranks is too large; use method 'asymptotic'`,
    )
  let counts = new Float64Array(total + 1)
  counts[0] = 1
  for (const x of doubled) {
    const next = new Float64Array(total + 1)
    for (let s = 0; s <= total; s += 1) {
      const c = counts[s]!
      if (c === 0) continue
      next[s] = next[s]! + c / 2
      next[s + x] = next[s + x]! + c / 2
    }
    counts = next
  }
  const observed = 2 * r.rPlus
  const gamma = 1e-14 * Math.abs(observed)
  let less = 0
  let greater = 0
  counts.forEach((p, s) => {
    if (s <= observed + gamma) less += p
    if (s >= observed - gamma) greater += p
  })
  if (alternative === 'less') return Math.min(1, less)
  if (alternative === 'greater') return Math.min(1, greater)
  return Math.min(1, 2 * Math.min(less, greater))
}
