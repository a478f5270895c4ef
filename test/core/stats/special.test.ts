// shipgate's own distribution functions (src/core/stats/special/) against the @stdlib packages
// they replaced, which stay as devDependencies for this test only. Every comparison allows 1e-10
// relative error where @stdlib's value is at least 1e-300, and 1e-300 absolute below that; the
// maximum relative error measured on each grid is in the test's name. Where @stdlib itself is
// inaccurate the comparison is made against mpmath (50+ digits) or a closed form instead.
import binomialCdfStdlib from '@stdlib/stats-base-dists-binomial-cdf'
import normalCdfStdlib from '@stdlib/stats-base-dists-normal-cdf'
import normalQuantileStdlib from '@stdlib/stats-base-dists-normal-quantile'
import tCdfStdlib from '@stdlib/stats-base-dists-t-cdf'
import tQuantileStdlib from '@stdlib/stats-base-dists-t-quantile'
import gammaincStdlib from '@stdlib/math-base-special-gammainc'
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

const TOLERANCE = 1e-10
const TINY = 1e-300

/** Relative error of `value` against `reference`, under the 1e-300 absolute floor. */
function relativeError(value: number, reference: number): number {
  if (Object.is(value, reference) || (Number.isNaN(value) && Number.isNaN(reference))) return 0
  if (!Number.isFinite(reference) || !Number.isFinite(value)) return Infinity
  if (Math.abs(reference) < TINY) return Math.abs(value - reference) <= TINY ? 0 : Infinity
  return Math.abs(value - reference) / Math.abs(reference)
}

/** Largest relative error over [value, reference] pairs. */
function worst(pairs: readonly (readonly [number, number])[]): number {
  return Math.max(0, ...pairs.map(([value, reference]) => relativeError(value, reference)))
}

/** from, from + step, ... up to `to`, built from integers so the points are reproducible. */
function range(from: number, to: number, step: number): number[] {
  const count = Math.round((to - from) / step)
  return Array.from({ length: count + 1 }, (_, i) => from + i * step)
}

/** 10^e for e over [from, to] in steps of `step`. */
function logRange(from: number, to: number, step: number): number[] {
  return range(from, to, step).map((e) => 10 ** e)
}

const T_DFS = [0.5, 1, 1.5, 2, 3, 4.7, 10, 29.3, 100, 1e3, 1e5, 1e6, 1e8, 1e10]
/** p from 1e-300 to 0.5 log-spaced, and the same distances below 1. */
const LOWER_PS = logRange(-300, -0.31, 0.25)
const UPPER_PS = logRange(-16, -0.31, 0.05).map((q) => 1 - q)
const CENTRAL_PS = range(1, 99, 1).map((k) => k / 100)

