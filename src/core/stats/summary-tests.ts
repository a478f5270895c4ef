// Tests from sufficient statistics (count, sum, sum of squares per group) rather than raw
// values, for data that arrive aggregated, as an online experiment's per-arm totals do.
import { tResult, type TTestOptions, type TTestResult } from './tests.js'
import { checkAlternative, checkFinite, checkOpenUnit } from './validate.js'

/** A group's sufficient statistics: how many values, their sum and the sum of their squares. */
export interface SampleTotals {
  readonly count: number
  readonly sum: number
  readonly sumSquares: number
}

/** A group summarized: its size, mean and sample variance (n − 1 denominator). */
export interface SampleSummary {
  readonly count: number
  readonly mean: number
  readonly variance: number
}

/**
 * Mean and sample variance from totals. The variance is (Σx² − n·x̄²)/(n − 1), clamped at 0
 * against rounding; one value has variance 0. Throws on a count below 1 or non-finite totals.
 */
export function summarize(label: string, totals: SampleTotals): SampleSummary {
  const { count, sum, sumSquares } = totals
  if (!(Number.isInteger(count) && count >= 1))
    throw new RangeError(`${label}: count must be a whole number >= 1, got ${count}`)
  checkFinite(`${label}: sum`, sum)
  checkFinite(`${label}: sumSquares`, sumSquares)
  const mean = sum / count
  const variance = count < 2 ? 0 : Math.max(0, (sumSquares - count * mean * mean) / (count - 1))
  return { count, mean, variance }
}

/**
 * Welch's unequal-variance t-test of mean(a) − mean(b) from summaries, as
 * `scipy.stats.ttest_ind_from_stats(mean1, std1, n1, mean2, std2, n2, equal_var=False)` (std
 * with ddof 1), with the Welch–Satterthwaite degrees of freedom and the interval at `level`.
 * Needs two values per group and some spread in one of them.
 */
export function welchFromSummary(
  a: SampleSummary,
  b: SampleSummary,
  options: TTestOptions = {},
): TTestResult {
  const alternative = options.alternative ?? 'two-sided'
  const level = options.level ?? 0.95
  checkAlternative('welchFromSummary: alternative', alternative)
  checkOpenUnit('welchFromSummary: level', level)
  if (a.count < 2 || b.count < 2)
    throw new RangeError(
      `welchFromSummary needs two values per group, got ${a.count} and ${b.count}`,
    )
  const va = a.variance / a.count
  const vb = b.variance / b.count
  if (!(va + vb > 0))
    throw new RangeError('welchFromSummary: both groups have variance 0; there is nothing to test')
  const df = (va + vb) ** 2 / (va ** 2 / (a.count - 1) + vb ** 2 / (b.count - 1))
  return tResult(a.mean - b.mean, Math.sqrt(va + vb), df, { alternative, level })
}
