// Checks every reference value of test/fixtures/experiment/reference.json (made by
// generate.py with SciPy) against the TypeScript: 1e-6 relative, 1e-12 absolute near zero.
// The always-valid references integrate the mixture numerically, independent of the closed
// forms in src/core/stats/always-valid.ts.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { sampleRatioMismatch } from '../../../src/core/experiment/index.js'
import * as stats from '../../../src/core/stats/index.js'

const FUNCTIONS = {
  sampleRatioMismatch,
  welchFromSummary: stats.welchFromSummary,
  twoProportionZTest: stats.twoProportionZTest,
  alwaysValidTest: stats.alwaysValidTest,
  alwaysValidMde: stats.alwaysValidMde,
  ratioEstimate: stats.ratioEstimate,
} as const

interface ReferenceCase {
  readonly name: string
  readonly fn: keyof typeof FUNCTIONS
  readonly args: unknown[]
  readonly expected: Record<string, number>
}

const reference = JSON.parse(
  readFileSync(new URL('../../fixtures/experiment/reference.json', import.meta.url), 'utf8'),
) as { cases: ReferenceCase[] }

/** The value at a dotted path ('' is the result itself). */
function at(result: unknown, path: string): unknown {
  if (path === '') return result
  return path.split('.').reduce<unknown>((v, key) => (v as Record<string, unknown>)[key], result)
}

describe('online-experiment statistics against SciPy', () => {
  it('the fixture covers every function', () => {
    const named = new Set(reference.cases.map((c) => c.fn))
    expect([...named].sort()).toEqual(Object.keys(FUNCTIONS).sort())
  })

  it.each(reference.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const fn = FUNCTIONS[c.fn] as (...args: unknown[]) => unknown
    const result = fn(...c.args)
    for (const [path, want] of Object.entries(c.expected)) {
      const got = at(result, path)
      expect(typeof got, path).toBe('number')
      const tolerance = Math.max(1e-12, 1e-6 * Math.abs(want))
      expect(
        Math.abs((got as number) - want),
        `${c.name} ${path}: ${String(got)} vs ${want}`,
      ).toBeLessThanOrEqual(tolerance)
    }
  })
})
