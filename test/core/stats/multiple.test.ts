import { describe, expect, it } from 'vitest'
import { benjaminiHochberg, holm } from '../../../src/core/stats/multiple.js'

const P = [0.01, 0.04, 0.03, 0.005, 0.2]

describe('holm', () => {
  it('multiplies the i-th smallest p by (m - i) and keeps the order monotone', () => {
    // Sorted: 0.005×5, 0.01×4, 0.03×3, 0.04×2, 0.2×1 → 0.025, 0.04, 0.09, 0.09 (running max), 0.2.
    const adjusted = holm(P)
    const want = [0.04, 0.09, 0.09, 0.025, 0.2]
    adjusted.forEach((p, i) => expect(p).toBeCloseTo(want[i]!, 15))
  })

  it('caps at 1 and handles one and zero p-values', () => {
    expect(holm([0.6, 0.7])).toEqual([1, 1])
    expect(holm([0.03])).toEqual([0.03])
    expect(holm([])).toEqual([])
  })
})

describe('benjaminiHochberg', () => {
  it('multiplies the i-th smallest p by m / i and takes the running minimum from the top', () => {
    // Sorted: 0.005·5/1, 0.01·5/2, 0.03·5/3, 0.04·5/4, 0.2 → 0.025, 0.025, 0.05, 0.05, 0.2.
    const adjusted = benjaminiHochberg(P)
    const want = [0.025, 0.05, 0.05, 0.025, 0.2]
    adjusted.forEach((p, i) => expect(p).toBeCloseTo(want[i]!, 15))
  })

  it('is never above Holm and never below the raw p-value', () => {
    const bh = benjaminiHochberg(P)
    const h = holm(P)
    bh.forEach((q, i) => {
      expect(q).toBeLessThanOrEqual(h[i]!)
      expect(q).toBeGreaterThanOrEqual(P[i]!)
    })
  })

  it('gives ties the same value', () => {
    const q = benjaminiHochberg([0.02, 0.02, 0.5])
    expect(q[0]).toBe(q[1])
    expect(q[0]).toBeCloseTo(0.03, 15)
  })
})

describe('p-value checks', () => {
  it('rejects values outside [0, 1] and NaN, naming the position', () => {
    expect(() => holm([0.1, 1.2])).toThrow(
      new RangeError('holm: pValues[1] must be between 0 and 1, got 1.2'),
    )
    expect(() => benjaminiHochberg([NaN])).toThrow(
      'benjaminiHochberg: pValues[0] must be between 0 and 1, got NaN',
    )
  })
})
