import { describe, expect, it } from 'vitest'
import { pairedDifference } from '../../../src/core/stats/intervals.js'

describe('pairedDifference', () => {
  it('gives the mean difference with a t interval', () => {
    // Differences 1, 2, 3: mean 2, sd 1, se 1/sqrt(3), t(0.975, 2) = 4.302652729749462.
    const e = pairedDifference([2, 4, 6], [1, 2, 3])
    expect(e.value).toBe(2)
    expect(e.se).toBeCloseTo(1 / Math.sqrt(3), 14)
    expect(e.df).toBe(2)
    expect(e.n).toBe(3)
    expect(e.lower).toBeCloseTo(2 - 4.302652729749462 / Math.sqrt(3), 12)
    expect(e.upper).toBeCloseTo(2 + 4.302652729749462 / Math.sqrt(3), 12)
    expect(e.level).toBe(0.95)
  })

  it('narrows at a lower level', () => {
    const wide = pairedDifference([2, 4, 7, 1], [1, 2, 3, 1])
    const narrow = pairedDifference([2, 4, 7, 1], [1, 2, 3, 1], 0.8)
    expect(narrow.upper - narrow.lower).toBeLessThan(wide.upper - wide.lower)
    expect(narrow.level).toBe(0.8)
  })

  it('gives the whole line for one pair', () => {
    const e = pairedDifference([0.9], [0.4])
    expect(e).toMatchObject({ value: 0.5, lower: -Infinity, upper: Infinity, df: 0, n: 1 })
    expect(e.se).toBeNaN()
  })

  it('gives a point interval when every difference is equal', () => {
    const e = pairedDifference([1, 2, 3], [0.5, 1.5, 2.5])
    expect(e).toMatchObject({ value: 0.5, lower: 0.5, upper: 0.5, se: 0 })
  })

  it('rejects inputs that make no sense', () => {
    expect(() => pairedDifference([], [])).toThrow(RangeError)
    expect(() => pairedDifference([], [])).toThrow(
      new RangeError('pairedDifference: a needs at least 1 value(s), got 0'),
    )
    expect(() => pairedDifference([1, 2], [1])).toThrow(
      'pairedDifference: a and b must be paired (same length), got 2 and 1',
    )
    expect(() => pairedDifference([1, NaN], [1, 2])).toThrow(
      'pairedDifference: a[1] must be a finite number, got NaN',
    )
    expect(() => pairedDifference([1, 2], [1, 2], 1)).toThrow(
      'pairedDifference: level must be strictly between 0 and 1, got 1',
    )
  })
})
