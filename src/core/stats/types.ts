import type { Estimate } from '../../contracts/results.js'

/**
 * Alternative hypothesis of a test, named as in SciPy: `greater` means the first sample (or
 * the first proportion) is larger than the second.
 */
export type Alternative = 'two-sided' | 'greater' | 'less'

/** Outcome of a hypothesis test. */
export interface TestResult {
  /** The test statistic (z, t, chi-square, U or count, as each test documents). */
  readonly statistic: number
  /** The p-value under the null hypothesis, in [0, 1], or NaN where a test documents it. */
  readonly pValue: number
  readonly alternative: Alternative
}

/** An estimate with the standard error its interval used. */
export interface SeEstimate extends Estimate {
  /** Standard error of `value`. */
  readonly se: number
}

/** An estimate with the standard error and degrees of freedom its t interval used. */
export interface TEstimate extends SeEstimate {
  /** Degrees of freedom of the t distribution behind the interval. */
  readonly df: number
}
