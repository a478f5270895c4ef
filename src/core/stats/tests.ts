// Hypothesis tests on scores: paired and Welch t-tests, chi-square goodness of fit.
// Pass/fail tests live in proportions.ts, the rank test in mann-whitney.ts.
import { chiSquareSf, tQuantile, tSf } from './distributions.js'
import { pairedDifferences, sampleMoments } from './moments.js'
import { symmetricBounds, symmetricPValue } from './tails.js'
import type { Alternative, TEstimate, TestResult } from './types.js'
import { checkAlternative, checkCount, checkOpenUnit, checkSample } from './validate.js'

/** Options of the t-tests. */
export interface TTestOptions {
  /** Default `two-sided`; `greater` tests mean(a) > mean(b). */
  readonly alternative?: Alternative
  /** Confidence level of `difference`'s interval; default 0.95. */
  readonly level?: number
}

/** A t-test: the t statistic, its degrees of freedom and the mean difference with its interval. */
export interface TTestResult extends TestResult {
  readonly df: number
  /** mean(a) - mean(b) (or mean of a[i] - b[i] when paired), bounded per `alternative`. */
  readonly difference: TEstimate
}

/** t statistic, p-value and interval for `diff` with standard error `se` on `df` degrees. */
export function tResult(diff: number, se: number, df: number, options: TTestOptions): TTestResult {
  const alternative = options.alternative ?? 'two-sided'
  const level = options.level ?? 0.95
  const statistic = diff / se
  const pValue = symmetricPValue(statistic, alternative, (x) => tSf(x, df))
  const bounds = symmetricBounds(diff, se, level, alternative, (p) => tQuantile(p, df))
  return {
    statistic,
    pValue,
    alternative,
    df,
    difference: { value: diff, ...bounds, level, se, df },
  }
}

/** Throws on a bad alternative or level. */
function checkTOptions(label: string, options: TTestOptions): void {
  checkAlternative(`${label}: alternative`, options.alternative ?? 'two-sided')
  checkOpenUnit(`${label}: level`, options.level ?? 0.95)
}

/**
 * Paired t-test on a[i] - b[i] (as `scipy.stats.ttest_rel`). Needs two pairs. Equal
 * differences have se 0: t is ±Infinity with p 0, or NaN with p NaN when they are all 0.
 */
export function pairedTTest(
  a: readonly number[],
  b: readonly number[],
  options: TTestOptions = {},
): TTestResult {
  checkSample('pairedTTest: a', a, 2)
  checkSample('pairedTTest: b', b, 2)
  checkTOptions('pairedTTest', options)
  const diffs = pairedDifferences('pairedTTest', a, b)
  const { mean, variance } = sampleMoments(diffs)
  return tResult(mean, Math.sqrt(variance / diffs.length), diffs.length - 1, options)
}

/**
 * Welch's unequal-variance t-test of mean(a) - mean(b) with Welch–Satterthwaite degrees of
 * freedom (as `scipy.stats.ttest_ind(a, b, equal_var=False)` and its `confidence_interval()`).
 * Needs two values per sample. Two constant samples follow SciPy: df is 1, t is ±Infinity
 * (p 0) or NaN (p NaN) when the constants are equal, and the interval is [diff, diff].
 */
export function welchTTest(
  a: readonly number[],
  b: readonly number[],
  options: TTestOptions = {},
): TTestResult {
  checkSample('welchTTest: a', a, 2)
  checkSample('welchTTest: b', b, 2)
  checkTOptions('welchTTest', options)
  const ma = sampleMoments(a)
  const mb = sampleMoments(b)
  const va = ma.variance / a.length
  const vb = mb.variance / b.length
  const df = ((va + vb) * (va + vb)) / ((va * va) / (a.length - 1) + (vb * vb) / (b.length - 1))
  return tResult(ma.mean - mb.mean, Math.sqrt(va + vb), Number.isNaN(df) ? 1 : df, options)
}

/** Chi-square goodness-of-fit test: statistic, degrees of freedom, p-value. */
export interface ChiSquareResult {
  readonly statistic: number
  readonly df: number
  readonly pValue: number
}

/**
 * Pearson chi-square goodness of fit of `observed` counts to `expected` frequencies (default:
 * uniform), with k - 1 - ddof degrees of freedom (as `scipy.stats.chisquare`). The totals of
 * observed and expected must agree to a relative 1.49e-8 (SciPy's tolerance) or it throws.
 */
export function chiSquareGoodnessOfFit(
  observed: readonly number[],
  expected?: readonly number[],
  ddof = 0,
): ChiSquareResult {
  checkSample('chiSquareGoodnessOfFit: observed', observed, 2)
  checkCount('chiSquareGoodnessOfFit: ddof', ddof)
  observed.forEach((o, i) => {
    if (o < 0) throw new RangeError(`chiSquareGoodnessOfFit: observed[${i}] must be >= 0, got ${o}`)
  })
  const exp = expected ?? uniformExpected(observed)
  checkExpected(observed, exp)
  const df = observed.length - 1 - ddof
  if (df < 1)
    throw new RangeError(
      `chiSquareGoodnessOfFit: ddof ${ddof} leaves ${df} degrees of freedom for ${observed.length} categories; need at least 1`,
    )
  let statistic = 0
  observed.forEach((o, i) => {
    const e = exp[i] as number
    statistic += ((o - e) * (o - e)) / e
  })
  return { statistic, df, pValue: chiSquareSf(statistic, df) }
}

/** Expected counts spreading the observed total evenly; throws when that total is 0. */
function uniformExpected(observed: readonly number[]): number[] {
  const total = observed.reduce((s, o) => s + o, 0)
  if (total === 0)
    throw new RangeError('chiSquareGoodnessOfFit: observed counts sum to 0; nothing to test')
  return observed.map(() => total / observed.length)
}

/** Throws unless `expected` is positive, as long as `observed` and of the same total. */
function checkExpected(observed: readonly number[], expected: readonly number[]): void {
  if (expected.length !== observed.length)
    throw new RangeError(
      `chiSquareGoodnessOfFit: expected has ${expected.length} categories, observed has ${observed.length}`,
    )
  checkSample('chiSquareGoodnessOfFit: expected', expected, 2)
  expected.forEach((e, i) => {
    if (e <= 0) throw new RangeError(`chiSquareGoodnessOfFit: expected[${i}] must be > 0, got ${e}`)
  })
  const totalObserved = observed.reduce((s, o) => s + o, 0)
  const totalExpected = expected.reduce((s, e) => s + e, 0)
  const relative = Math.abs(totalObserved - totalExpected) / Math.min(totalObserved, totalExpected)
  if (relative > SUM_TOLERANCE)
    throw new RangeError(
      `chiSquareGoodnessOfFit: expected total ${totalExpected} must equal observed total ${totalObserved} (relative difference ${relative.toExponential(2)} > ${SUM_TOLERANCE.toExponential(2)})`,
    )
}

/** SciPy's tolerance on the totals: the square root of double-precision epsilon. */
const SUM_TOLERANCE = Math.sqrt(Number.EPSILON)
