// Checks every reference value of test/fixtures/stats/golden.json (made by generate.py with
// SciPy) against the TypeScript implementation: 1e-6 relative, 1e-12 absolute near zero.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as stats from '../../../src/core/stats/index.js'

interface GoldenCase {
  readonly name: string
  readonly fn: keyof typeof FUNCTIONS
  readonly args: unknown[]
  readonly expected: Record<string, number | string>
}

const golden = JSON.parse(
  readFileSync(new URL('../../fixtures/stats/golden.json', import.meta.url), 'utf8'),
) as { cases: GoldenCase[] }

/** The functions the fixture may name; each takes the fixture's positional arguments. */
const FUNCTIONS = {
  pairedDifference: stats.pairedDifference,
  pairedTTest: stats.pairedTTest,
  welchTTest: stats.welchTTest,
  mcnemarExact: stats.mcnemarExact,
  twoProportionZTest: stats.twoProportionZTest,
  mannWhitneyU: stats.mannWhitneyU,
  chiSquareGoodnessOfFit: stats.chiSquareGoodnessOfFit,
  holm: stats.holm,
  benjaminiHochberg: stats.benjaminiHochberg,
  normalPower: stats.normalPower,
  normalSampleSize: stats.normalSampleSize,
  normalMde: stats.normalMde,
  proportionPower: stats.proportionPower,
  proportionSampleSize: stats.proportionSampleSize,
  proportionMde: stats.proportionMde,
  meanPower: stats.meanPower,
  meanSampleSize: stats.meanSampleSize,
  meanMde: stats.meanMde,
} as const

const NON_FINITE: Record<string, number> = { NaN, Infinity, '-Infinity': -Infinity }

/** The value at a dotted path ('' is the result itself; JSON null arguments mean "omitted"). */
function at(result: unknown, path: string): unknown {
  if (path === '') return result
  return path.split('.').reduce<unknown>((v, key) => (v as Record<string, unknown>)[key], result)
}

/** Asserts `actual` agrees with the reference to 1e-6 relative or 1e-12 absolute. */
function expectClose(actual: unknown, expected: number | string, where: string): void {
  if (typeof expected === 'string' && !(expected in NON_FINITE)) {
    expect(actual, where).toBe(expected)
    return
  }
  const want = typeof expected === 'string' ? (NON_FINITE[expected] as number) : expected
  expect(typeof actual, where).toBe('number')
  const got = actual as number
  if (!Number.isFinite(want)) {
    expect(got, where).toBe(want)
    return
  }
  const tolerance = Math.max(1e-12, 1e-6 * Math.abs(want))
  expect(Math.abs(got - want), `${where}: got ${got}, want ${want}`).toBeLessThanOrEqual(tolerance)
}

describe('golden values from SciPy', () => {
  it('has at least 60 reference values', () => {
    const count = golden.cases.reduce((n, c) => n + Object.keys(c.expected).length, 0)
    expect(count).toBeGreaterThanOrEqual(60)
  })

  it.each(golden.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const fn = FUNCTIONS[c.fn] as (...args: unknown[]) => unknown
    const result = fn(...c.args.map((a) => (a === null ? undefined : a)))
    for (const [path, expected] of Object.entries(c.expected))
      expectClose(at(result, path), expected, `${c.fn} ${path}`)
  })
})
