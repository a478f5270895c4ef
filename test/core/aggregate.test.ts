import { describe, expect, it } from 'vitest'
import type { AssertionGrade, SuiteInfo } from '../../src/contracts/results.js'
import { buildResults } from '../../src/core/eval/aggregate.js'
import { clusteredMean } from '../../src/core/stats/intervals.js'
import { completedRun, sampleResult, suiteInfo } from '../helpers/results.js'

const run = completedRun({ id: 'r', shipgateVersion: '0.0.0' })

function suite(overrides: Partial<SuiteInfo> = {}): SuiteInfo {
  return suiteInfo({ repeat: 4, k: 2, ...overrides })
}

function sample(caseId: string, i: number, pass: boolean, grades: AssertionGrade[] = []) {
  return sampleResult({ caseId, sample: i, output: 'x', pass, score: pass ? 1 : 0, grades })
}

/** Case a passes 4/4, b 3/4, c 1/4, d 0/4. */
const outcomes: Record<string, boolean[]> = {
  a: [true, true, true, true],
  b: [true, true, false, true],
  c: [false, true, false, false],
  d: [false, false, false, false],
}

function results(info: SuiteInfo, grades?: (id: string, i: number) => AssertionGrade[]) {
  return buildResults({
    run,
    suites: [info],
    cases: Object.keys(outcomes).map((id) => ({ suite: 's', id, vars: {}, tags: [] })),
    samples: Object.entries(outcomes).flatMap(([id, passes]) =>
      passes.map((pass, i) => sample(id, i, pass, grades?.(id, i) ?? [])),
    ),
  })
}

describe('repeats in the results', () => {
  it('lists flaky cases and applies the case rule', () => {
    const all = results(suite())
    expect(all.suites[0]?.cases.map((c) => [c.id, c.pass, c.flaky])).toEqual([
      ['a', true, false],
      ['b', false, true],
      ['c', false, true],
      ['d', false, false],
    ])
    expect(all.suites[0]?.stats).toMatchObject({ casesPassed: 1, flaky: 2 })
    const majority = results(suite({ casePass: 'majority' }))
    expect(majority.suites[0]?.stats.casesPassed).toBe(2)
    const quarter = results(suite({ casePass: 0.25 }))
    expect(quarter.suites[0]?.stats.casesPassed).toBe(3)
  })

  it('averages unbiased pass@k and pass^k over cases, with intervals', () => {
    const stats = results(suite()).suites[0]?.stats
    // pass@2 per case: a 1, b 1, c 1 − C(3,2)/C(4,2) = 0.5, d 0. pass^2: 1, C(3,2)/6 = 0.5, 0, 0.
    expect(stats?.passAtK?.k).toBe(2)
    expect(stats?.passAtK?.passAtK.value).toBeCloseTo(2.5 / 4, 12)
    expect(stats?.passAtK?.passHatK.value).toBeCloseTo(1.5 / 4, 12)
    const expected = clusteredMean([[1], [1], [0.5], [0]], { min: 0, max: 1 })
    expect(stats?.passAtK?.passAtK).toEqual(expected)
  })

  it('reports no pass@k when no case repeated', () => {
    const single = buildResults({
      run,
      suites: [suite({ repeat: 1, k: 1 })],
      cases: [{ suite: 's', id: 'a', vars: {}, tags: [] }],
      samples: [sample('a', 0, true)],
    })
    expect(single.suites[0]?.stats.passAtK).toBeNull()
  })

  it('reports each metric with an interval clustered by case, and judge cost apart', () => {
    const judge = {
      provider: 'anthropic:m',
      calls: 2,
      usage: { input: 10, output: 1, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
      costUsd: 0.001,
      latencyMs: 5,
      cached: false,
    }
    const value = (id: string, i: number) => ({ a: 9, b: 8, c: 5, d: 3 })[id as 'a'] - (i % 2)
    const doc = results(suite(), (id, i) => [
      {
        type: 'g-eval',
        pass: true,
        score: 0.5,
        reason: '',
        weight: 1,
        value: value(id, i),
        scale: { min: 1, max: 10 },
        judge,
      },
      { type: 'contains', pass: true, score: 1, reason: '', weight: 1 },
    ])
    const stats = doc.suites[0]?.stats
    expect(Object.keys(stats?.metrics ?? {})).toEqual(['g-eval'])
    const clusters = Object.keys(outcomes).map((id) => [0, 1, 2, 3].map((i) => value(id, i)))
    expect(stats?.metrics['g-eval']?.mean).toEqual(clusteredMean(clusters, { min: 1, max: 10 }))
    expect(stats?.metrics['g-eval']?.samples).toBe(16)
    expect(stats?.judge).toMatchObject({
      calls: 32,
      usage: { input: 160, output: 16, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
      unpriced: 0,
    })
    expect(stats?.judge.costUsd).toBeCloseTo(0.016, 12)
    expect(doc.summary.judgeCostUsd).toBeCloseTo(0.016, 12)
    expect(doc.summary.costUsd).toBeNull()
  })
})
