// Mann–Whitney U test of two independent samples, following scipy.stats.mannwhitneyu (1.17):
// the statistic is U of the first sample, 'auto' picks the exact null distribution when
// either sample has at most 8 values and there are no ties, and the normal approximation
// (tie-corrected, optionally continuity-corrected) otherwise.
import { normalSf } from './distributions.js'
import type { Alternative, TestResult } from './types.js'
import { checkAlternative, checkSample } from './validate.js'

/** How the p-value is computed; `auto` resolves as SciPy 1.17 does. */
export type MannWhitneyMethod = 'auto' | 'exact' | 'asymptotic'

/** Options of {@link mannWhitneyU}. */
export interface MannWhitneyOptions {
  /** Default `two-sided`; `greater` tests that values of a tend to exceed values of b. */
  readonly alternative?: Alternative
  /** Default `auto`: exact when min(n1, n2) <= 8 and there are no ties. */
  readonly method?: MannWhitneyMethod
  /** Subtract 1/2 from |U - mean| in the normal approximation; default true. */
  readonly continuity?: boolean
}

/** The U test result; `statistic` is U1 = R1 - n1(n1 + 1)/2 of sample a. */
export interface MannWhitneyResult extends TestResult {
  /** The method actually used (`auto` resolved). */
  readonly method: 'exact' | 'asymptotic'
  /** U1 / (n1·n2): the chance a value of a exceeds one of b, ties counting one half. */
  readonly effectSize: number
}

/**
 * Mann–Whitney U test (as `scipy.stats.mannwhitneyu`). The exact method ignores ties (U is
 * truncated to an integer, as SciPy does) and costs O(min(n1, n2)·n1·n2); past 1e9 steps it
 * throws rather than stall (SciPy would run). With every value tied the normal approximation
 * gives p 1, or NaN without the continuity correction.
 */
export function mannWhitneyU(
  a: readonly number[],
  b: readonly number[],
  options: MannWhitneyOptions = {},
): MannWhitneyResult {
  checkSample('mannWhitneyU: a', a, 1)
  checkSample('mannWhitneyU: b', b, 1)
  const alternative = options.alternative ?? 'two-sided'
  checkAlternative('mannWhitneyU: alternative', alternative)
  const n1 = a.length
  const n2 = b.length
  const { rankSum, tieSizes } = rankSumOfFirst(a, b)
  const u1 = rankSum - (n1 * (n1 + 1)) / 2
  const u2 = n1 * n2 - u1
  // SciPy evaluates one upper tail: of U1 for `greater`, of U2 for `less` (by symmetry).
  const u = alternative === 'greater' ? u1 : alternative === 'less' ? u2 : Math.max(u1, u2)
  const factor = alternative === 'two-sided' ? 2 : 1
  const method = chooseMethod(options.method ?? 'auto', n1, n2, tieSizes.length > 0)
  const sf =
    method === 'exact'
      ? exactSf(Math.trunc(u), n1, n2)
      : normalSf(mannWhitneyZ(u, n1, n2, tieSizes, options.continuity ?? true))
  const pValue = Math.min(1, Math.max(0, factor * sf))
  return { statistic: u1, pValue, alternative, method, effectSize: u1 / (n1 * n2) }
}

/** Resolves `auto`: exact when either sample has at most 8 values and nothing is tied. */
function chooseMethod(
  method: MannWhitneyMethod,
  n1: number,
  n2: number,
  ties: boolean,
): 'exact' | 'asymptotic' {
  if (method !== 'auto') {
    if (method !== 'exact' && method !== 'asymptotic')
      throw new RangeError(
        `mannWhitneyU: method must be 'auto', 'exact' or 'asymptotic', got ${JSON.stringify(method)}`,
      )
    return method
  }
  if (n1 > 8 && n2 > 8) return 'asymptotic'
  return ties ? 'asymptotic' : 'exact'
}

/** Sum of the (average, 1-based) ranks of a in the pooled sample, and the sizes of tie groups. */
function rankSumOfFirst(
  a: readonly number[],
  b: readonly number[],
): { rankSum: number; tieSizes: number[] } {
  const pooled = [...a.map((v) => ({ v, first: true })), ...b.map((v) => ({ v, first: false }))]
  pooled.sort((x, y) => x.v - y.v)
  let rankSum = 0
  const tieSizes: number[] = []
  for (let start = 0; start < pooled.length;) {
    let end = start + 1
    while (end < pooled.length && pooled[end]?.v === pooled[start]?.v) end += 1
    const rank = (start + 1 + end) / 2
    for (let i = start; i < end; i += 1) if (pooled[i]?.first) rankSum += rank
    if (end - start > 1) tieSizes.push(end - start)
    start = end
  }
  return { rankSum, tieSizes }
}

/** Standardized U with the tie-corrected variance and, if asked, the continuity correction. */
function mannWhitneyZ(
  u: number,
  n1: number,
  n2: number,
  tieSizes: readonly number[],
  continuity: boolean,
): number {
  const n = n1 + n2
  const tieTerm = tieSizes.reduce((s, t) => s + t * t * t - t, 0)
  const sd = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))))
  return (u - (n1 * n2) / 2 - (continuity ? 0.5 : 0)) / sd
}

/** Work (array updates) above which the exact distribution is refused: about a second. */
const EXACT_WORK_LIMIT = 1e9

/** Exact P(U >= k) under the null, summed from the lower tail as SciPy does. */
function exactSf(k: number, n1: number, n2: number): number {
  if ((Math.min(n1, n2) * n1 * n2) / 2 > EXACT_WORK_LIMIT)
    throw new RangeError(
      `mannWhitneyU: samples of ${n1} and ${n2} values are too large for the exact method; use method 'asymptotic'`,
    )
  const complement = n1 * n2 - k
  if (k >= complement) return sum(exactPmf(n1, n2, complement))
  const pmf = exactPmf(n1, n2, k)
  return 1 - sum(pmf) + (pmf[k] as number)
}

/**
 * P(U = u) for u = 0..maxU with no ties. The counts are the coefficients of the Gaussian
 * binomial [n1 + n2 choose m]_q = Π_{i=1..m} (1 - q^(M+i)) / (1 - q^i), m = min, M = max
 * (Mann & Whitney 1947); each factor is applied as a strided prefix sum (the division) and a
 * shifted subtraction (the product), then scaled by i/(M+i) so the array stays a distribution.
 * Coefficient u depends only on lower ones, so truncating at maxU is exact.
 */
function exactPmf(n1: number, n2: number, maxU: number): Float64Array {
  const m = Math.min(n1, n2)
  const big = Math.max(n1, n2)
  const f = new Float64Array(maxU + 1)
  f[0] = 1
  for (let i = 1; i <= m; i += 1) {
    for (let u = i; u <= maxU; u += 1) f[u] = (f[u] as number) + (f[u - i] as number)
    for (let u = maxU; u >= big + i; u -= 1) f[u] = (f[u] as number) - (f[u - big - i] as number)
    const scale = i / (big + i)
    for (let u = 0; u <= maxU; u += 1) f[u] = (f[u] as number) * scale
  }
  return f
}

/** Sum of an array. */
function sum(values: Float64Array): number {
  let total = 0
  for (const v of values) total += v
  return total
}
