import { describe, expect, it } from 'vitest'
import { mcnemarExact, twoProportionZTest } from '../../../src/core/stats/proportions.js'

describe('mcnemarExact', () => {
  it('is twice the binomial tail of the smaller discordant count', () => {
    // 1 vs 12 discordant: 2 * P(X <= 1), X ~ Binom(13, 1/2) = 2 * 14 / 8192.
    const r = mcnemarExact(1, 12)
    expect(r).toMatchObject({ statistic: 1, alternative: 'two-sided', n: 13 })
    expect(r.pValue).toBeCloseTo(28 / 8192, 15)
    expect(mcnemarExact(12, 1).pValue).toBe(r.pValue)
  })

  it('caps p at 1 and gives 1 with no discordant pairs', () => {
    expect(mcnemarExact(4, 4).pValue).toBe(1)
    expect(mcnemarExact(0, 0)).toMatchObject({ statistic: 0, pValue: 1, n: 0 })
  })

  it('reaches tiny p-values', () => {
    expect(mcnemarExact(0, 40).pValue / 2 ** -39).toBeCloseTo(1, 12)
  })

  it('rejects counts that are not counts', () => {
    expect(() => mcnemarExact(-1, 3)).toThrow(RangeError)
    expect(() => mcnemarExact(-1, 3)).toThrow(
      new RangeError('mcnemarExact: b must be a non-negative integer count, got -1'),
    )
    expect(() => mcnemarExact(1, 2.5)).toThrow('mcnemarExact: c must be a non-negative integer')
    expect(() => mcnemarExact(NaN, 2)).toThrow('mcnemarExact: b must be')
  })
})

describe('twoProportionZTest', () => {
  it('uses the pooled SE for z and the unpooled SE for the interval', () => {
    const r = twoProportionZTest(45, 50, 38, 50)
    const pooled = 83 / 100
    expect(r.statistic).toBeCloseTo(0.14 / Math.sqrt(pooled * (1 - pooled) * (2 / 50)), 12)
    expect(r.pValue).toBeCloseTo(0.062388854870252905, 12)
    const se = Math.sqrt((0.9 * 0.1) / 50 + (0.76 * 0.24) / 50)
    expect(r.difference.se).toBeCloseTo(se, 14)
    expect(r.difference.value).toBeCloseTo(0.14, 14)
    expect(r.difference.lower).toBeCloseTo(0.14 - 1.959963984540054 * se, 12)
  })

  it('gives one-sided p-values and bounds', () => {
    const greater = twoProportionZTest(45, 50, 38, 50, { alternative: 'greater' })
    expect(greater.pValue).toBeCloseTo(0.031194427435126452, 12)
    expect(greater.difference.upper).toBe(Infinity)
    const less = twoProportionZTest(45, 50, 38, 50, { alternative: 'less' })
    expect(less.pValue).toBeCloseTo(1 - 0.031194427435126452, 12)
    expect(less.difference.lower).toBe(-Infinity)
  })

  it('gives z 0 and p 1 when every outcome is the same', () => {
    const r = twoProportionZTest(20, 20, 30, 30)
    expect(r).toMatchObject({ statistic: 0, pValue: 1 })
    expect(r.difference).toMatchObject({ value: 0, lower: 0, upper: 0, se: 0 })
    expect(twoProportionZTest(0, 10, 0, 5).pValue).toBe(1)
  })

  it('rejects groups that make no sense', () => {
    expect(() => twoProportionZTest(0, 0, 1, 2)).toThrow(
      new RangeError('twoProportionZTest: n1 must be at least 1, got 0'),
    )
    expect(() => twoProportionZTest(1, 2, 3, 2)).toThrow(
      'twoProportionZTest: x2 (3) must not exceed n2 (2)',
    )
    expect(() => twoProportionZTest(1, 2, -1, 2)).toThrow('x2 must be a non-negative integer')
    expect(() => twoProportionZTest(1, 2, 1, 2, { level: 0 })).toThrow(
      'twoProportionZTest: level must be strictly between 0 and 1, got 0',
    )
  })
})
