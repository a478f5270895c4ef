import { describe, expect, it } from 'vitest'
import { chiSquareGoodnessOfFit, pairedTTest, welchTTest } from '../../../src/core/stats/tests.js'

describe('welchTTest', () => {
  it('matches the textbook example', () => {
    // scipy.stats.ttest_ind([1, 2, 3], [1, 2, 5, 7], equal_var=False)
    const r = welchTTest([1, 2, 3], [1, 2, 5, 7])
    expect(r.statistic).toBeCloseTo(-1.1721057015904899, 12)
    expect(r.df).toBeCloseTo(3.9638776687824575, 12)
    expect(r.pValue).toBeCloseTo(0.30674939028068127, 12)
    expect(r.difference.value).toBeCloseTo(-1.75, 14)
  })

  it('halves the p-value and opens the interval for a one-sided alternative', () => {
    const two = welchTTest([1, 2, 3], [1, 2, 5, 7])
    const less = welchTTest([1, 2, 3], [1, 2, 5, 7], { alternative: 'less' })
    expect(less.pValue).toBeCloseTo(two.pValue / 2, 14)
    expect(less.difference.lower).toBe(-Infinity)
    expect(less.difference.upper).toBeLessThan(two.difference.upper)
    const greater = welchTTest([1, 2, 3], [1, 2, 5, 7], { alternative: 'greater' })
    expect(greater.pValue).toBeCloseTo(1 - two.pValue / 2, 14)
    expect(greater.difference.upper).toBe(Infinity)
  })

  it('follows SciPy on constant samples', () => {
    const apart = welchTTest([1, 1, 1], [2, 2, 2])
    expect(apart).toMatchObject({ statistic: -Infinity, pValue: 0, df: 1 })
    expect(apart.difference).toMatchObject({ value: -1, lower: -1, upper: -1, se: 0 })
    const same = welchTTest([1, 1], [1, 1])
    expect(same.statistic).toBeNaN()
    expect(same.pValue).toBeNaN()
  })

  it('rejects samples too small for a variance and unknown alternatives', () => {
    expect(() => welchTTest([1], [1, 2])).toThrow('welchTTest: a needs at least 2 value(s), got 1')
    expect(() => welchTTest([1, 2], [1, Infinity])).toThrow(
      'welchTTest: b[1] must be a finite number, got Infinity',
    )
    expect(() =>
      welchTTest([1, 2], [1, 3], { alternative: 'larger' as unknown as 'greater' }),
    ).toThrow(`welchTTest: alternative must be 'two-sided', 'greater' or 'less', got "larger"`)
  })
})

describe('pairedTTest', () => {
  it('is the one-sample t-test of the differences', () => {
    // Differences 1, 2, 3: t = 2 / (1 / sqrt(3)), df 2; scipy.stats.ttest_rel p = 0.07417990022744853.
    const r = pairedTTest([2, 4, 6], [1, 2, 3])
    expect(r.statistic).toBeCloseTo(2 * Math.sqrt(3), 12)
    expect(r.df).toBe(2)
    expect(r.pValue).toBeCloseTo(0.07417990022744853, 12)
    expect(r.difference.value).toBe(2)
  })

  it('gives NaN when every difference is zero', () => {
    const r = pairedTTest([1, 2, 3], [1, 2, 3])
    expect(r.statistic).toBeNaN()
    expect(r.pValue).toBeNaN()
  })

  it('needs two pairs of equal length', () => {
    expect(() => pairedTTest([1], [2])).toThrow('pairedTTest: a needs at least 2 value(s), got 1')
    expect(() => pairedTTest([1, 2, 3], [1, 2])).toThrow('same length')
  })
})

describe('chiSquareGoodnessOfFit', () => {
  it('tests against a uniform distribution by default', () => {
    // scipy.stats.chisquare([16, 18, 16, 14, 12, 12])
    const r = chiSquareGoodnessOfFit([16, 18, 16, 14, 12, 12])
    expect(r.statistic).toBeCloseTo(2, 12)
    expect(r.df).toBe(5)
    expect(r.pValue).toBeCloseTo(0.8491450360846096, 12)
  })

  it('gives p 1 for a perfect fit and lowers df by ddof', () => {
    expect(chiSquareGoodnessOfFit([5, 5, 5])).toEqual({ statistic: 0, df: 2, pValue: 1 })
    expect(chiSquareGoodnessOfFit([4, 6, 5], undefined, 1).df).toBe(1)
  })

  it('accepts totals equal within the tolerance', () => {
    const r = chiSquareGoodnessOfFit([10, 20], [15, 15 * (1 + 1e-10)])
    expect(r.statistic).toBeCloseTo(10 / 3, 8)
  })

  it('rejects mismatched totals with a clear message', () => {
    expect(() => chiSquareGoodnessOfFit([10, 20], [10, 10])).toThrow(
      new RangeError(
        'chiSquareGoodnessOfFit: expected total 20 must equal observed total 30 (relative difference 5.00e-1 > 1.49e-8)',
      ),
    )
  })

  it('rejects inputs that make no sense', () => {
    expect(() => chiSquareGoodnessOfFit([3])).toThrow('observed needs at least 2 value(s), got 1')
    expect(() => chiSquareGoodnessOfFit([3, -1])).toThrow('observed[1] must be >= 0, got -1')
    expect(() => chiSquareGoodnessOfFit([0, 0])).toThrow('observed counts sum to 0')
    expect(() => chiSquareGoodnessOfFit([3, 3], [6, 0])).toThrow('expected[1] must be > 0, got 0')
    expect(() => chiSquareGoodnessOfFit([3, 3], [2, 2, 2])).toThrow(
      'expected has 3 categories, observed has 2',
    )
    expect(() => chiSquareGoodnessOfFit([3, 3], undefined, 1)).toThrow(
      'ddof 1 leaves 0 degrees of freedom for 2 categories; need at least 1',
    )
    expect(() => chiSquareGoodnessOfFit([3, 3], undefined, -1)).toThrow(
      'ddof must be a non-negative integer count, got -1',
    )
  })
})
