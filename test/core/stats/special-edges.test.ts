// Edge inputs of shipgate's distribution functions (src/core/stats/special/) against the
// @stdlib packages they replaced (test-only dependencies): NaN, infinities, arguments out of range.
// Where @stdlib's answer is not the mathematical one (t with df = Infinity, chi-square at
// x = Infinity) the test says so and asserts the mathematical one.
import binomialCdfStdlib from '@stdlib/stats-base-dists-binomial-cdf'
import normalCdfStdlib from '@stdlib/stats-base-dists-normal-cdf'
import normalQuantileStdlib from '@stdlib/stats-base-dists-normal-quantile'
import tCdfStdlib from '@stdlib/stats-base-dists-t-cdf'
import tQuantileStdlib from '@stdlib/stats-base-dists-t-quantile'
import { describe, expect, it } from 'vitest'
import {
  binomialCdf,
  chiSquareSf,
  normalCdf,
  normalQuantile,
  tCdf,
  tQuantile,
} from '../../../src/core/stats/distributions.js'

/** |value - reference| / |reference|. */
function relativeError(value: number, reference: number): number {
  return value === reference ? 0 : Math.abs(value - reference) / Math.abs(reference)
}

describe('edge inputs behave as @stdlib does', () => {
  it('normal: NaN, infinities, p outside [0, 1]', () => {
    for (const x of [Number.NaN, Infinity, -Infinity, -40, 40]) {
      expect(normalCdf(x)).toStrictEqual(normalCdfStdlib(x, 0, 1))
    }
    for (const p of [Number.NaN, 0, 1, -0.1, 1.1]) {
      expect(normalQuantile(p)).toStrictEqual(normalQuantileStdlib(p, 0, 1))
    }
  })

  it('t: NaN, df <= 0, infinite x, p at and outside [0, 1]', () => {
    for (const [x, df] of [
      [Number.NaN, 3],
      [1, Number.NaN],
      [1, 0],
      [1, -1],
      [Infinity, 3],
      [-Infinity, 3],
      [0, 3],
    ]) {
      expect(tCdf(x!, df!)).toStrictEqual(tCdfStdlib(x!, df!))
    }
    for (const [p, df] of [
      [Number.NaN, 3],
      [0.5, Number.NaN],
      [0.5, 0],
      [0, 3],
      [1, 3],
      [-0.1, 3],
      [1.1, 3],
      [0.5, 3],
      [1e-300, 0.5],
    ]) {
      expect(tQuantile(p!, df!)).toStrictEqual(tQuantileStdlib(p!, df!))
    }
  })

  it('t with df = Infinity is the normal (@stdlib gives 0.5 and NaN there)', () => {
    expect(tCdf(1.5, Infinity)).toBe(normalCdf(1.5))
    expect(tQuantile(0.975, Infinity)).toBe(normalQuantile(0.975))
  })

  it('chi-square: x <= 0 is 1, NaN and df <= 0 are NaN, x = Infinity is 0 (@stdlib: NaN)', () => {
    expect(chiSquareSf(0, 4)).toBe(1)
    expect(chiSquareSf(-1, 4)).toBe(1)
    expect(chiSquareSf(Number.NaN, 4)).toBeNaN()
    expect(chiSquareSf(1, Number.NaN)).toBeNaN()
    expect(chiSquareSf(1, 0)).toBeNaN()
    expect(chiSquareSf(1, -2)).toBeNaN()
    expect(chiSquareSf(Infinity, 4)).toBe(0)
  })

  it('binomial: NaN, p outside [0, 1], bad n, k outside [0, n), non-integer k, p at 0 and 1', () => {
    const cases = [
      [Number.NaN, 3, 0.5],
      [1, Number.NaN, 0.5],
      [1, 3, Number.NaN],
      [1, 3, -0.1],
      [1, 3, 1.1],
      [-1, 3, 0.5],
      [3, 3, 0.5],
      [1.5, 3, 0.5],
      [1.9999999, 3, 0.5],
      [1, 3.5, 0.5],
      [1, -3, 0.5],
      [1, 3, 0],
      [1, 3, 1],
      [0, 0, 0.5],
      [-0.5, 3, 0.5],
      [Infinity, 3, 0.5],
      [1, Infinity, 0.5],
    ] as const
    for (const [k, n, p] of cases) {
      const reference = binomialCdfStdlib(k, n, p)
      if (Number.isNaN(reference)) expect(binomialCdf(k, n, p)).toBeNaN()
      else
        expect(relativeError(binomialCdf(k, n, p), reference), `${k} ${n} ${p}`).toBeLessThan(1e-14)
    }
  })
})
