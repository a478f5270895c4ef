import { describe, expect, it } from 'vitest'
import { binomialCdf } from '../../../src/core/stats/distributions.js'
import {
  REFERENCE_SPLIT,
  sequentialOddsAgainstSample,
} from '../../../src/core/stats/reference-sample.js'
import { sequentialOddsTest } from '../../../src/core/stats/sequential.js'
import { seededRandom } from '../../../src/utils/random.js'
import { binomial } from '../../helpers/sampling.js'

/** The Clopper–Pearson upper bound at `level`, by bisection: the definition, written apart. */
function upper(x: number, n: number, level: number): number {
  let lo = 0
  let hi = 1
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2
    if (binomialCdf(x, n, mid) > level) lo = mid
    else hi = mid
  }
  return hi
}

/** Whether the test rejects at level a, computed as the Berger–Boos construction states it. */
function rejectsAt(looks: { x: number; n: number }[], ref: { x: number; n: number }, a: number) {
  const q0 = upper(ref.x, ref.n, REFERENCE_SPLIT * a) + 0.02
  return sequentialOddsTest(looks.map((l) => ({ ...l, q0 }))).pValue <= (1 - REFERENCE_SPLIT) * a
}

describe('sequentialOddsAgainstSample', () => {
  const plus2 = (r: number) => r + 0.02

  it('finds no evidence where the looks are no worse than the reference plus the margin', () => {
    const looks = Array.from({ length: 10 }, () => ({ x: 4, n: 200 }))
    expect(sequentialOddsAgainstSample(looks, { x: 200, n: 20_000 }, plus2).pValue).toBe(1)
    expect(sequentialOddsAgainstSample([], { x: 200, n: 20_000 }, plus2).pValue).toBe(1)
    expect(sequentialOddsAgainstSample(looks, { x: 0, n: 0 }, plus2).pValue).toBe(1)
  })

  it('is the smallest level at which the bound-then-test construction rejects', () => {
    const looks = Array.from({ length: 10 }, () => ({ x: 12, n: 200 }))
    const ref = { x: 200, n: 20_000 }
    const { pValue } = sequentialOddsAgainstSample(looks, ref, plus2)
    expect(pValue).toBeLessThan(0.01)
    expect(rejectsAt(looks, ref, pValue * 1.02)).toBe(true)
    expect(rejectsAt(looks, ref, pValue * 0.98)).toBe(false)
  })

  it('pays for a small reference: the same looks are weaker evidence against 500 requests', () => {
    const looks = Array.from({ length: 10 }, () => ({ x: 12, n: 200 }))
    const big = sequentialOddsAgainstSample(looks, { x: 200, n: 20_000 }, plus2).pValue
    const small = sequentialOddsAgainstSample(looks, { x: 5, n: 500 }, plus2).pValue
    expect(small).toBeGreaterThan(big)
  })

  it('rejects at most alpha of the time when both rates sit on the null, looking at every look', () => {
    const random = seededRandom(11)
    let rejected = 0
    const runs = 400
    for (let run = 0; run < runs; run++) {
      // Both at 3%, the margin 0: the looks' rate is exactly at the null's boundary.
      const ref = { x: binomial(random, 2_000, 0.03), n: 2_000 }
      const looks = Array.from({ length: 10 }, () => ({ x: binomial(random, 100, 0.03), n: 100 }))
      if (sequentialOddsAgainstSample(looks, ref, (r) => r).pValue <= 0.05) rejected += 1
    }
    expect(rejected / runs).toBeLessThanOrEqual(0.05)
  })

  it('refuses a reference that is not whole counts', () => {
    expect(() => sequentialOddsAgainstSample([], { x: 3, n: 2 }, plus2)).toThrow(RangeError)
  })
})
