import { describe, expect, it } from 'vitest'
import type { SampleResult } from '../../src/contracts/results.js'
import { buildResults } from '../../src/core/eval/aggregate.js'
import type { EvalPlan, PlannedCase } from '../../src/core/eval/plan.js'
import { reuseBaseline } from '../../src/core/eval/reuse.js'
import { completedRun, sampleResult, suiteInfo } from '../helpers/results.js'

const suite = suiteInfo({ threshold: 1, repeat: 2, k: 2 })

function planned(id: string, fingerprint: string): PlannedCase {
  return { id, vars: {}, tags: [], fingerprint, messages: () => [], checks: [] }
}

function sample(caseId: string, i: number, error = false): SampleResult {
  return sampleResult({
    caseId,
    sample: i,
    output: error ? null : 'ok',
    pass: !error,
    score: error ? 0 : 1,
    costUsd: 0.001,
    latencyMs: 5,
    error: error ? { kind: 'rate_limited', message: '429' } : null,
  })
}

const baseline = buildResults({
  run: completedRun({ id: 'base' }),
  suites: [suite],
  cases: ['same', 'changed', 'errored', 'short'].map((id) => ({
    suite: 's',
    id,
    vars: {},
    tags: [],
    fingerprint: `f-${id}`,
  })),
  samples: [
    sample('same', 0),
    sample('same', 1),
    sample('changed', 0),
    sample('changed', 1),
    sample('errored', 0),
    sample('errored', 1, true),
    sample('short', 0),
  ],
})

describe('reuseBaseline', () => {
  const plan: EvalPlan = {
    suites: [
      {
        ...suite,
        cases: [
          planned('same', 'f-same'),
          planned('changed', 'f-changed-now'),
          planned('errored', 'f-errored'),
          planned('short', 'f-short'),
          planned('new', 'f-new'),
        ],
      },
    ],
  }

  it('reuses only cases with the same fingerprint and every sample finished without error', () => {
    const reuse = reuseBaseline(plan, baseline, () => true)
    expect(reuse.cases).toBe(1)
    expect(reuse.samples.map((s) => [s.caseId, s.sample, s.reused])).toEqual([
      ['same', 0, true],
      ['same', 1, true],
    ])
    expect(reuse.plan.suites[0]?.cases.map((c) => c.id)).toEqual([
      'changed',
      'errored',
      'short',
      'new',
    ])
  })

  it('reuses nothing in a suite that is not allowed', () => {
    const reuse = reuseBaseline(plan, baseline, () => false)
    expect(reuse.cases).toBe(0)
    expect(reuse.plan).toEqual(plan)
  })
})
