// `abCompare` on the variants of one run: a run whose suites ran as `suite[variant]` (built here
// as a results document, stored in a real SQLite store and written as a results file), compared
// variant against variant, paired by suite/case; and the usage errors that say what the run has.
import { afterEach, describe, expect, it } from 'vitest'
import type { AbReport } from '../../../src/contracts/ab.js'
import type { ResultsDocument } from '../../../src/contracts/results.js'
import type { Store } from '../../../src/contracts/store.js'
import { ShipgateError } from '../../../src/errors.js'
import { abCompare } from '../../../src/workflows/ab/index.js'
import { run, storedProject, type Variant } from './runs.js'

const stores: Store[] = []
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()))
})

/** support: v1 passes half of 40 cases, v2 nine in ten, v3 ran 5 cases; other: v1 and v2. */
const VARIANTS: Variant[] = [
  { suite: 'support', name: 'v1', cases: 40, passes: (i) => i % 2 === 0 },
  { suite: 'support', name: 'v2', cases: 40, passes: (i) => i % 10 !== 9 },
  { suite: 'support', name: 'v3', cases: 5, passes: () => true },
  { suite: 'other', name: 'v1', cases: 6, passes: () => true },
  { suite: 'other', name: 'v2', cases: 6, passes: () => true },
]

function project(results: readonly ResultsDocument[]) {
  return storedProject(results, stores)
}

async function usageFailure(promise: Promise<AbReport>): Promise<ShipgateError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ShipgateError)
  expect((error as ShipgateError).code).toBe('usage')
  return error as ShipgateError
}

describe('abCompare on the variants of one run', () => {
  it('pairs variant B with variant A by suite/case in the latest stored run', async () => {
    const { options } = await project([
      run('20261201-000000-aaaaaa', [VARIANTS[0]!, VARIANTS[1]!]),
      run('20261202-000000-bbbbbb', VARIANTS),
    ])
    const report = await abCompare('v1', 'v2', { ...options, variants: true })
    expect(report.a).toEqual({ run: '20261202-000000-bbbbbb', ref: 'latest', variant: 'v1' })
    expect(report.b).toEqual({ run: '20261202-000000-bbbbbb', ref: 'latest', variant: 'v2' })
    expect(report.suites).toEqual(['support', 'other'])
    expect(report.cases).toBe(46)
    expect([report.onlyA, report.onlyB]).toEqual([[], []])
    const pass = report.metrics.find((m) => m.metric === 'pass rate')!
    expect(pass.meanA).toBeCloseTo(26 / 46, 12)
    expect(pass.meanB).toBeCloseTo(42 / 46, 12)
    expect(report.decision).toMatchObject({ winner: 'B', primary: 'pass rate' })
    expect(report.pairwise).toBeNull()
  })

  it('keeps to one suite, reads a results file or a run id, and lists cases one variant lacks', async () => {
    const { options } = await project([run('20261202-000000-bbbbbb', VARIANTS)])
    const support = await abCompare('v1', 'v2', { ...options, suite: 'support', run: 'latest' })
    expect(support.suites).toEqual(['support'])
    expect(support.cases).toBe(40)
    const file = await abCompare('v3', 'v1', { ...options, run: 'results.json' })
    expect(file.a).toMatchObject({ ref: 'results.json', variant: 'v3' })
    expect(file.suites).toEqual(['support'])
    expect(file.cases).toBe(5)
    expect(file.onlyB).toHaveLength(35)
    expect(file.onlyB[0]).toBe('support/c5')
    const byId = await abCompare('v1', 'v2', { ...options, run: '20261202' })
    expect(byId.cases).toBe(46)
  })

  it('still compares two runs, and keeps to one suite there too', async () => {
    const { options } = await project([
      run('20261201-000000-aaaaaa', VARIANTS),
      run('20261202-000000-bbbbbb', VARIANTS),
    ])
    const report = await abCompare('20261201', '20261202', { ...options, suite: 'other' })
    expect(report.a).toEqual({ run: '20261201-000000-aaaaaa', ref: '20261201' })
    expect(report.suites).toEqual(['other[v1]', 'other[v2]'])
    expect(report.cases).toBe(12)
  })

  it('says when the run has no variants, and how to get them', async () => {
    const { options } = await project([run('20261203-000000-cccccc', [], ['plain'])])
    const error = await usageFailure(abCompare('v1', 'v2', { ...options, variants: true }))
    expect(error.message).toBe(
      'run 20261203-000000-cccccc has no variants: each of its suites ran one prompt and provider',
    )
    expect(error.hint).toMatch(/add `variants:` or `matrix:` to a suite .*docs\/ab\.md/)
  })

  it("names an unknown variant or suite with the run's variants", async () => {
    const { options } = await project([run('20261202-000000-bbbbbb', VARIANTS, ['plain'])])
    const variant = await usageFailure(abCompare('v1', 'v9', { ...options, variants: true }))
    expect(variant.message).toBe('run 20261202-000000-bbbbbb has no variant v9')
    expect(variant.hint).toBe('its variants: v1, v2, v3 (suite support); v1, v2 (suite other)')
    const suite = await usageFailure(
      abCompare('v1', 'v2', { ...options, run: 'latest', suite: 'plain' }),
    )
    expect(suite.message).toBe('suite plain of run 20261202-000000-bbbbbb has no variants')
    expect(suite.hint).toBe('suites with variants: support, other')
    const scoped = await usageFailure(
      abCompare('v3', 'v1', { ...options, run: 'latest', suite: 'other' }),
    )
    expect(scoped.hint).toBe('its variants: v1, v2 (suite other)')
  })

  it('refuses variants no suite ran together, and variants with no case in common', async () => {
    const apart = [
      { suite: 'one', name: 'x', cases: 3, passes: () => true },
      { suite: 'two', name: 'y', cases: 3, passes: () => true },
    ]
    const { options } = await project([run('20261204-000000-dddddd', apart)])
    const error = await usageFailure(abCompare('x', 'y', { ...options, variants: true }))
    expect(error.message).toBe('no suite of run 20261204-000000-dddddd ran both variants x and y')

    const empty = run('20261205-000000-eeeeee', [
      { suite: 'one', name: 'x', cases: 3, passes: () => true },
      { suite: 'one', name: 'y', cases: 0, passes: () => true },
    ])
    const other = await project([empty])
    const none = await usageFailure(abCompare('x', 'y', { ...other.options, variants: true }))
    expect(none.message).toBe(
      'variants x and y of run 20261205-000000-eeeeee have no case in common',
    )
  })
})
