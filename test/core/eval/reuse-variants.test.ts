import { describe, expect, it } from 'vitest'
import { variantSuiteName } from '../../../src/contracts/results.js'
import { buildResults } from '../../../src/core/eval/aggregate.js'
import type { EvalPlan, PlannedCase } from '../../../src/core/eval/plan.js'
import { reuseBaseline } from '../../../src/core/eval/reuse.js'
import { completedRun, sampleResult, suiteInfo } from '../../helpers/results.js'

/* --reuse-baseline on a suite with variants: each variant reuses its own, by its run name. */

const variant = (name: string) =>
  suiteInfo({ name: variantSuiteName('support', name), variant: { suite: 'support', name } })

const planned = (fingerprint: string): PlannedCase => ({
  id: 'c1',
  vars: {},
  tags: [],
  fingerprint,
  messages: () => [],
  checks: [],
})

const baseline = buildResults({
  run: completedRun({ id: 'base' }),
  suites: [variant('a'), variant('b')],
  cases: ['a', 'b'].map((v) => ({
    suite: variantSuiteName('support', v),
    id: 'c1',
    vars: {},
    tags: [],
    fingerprint: `f-${v}`,
  })),
  samples: ['a', 'b'].map((v) =>
    sampleResult({ suite: variantSuiteName('support', v), caseId: 'c1', output: v }),
  ),
})

describe('reuseBaseline with variants', () => {
  const plan: EvalPlan = {
    suites: [
      { ...variant('a'), cases: [planned('f-a')] },
      // Same case id, but b's fingerprint is a's: b pairs with b, whose print differs.
      { ...variant('b'), cases: [planned('f-a')] },
    ],
  }

  it("pairs each variant with the baseline's same variant", () => {
    const reuse = reuseBaseline(plan, baseline, () => true)
    expect(reuse.samples.map((s) => [s.suite, s.output])).toEqual([['support[a]', 'a']])
    expect(reuse.plan.suites.map((s) => s.cases.length)).toEqual([0, 1])
  })

  it("asks whether to reuse by the config's suite name", () => {
    const asked: string[] = []
    const reuse = reuseBaseline(plan, baseline, (suite) => (asked.push(suite), false))
    expect(asked).toEqual(['support', 'support'])
    expect(reuse.cases).toBe(0)
  })
})