describe('normal distribution against @stdlib', () => {
  const xs = range(-38, 38, 0.01)

  it('normalCdf over x in [-38, 38] (max rel err 1.8e-13, at x = -36.6 where mpmath sides with us)', () => {
    expect(worst(xs.map((x) => [normalCdf(x), normalCdfStdlib(x, 0, 1)]))).toBeLessThanOrEqual(
      TOLERANCE,
    )
  })

  it('normalSf(x) = cdf(-x) over x in [-38, 38] (max rel err 1.8e-13)', () => {
    expect(worst(xs.map((x) => [normalSf(x), normalCdfStdlib(-x, 0, 1)]))).toBeLessThanOrEqual(
      TOLERANCE,
    )
    expect(relativeError(normalSf(10), 7.61985302416047e-24)).toBeLessThan(1e-14)
  })

  it('normalQuantile over the upper tail to 1 - 1e-16 and p >= 1e-5 (max rel err 1.3e-13)', () => {
    const ps = [...UPPER_PS, ...CENTRAL_PS, ...logRange(-5, -0.31, 0.01)]
    expect(
      worst(ps.map((p) => [normalQuantile(p), normalQuantileStdlib(p, 0, 1)])),
    ).toBeLessThanOrEqual(TOLERANCE)
  })

  it('normalQuantile in the far lower tail against mpmath, where @stdlib loses digits', () => {
    // @stdlib's quantile is off by 4e-6 at p = 1e-13 and 1e-2 at p = 3e-17 (it works from 2p - 1),
    // and returns -Infinity below 1e-308. mpmath 1.3 root of ncdf(x) = p at 60 digits:
    const reference = [
      [1e-7, -5.1993375821928165],
      [1e-10, -6.361340902404057],
      [1e-13, -7.348796102800677],
      [1e-16, -8.222082216130435],
      [1e-20, -9.262340089798407],
      [1e-30, -11.464024688443615],
      [1e-50, -14.933337534788489],
      [1e-75, -18.377208319607927],
      [1e-100, -21.273453560965326],
      [1e-150, -26.122961190593983],
      [1e-200, -30.20559417957964],
      [1e-250, -33.79958617269484],
      [1e-300, -37.0470962993612],
    ] as const
    expect(worst(reference.map(([p, x]) => [normalQuantile(p), x]))).toBeLessThan(1e-15)
    // Over the whole lower grid the quantile inverts the cdf; the cdf's slope at x = -37 turns the
    // last bit of x into x² ≈ 1400 units of p, hence 1e-12 rather than 1e-15.
    expect(worst(LOWER_PS.map((p) => [normalCdf(normalQuantile(p)), p]))).toBeLessThan(1e-12)
  })

  it('normalQuantile keeps tiny x near p = 1/2', () => {
    const p = 0.5 + 1e-12
    // Φ⁻¹(1/2 + c) = c√(2π) + O(c³), with c = p - 1/2 exactly as rounded.
    expect(relativeError(normalQuantile(p), (p - 0.5) * 2.5066282746310002)).toBeLessThan(1e-14)
    expect(normalQuantile(0.5)).toBe(0)
  })
})

describe('Student t against @stdlib', () => {
  const xs = logRange(-8, 3, 0.02).flatMap((x) => [x, -x])

  it('tCdf and tSf over |x| in [1e-8, 1e3] for 14 dfs from 0.5 to 1e10 (max rel err 3.0e-13)', () => {
    for (const df of T_DFS) {
      // @stdlib's df = 1 cdf is off by up to 3e-9 for |x| < 1e-4; checked against atan below.
      const grid = df === 1 ? xs.filter((x) => Math.abs(x) >= 1e-4) : xs
      expect(
        worst(grid.map((x) => [tCdf(x, df), tCdfStdlib(x, df)])),
        `df ${df}`,
      ).toBeLessThanOrEqual(TOLERANCE)
      expect(
        worst(grid.map((x) => [tSf(x, df), tCdfStdlib(-x, df)])),
        `df ${df}`,
      ).toBeLessThanOrEqual(TOLERANCE)
    }
  })

  it('tCdf with df = 1 and 2 matches the closed forms (max rel err 5e-15)', () => {
    expect(
      worst(
        xs.map((x) => [
          tCdf(x, 1),
          x < 0 ? Math.atan(-1 / x) / Math.PI : 1 - Math.atan(1 / x) / Math.PI,
        ]),
      ),
    ).toBeLessThan(1e-14)
    const cauchyTail = (x: number): number => Math.atan(1 / x) / Math.PI
    expect(relativeError(tSf(1e100, 1), cauchyTail(1e100))).toBeLessThan(1e-14)
    const twoDf = (x: number): number => 0.5 + x / (2 * Math.sqrt(2 + x * x))
    expect(worst(xs.filter((x) => x > 0).map((x) => [tCdf(x, 2), twoDf(x)]))).toBeLessThan(1e-14)
  })

  it('tQuantile over p from 1e-300 to 1 - 1e-16 for 14 dfs (max rel err 1.3e-14)', () => {
    for (const df of T_DFS) {
      const ps = [...LOWER_PS, ...UPPER_PS, ...CENTRAL_PS]
      // @stdlib overflows to -Infinity for quantiles beyond ~1e302 (df = 0.5, p < 1e-151) while
      // the true value is finite; those points are checked by inverting the cdf instead.
      const finite = ps.filter((p) => Number.isFinite(tQuantileStdlib(p, df)))
      const overflowed = ps.filter((p) => !Number.isFinite(tQuantileStdlib(p, df)))
      expect(
        worst(finite.map((p) => [tQuantile(p, df), tQuantileStdlib(p, df)])),
        `df ${df}`,
      ).toBeLessThanOrEqual(TOLERANCE)
      const inverted = overflowed.map((p) => {
        const x = tQuantile(p, df)
        // Infinite only when even the largest double leaves more than p in the tail.
        const cdf = x === -Infinity && tCdf(-Number.MAX_VALUE, df) > p ? p : tCdf(x, df)
        return [cdf, p] as const
      })
      expect(worst(inverted), `df ${df}`).toBeLessThan(1e-13)
    }
  })

  it('t with df from 1e16 to 1e300 tends to the normal (the @stdlib quantile returns 0 there)', () => {
    const xs = range(-38, 38, 0.25)
    for (const df of [1e16, 1e18, 1e19, 1e20, 1e30, 1e300]) {
      // The t and normal tails differ by about x⁴/(4 df): 6e-11 at df = 1e16, |x| = 38.
      const pairs = xs.map((x) => [tCdf(x, df), normalCdf(x)] as const)
      expect(worst(pairs), `df ${df}`).toBeLessThan(1e-10)
      const quantiles = LOWER_PS.map((p) => [tQuantile(p, df), normalQuantile(p)] as const)
      expect(worst(quantiles), `df ${df}`).toBeLessThan(1e-10)
    }
    // 1e-8 · φ(0) below 1/2: z = df/(df + x²) rounds to 1 here, y = x²/df does not.
    expect(relativeError(0.5 - tCdf(-1e-8, 1e17), 3.989422804014327e-9)).toBeLessThan(1e-7)
  })

  it('tQuantile past the largest double is -Infinity, as in @stdlib', () => {
    expect(tQuantile(1e-300, 0.5)).toBe(-Infinity)
    expect(tQuantile(1 - 1e-300, 0.5)).toBe(Infinity)
  })

  it('tQuantile keeps tiny x near p = 1/2, where @stdlib returns 0', () => {
    for (const df of [0.5, 3, 1e8]) {
      const p = 0.5 + 1e-12
      const x = tQuantile(p, df)
      expect(tQuantileStdlib(p, df)).toBe(0)
      expect(relativeError(tCdf(x, df) - 0.5, p - 0.5), `df ${df}`).toBeLessThan(1e-10)
    }
  })
})

