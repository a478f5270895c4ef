// The always-valid mixture test's own properties (its values are checked against SciPy in
// test/core/experiment/reference.test.ts): p-value and confidence sequence agree, one side is
// narrower than two, and Ville's bound holds over many looks of null data.
import { describe, expect, it } from 'vitest'
import { alwaysValidTest, mixtureHalfWidth } from '../../../src/core/stats/always-valid.js'
import { seededRandom } from '../../../src/utils/random.js'
import { normal } from '../../helpers/sampling.js'

describe('alwaysValidTest', () => {
  it('rejects exactly when the confidence sequence excludes the null value', () => {
    for (const estimate of [-0.02, -0.009, -0.0085, 0, 0.0085, 0.009, 0.02]) {
      const r = alwaysValidTest(estimate, 1e-5, { tau: 0.02 })
      expect(r.pValue <= 0.05, `estimate ${estimate}`).toBe(r.lower > 0 || r.upper < 0)
    }
    const g = alwaysValidTest(0.008, 1e-5, { tau: 0.02, alternative: 'greater' })
    expect(g.pValue <= 0.05).toBe(g.lower > 0)
    expect(g.upper).toBe(Infinity)
  })

  it('gives a one-sided bound closer than the two-sided one', () => {
    expect(mixtureHalfWidth(1e-5, 0.02, 0.05, 'greater')).toBeLessThan(
      mixtureHalfWidth(1e-5, 0.02, 0.05, 'two-sided'),
    )
    expect(mixtureHalfWidth(1e-5, 0.02, 0.05, 'greater')).toBe(
      mixtureHalfWidth(1e-5, 0.02, 0.05, 'less'),
    )
  })

  it('gives no evidence at variance 0 and refuses bad arguments', () => {
    expect(alwaysValidTest(0.1, 0, { tau: 1 })).toMatchObject({
      pValue: 1,
      lower: -Infinity,
      upper: Infinity,
    })
    expect(() => alwaysValidTest(0, -1, { tau: 1 })).toThrow(
      /variance must be a finite number >= 0/,
    )
    expect(() => alwaysValidTest(0, 1, { tau: 0 })).toThrow(
      /tau must be a finite number greater than 0/,
    )
    expect(() => alwaysValidTest(0, 1, { tau: 1, alpha: 2 })).toThrow(
      /alpha must be strictly between 0 and 1/,
    )
  })

  it('keeps the chance of ever rejecting a true null, over 200 looks, below alpha', () => {
    const random = seededRandom(7)
    const runs = 2000
    let rejected = 0
    for (let run = 0; run < runs; run++) {
      let sum = 0
      for (let n = 1; n <= 200; n++) {
        sum += normal(random)
        if (alwaysValidTest(sum / n, 1 / n, { tau: 0.3 }).pValue <= 0.05) {
          rejected++
          break
        }
      }
    }
    expect(rejected / runs).toBeLessThanOrEqual(0.05)
    expect(rejected / runs).toBeGreaterThan(0.005)
  })
})
