// Tests on pass/fail outcomes: McNemar for paired pass/fail, the two-proportion z-test for
// independent groups.
import { binomialCdf, normalQuantile, normalSf } from './distributions.js'
import { symmetricBounds, symmetricPValue } from './tails.js'
import type { Alternative, SeEstimate, TestResult } from './types.js'
import { checkAlternative, checkCount, checkOpenUnit } from './validate.js'

/** Exact McNemar test: the statistic is min(b, c); `n` is the number of discordant pairs. */
export interface McNemarResult extends TestResult {
  readonly n: number
}

/**
 * Exact (binomial) McNemar test of paired pass/fail outcomes from the discordant counts: `b`
 * cases passed only in the first run, `c` only in the second. Two-sided
 * p = min(1, 2·Binom.cdf(min(b, c); b + c, 1/2)), as statsmodels `mcnemar(exact=True)`.
 * No discordant pairs give p = 1.
 */
export function mcnemarExact(b: number, c: number): McNemarResult {
  checkCount('mcnemarExact: b', b)
  checkCount('mcnemarExact: c', c)
  const n = b + c
  const statistic = Math.min(b, c)
  const pValue = n === 0 ? 1 : Math.min(1, 2 * binomialCdf(statistic, n, 0.5))
  return { statistic, pValue, alternative: 'two-sided', n }
}

/** Options of {@link twoProportionZTest}. */
export interface TwoProportionOptions {
  /** Default `two-sided`; `greater` tests p1 > p2. */
  readonly alternative?: Alternative
  /** Confidence level of `difference`'s interval; default 0.95. */
  readonly level?: number
}

/** The z-test result with p1 - p2 and its unpooled Wald interval. */
export interface TwoProportionResult extends TestResult {
  readonly difference: SeEstimate
}

/**
 * Two-proportion z-test of x1/n1 against x2/n2. The statistic uses the pooled standard error
 * (as statsmodels `proportions_ztest`); `difference` is p1 - p2 with the unpooled Wald
 * interval at `level`, one-sided for one-sided alternatives like the t-tests. When both
 * groups are all-pass or all-fail the pooled SE is 0: z is 0 and p is 1 (statsmodels gives
 * NaN), since the data show no difference.
 */
export function twoProportionZTest(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
  options: TwoProportionOptions = {},
): TwoProportionResult {
  checkGroup('x1', x1, 'n1', n1)
  checkGroup('x2', x2, 'n2', n2)
  const alternative = options.alternative ?? 'two-sided'
  const level = options.level ?? 0.95
  checkAlternative('twoProportionZTest: alternative', alternative)
  checkOpenUnit('twoProportionZTest: level', level)
  const p1 = x1 / n1
  const p2 = x2 / n2
  const pooled = (x1 + x2) / (n1 + n2)
  const pooledSe = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
  const statistic = pooledSe === 0 ? 0 : (p1 - p2) / pooledSe
  const pValue = symmetricPValue(statistic, alternative, normalSf)
  const se = Math.sqrt((p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2)
  const bounds = symmetricBounds(p1 - p2, se, level, alternative, normalQuantile)
  return { statistic, pValue, alternative, difference: { value: p1 - p2, ...bounds, level, se } }
}

/** Throws unless `x` successes out of `n` trials is a valid group (n >= 1, 0 <= x <= n). */
function checkGroup(xName: string, x: number, nName: string, n: number): void {
  checkCount(`twoProportionZTest: ${xName}`, x)
  checkCount(`twoProportionZTest: ${nName}`, n)
  if (n === 0) throw new RangeError(`twoProportionZTest: ${nName} must be at least 1, got 0`)
  if (x > n)
    throw new RangeError(`twoProportionZTest: ${xName} (${x}) must not exceed ${nName} (${n})`)
}
