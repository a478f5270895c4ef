// The Wilcoxon signed-rank test against scipy.stats.wilcoxon (test/fixtures/ab/reference.json,
// made by generate.py): statistic and p-value within 1e-6, and the method SciPy's auto picks.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { WilcoxonOptions } from '../../../src/core/stats/index.js'
import { wilcoxonSignedRank } from '../../../src/core/stats/index.js'

interface WilcoxonCase {
  readonly name: string
  readonly a: number[]
  readonly b: number[]
  readonly options: WilcoxonOptions
  readonly expected: { statistic: number; pValue: number; method: 'exact' | 'asymptotic' }
}

const reference = JSON.parse(
  readFileSync(new URL('../../fixtures/ab/reference.json', import.meta.url), 'utf8'),
) as { wilcoxon: WilcoxonCase[] }

function close(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(expected)))
}

describe('wilcoxonSignedRank against SciPy', () => {
  it('holds a reference for every method and zero treatment', () => {
    expect(reference.wilcoxon.length).toBeGreaterThanOrEqual(30)
    const methods = new Set(reference.wilcoxon.map((c) => c.expected.method))
    expect(methods).toEqual(new Set(['exact', 'asymptotic']))
  })

  for (const c of reference.wilcoxon) {
    it(c.name, () => {
      const result = wilcoxonSignedRank(c.a, c.b, c.options)
      close(result.statistic, c.expected.statistic)
      close(result.pValue, c.expected.pValue)
      expect(result.method).toBe(c.expected.method)
    })
  }
})

describe('wilcoxonSignedRank edge cases', () => {
  it('gives p 1 when every difference is zero', () => {
    const r = wilcoxonSignedRank([0.5, 0.6, 0.7], [0.5, 0.6, 0.7])
    expect(r.pValue).toBe(1)
    expect(r.statistic).toBe(0)
  })

  it('finds a consistent shift with the exact distribution: p = 2 / 2^n', () => {
    const a = [1, 2, 3, 4, 5, 6, 7, 8].map((x) => x + 0.1 * x)
    const r = wilcoxonSignedRank(a, [1, 2, 3, 4, 5, 6, 7, 8])
    expect(r.method).toBe('exact')
    expect(r.pValue).toBeCloseTo(2 / 256, 12)
  })

  it('names the argument at fault on bad input', () => {
    expect(() => wilcoxonSignedRank([1, 2], [1])).toThrow(/paired/)
    expect(() => wilcoxonSignedRank([1, NaN], [1, 2])).toThrow(/wilcoxonSignedRank: a\[1\]/)
    expect(() => wilcoxonSignedRank([1], [2], { alternative: 'bigger' as 'greater' })).toThrow(
      /alternative/,
    )
  })
})
