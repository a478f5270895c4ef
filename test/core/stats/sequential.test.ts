import { describe, expect, it } from 'vitest'
import { sequentialNormalTest, sequentialOddsTest } from '../../../src/core/stats/sequential.js'
import { seededRandom } from '../../../src/utils/random.js'
import { binomial } from '../../helpers/sampling.js'

describe('sequentialOddsTest', () => {
  it('has no evidence before data, and p = 1 / the largest ratio so far', () => {
    expect(sequentialOddsTest([])).toEqual({ ratios: [], pValue: 1 })
    const { ratios, pValue } = sequentialOddsTest([
      { x: 9, n: 10, q0: 0.5 },
      { x: 0, n: 10, q0: 0.5 },
    ])
    expect(ratios[0]).toBeGreaterThan(ratios[1] as number)
    expect(pValue).toBeCloseTo(1 / (ratios[0] as number), 12)
  })

  it('under the null, crosses 1/alpha in at most alpha of runs however often it looks', () => {
    const random = seededRandom(7)
    let crossed = 0
    const runs = 2_000
    for (let run = 0; run < runs; run++) {
      const looks = Array.from({ length: 50 }, () => ({
        x: binomial(random, 20, 0.1),
        n: 20,
        q0: 0.1,
      }))
      if (sequentialOddsTest(looks).pValue <= 0.05) crossed += 1
    }
    expect(crossed / runs).toBeLessThanOrEqual(0.05)
  })

  it('refuses counts that are not counts and a null share outside (0, 1)', () => {
    expect(() => sequentialOddsTest([{ x: 3, n: 2, q0: 0.5 }])).toThrow(RangeError)
    expect(() => sequentialOddsTest([{ x: 1.5, n: 2, q0: 0.5 }])).toThrow(RangeError)
    expect(() => sequentialOddsTest([{ x: 1, n: 2, q0: 1 }])).toThrow(/0 < q0 < 1/)
  })
})

describe('sequentialNormalTest', () => {
  it('grows with the estimate and ignores estimates at or below the null', () => {
    const small = sequentialNormalTest([{ estimate: 0.1, variance: 0.01, df: Infinity }], 0.3)
    const large = sequentialNormalTest([{ estimate: 0.5, variance: 0.01, df: Infinity }], 0.3)
    expect(large.pValue).toBeLessThan(small.pValue)
    expect(sequentialNormalTest([{ estimate: -1, variance: 0.01, df: 5 }], 0.3).pValue).toBe(1)
  })

  it('counts an estimated variance with few degrees of freedom as weaker evidence', () => {
    const known = sequentialNormalTest([{ estimate: 0.4, variance: 0.01, df: Infinity }], 0.3)
    const guessed = sequentialNormalTest([{ estimate: 0.4, variance: 0.01, df: 3 }], 0.3)
    expect(guessed.pValue).toBeGreaterThan(known.pValue)
  })
})
