import { describe, expect, it } from 'vitest'
import {
  binomialCdf,
  chiSquareSf,
  normalCdf,
  normalQuantile,
  normalSf,
  tCdf,
  tQuantile,
  tSf,
} from '../../../src/core/stats/distributions.js'
import { Z95 } from '../../../src/core/stats/intervals.js'

describe('distribution wrappers', () => {
  it('give the textbook normal values', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(Z95, 12)
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 12)
    expect(normalSf(0)).toBe(0.5)
  })

  it('keep the precision of small upper tails', () => {
    // scipy.stats.norm.sf(10) = 7.61985302416047e-24; 1 - cdf(10) would be 0.
    expect(normalSf(10) / 7.61985302416047e-24).toBeCloseTo(1, 10)
    // scipy.stats.chi2.sf(200, 3) = 4.218541107192018e-43.
    expect(chiSquareSf(200, 3) / 4.218541107192018e-43).toBeCloseTo(1, 10)
  })

  it('give the textbook t values', () => {
    expect(tQuantile(0.975, 10)).toBeCloseTo(2.228138851986274, 12)
    expect(tCdf(2.228138851986274, 10)).toBeCloseTo(0.975, 12)
    expect(tSf(2.228138851986274, 10)).toBeCloseTo(0.025, 12)
  })

  it('give the chi-square 5% critical value and exact binomial sums', () => {
    expect(chiSquareSf(3.841458820694124, 1)).toBeCloseTo(0.05, 12)
    expect(chiSquareSf(0, 4)).toBe(1)
    expect(binomialCdf(1, 3, 0.5)).toBeCloseTo(0.5, 14)
    expect(binomialCdf(0, 10, 0.5)).toBeCloseTo(1 / 1024, 16)
  })
})