describe('chi-square and binomial against @stdlib', () => {
  it('chiSquareSf for df 1..1000 and x in [1e-6, 3000] (max rel err 2.4e-13)', () => {
    for (const df of [1, 2, 3, 4, 7, 10, 50, 200, 1000]) {
      // @stdlib's Q(500, x/2) is off by 1e-3 for x > 2000; checked against mpmath below.
      const xs = logRange(-6, Math.log10(3000), 0.01).filter((x) => df < 1000 || x < 2000)
      const pairs = xs.map(
        (x) => [chiSquareSf(x, df), gammaincStdlib(x / 2, df / 2, true, true)] as const,
      )
      expect(worst(pairs), `df ${df}`).toBeLessThanOrEqual(TOLERANCE)
    }
  })

  it('chiSquareSf with df = 1000 far out matches mpmath', () => {
    const reference = [
      [2100, 2.85854509454301e-80],
      [2500, 2.1059268048481405e-129],
      [3000, 1.6436845843569544e-198],
    ] as const
    expect(worst(reference.map(([x, q]) => [chiSquareSf(x, 1000), q]))).toBeLessThan(1e-13)
  })

  it('binomialCdf for n from 1 to 1e5, k across 0..n, 7 values of p (max rel err 5.3e-12)', () => {
    for (const n of [1, 2, 5, 10, 50, 100, 1000, 10000, 100000]) {
      const ks = range(0, n, Math.max(1, Math.floor(n / 500)))
      for (const p of [1e-6, 0.01, 0.1, 0.3, 0.5, 0.7, 0.99]) {
        const pairs = ks.map((k) => [binomialCdf(k, n, p), binomialCdfStdlib(k, n, p)] as const)
        expect(worst(pairs), `n ${n} p ${p}`).toBeLessThanOrEqual(TOLERANCE)
      }
    }
  })
})
