import { describe, expect, it } from 'vitest'
import { mannWhitneyU } from '../../../src/core/stats/mann-whitney.js'

/** Every way to choose k of the indices 0..n-1. */
function* subsets(n: number, k: number, start = 0): Generator<number[]> {
  if (k === 0) {
    yield []
    return
  }
  for (let i = start; i <= n - k; i += 1)
    for (const rest of subsets(n, k - 1, i + 1)) yield [i, ...rest]
}

/** U1 of `a` against `b` by counting pairs (ties count one half). */
function countU(a: readonly number[], b: readonly number[]): number {
  let u = 0
  for (const x of a) for (const y of b) u += x > y ? 1 : x === y ? 0.5 : 0
  return u
}

/** Permutation P(U1 >= observed) over every split of the pooled values. */
function bruteForceGreater(a: readonly number[], b: readonly number[]): number {
  const pooled = [...a, ...b]
  const observed = countU(a, b)
  let hits = 0
  let total = 0
  for (const chosen of subsets(pooled.length, a.length)) {
    const first = chosen.map((i) => pooled[i]!)
    const second = pooled.filter((_, i) => !chosen.includes(i))
    total += 1
    if (countU(first, second) >= observed) hits += 1
  }
  return hits / total
}

describe('mannWhitneyU', () => {
  it('gives U of the first sample and the common-language effect size', () => {
    const r = mannWhitneyU([1.5, 6, 7], [1, 2, 3, 4])
    expect(r.statistic).toBe(countU([1.5, 6, 7], [1, 2, 3, 4]))
    expect(r.statistic).toBe(9)
    expect(r.effectSize).toBe(9 / 12)
  })

  it('matches a brute-force permutation count in exact mode', () => {
    const cases: [number[], number[]][] = [
      [
        [0.3, 2.2, 5.1, 7.4],
        [0.1, 1.7, 2.5, 3.3, 4.6],
      ],
      [
        [9, 8, 7, 6, 5.5],
        [1, 2, 3, 4.5, 5, 6.5],
      ],
      [
        [1, 2],
        [3, 4, 5, 6, 7, 8, 9],
      ],
    ]
    for (const [a, b] of cases) {
      const r = mannWhitneyU(a, b, { alternative: 'greater' })
      expect(r.method).toBe('exact')
      expect(r.pValue).toBeCloseTo(bruteForceGreater(a, b), 12)
    }
  })

  it('is symmetric: greater for (a, b) is less for (b, a)', () => {
    const a = [0.3, 2.2, 5.1, 7.4, 8.8]
    const b = [0.1, 1.7, 2.5, 3.3, 4.6, 6.1]
    for (const method of ['exact', 'asymptotic'] as const) {
      const greater = mannWhitneyU(a, b, { alternative: 'greater', method })
      const less = mannWhitneyU(b, a, { alternative: 'less', method })
      expect(greater.pValue).toBeCloseTo(less.pValue, 14)
    }
  })

  it("resolves 'auto' as SciPy 1.17: exact iff a sample has <= 8 values and nothing ties", () => {
    const many = Array.from({ length: 100 }, (_, i) => i + 0.5)
    const nine = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((v) => v * 10 + 0.25)
    expect(
      mannWhitneyU(
        [1, 2, 3, 4, 5, 6, 7, 8].map((v) => v + 0.1),
        many,
      ).method,
    ).toBe('exact')
    expect(mannWhitneyU(nine, many).method).toBe('asymptotic')
    expect(mannWhitneyU([1, 2, 2], [3, 4]).method).toBe('asymptotic')
    expect(mannWhitneyU([1, 2, 2], [3, 4], { method: 'exact' }).method).toBe('exact')
  })

  it('gives p 1 (or NaN without continuity) when every value ties', () => {
    const r = mannWhitneyU([1, 1], [1, 1, 1])
    expect(r).toMatchObject({ statistic: 3, pValue: 1, method: 'asymptotic', effectSize: 0.5 })
    expect(mannWhitneyU([1, 1], [1, 1, 1], { continuity: false }).pValue).toBeNaN()
  })

  it('keeps p within [0, 1] when U sits at the centre', () => {
    expect(mannWhitneyU([1, 4], [2, 3]).pValue).toBe(1)
  })

  it('rejects inputs that make no sense', () => {
    expect(() => mannWhitneyU([], [1])).toThrow(
      new RangeError('mannWhitneyU: a needs at least 1 value(s), got 0'),
    )
    expect(() => mannWhitneyU([1], [NaN])).toThrow('mannWhitneyU: b[0] must be a finite number')
    expect(() => mannWhitneyU([1], [2], { method: 'permutation' as unknown as 'exact' })).toThrow(
      `mannWhitneyU: method must be 'auto', 'exact' or 'asymptotic', got "permutation"`,
    )
    const big = Array.from({ length: 2000 }, (_, i) => i + 0.5)
    expect(() => mannWhitneyU(big, big, { method: 'exact' })).toThrow(
      "mannWhitneyU: samples of 2000 and 2000 values are too large for the exact method; use method 'asymptotic'",
    )
  })
})
