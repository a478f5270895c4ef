import { describe, expect, it } from 'vitest'
import type { BaselineInfo } from '../../../src/contracts/gate.js'
import type { ResultsDocument, SampleResult } from '../../../src/contracts/results.js'
import { buildResults } from '../../../src/core/eval/aggregate.js'
import { DEFAULT_RULES, evaluateGate } from '../../../src/core/gate/evaluate.js'
import { seededRandom } from '../../../src/utils/random.js'
import { completedRun, sampleResult, suiteInfo } from '../../helpers/results.js'

const CASES = 200

/** A run of 200 cases, one sample each, each passing with probability `p` (seeded). */
function run(id: string, p: number, seed: number, cost = 0.001): ResultsDocument {
  const random = seededRandom(seed)
  const samples: SampleResult[] = Array.from({ length: CASES }, (_, i) => {
    const pass = random() < p
    return sampleResult({
      caseId: `c${i}`,
      output: pass ? 'ok' : 'bad',
      pass,
      score: pass ? 1 : 0,
      grades: [
        {
          type: 'equals',
          pass,
          score: pass ? 1 : 0,
          reason: pass ? 'equal' : 'differs',
          weight: 1,
        },
      ],
      costUsd: cost,
      latencyMs: 100,
    })
  })
  return buildResults({
    run: completedRun({ id, finishedAt: '2026-11-30T12:01:00.000Z' }),
    suites: [suiteInfo({ threshold: 0 })],
    cases: Array.from({ length: CASES }, (_, i) => ({
      suite: 's',
      id: `c${i}`,
      vars: {},
      tags: [],
    })),
    samples,
  })
}

function info(results: ResultsDocument): BaselineInfo {
  return { runId: results.run.id, source: 'run', git: null, startedAt: results.run.startedAt }
}

function verdict(current: ResultsDocument, baseline: ResultsDocument) {
  return evaluateGate({
    current,
    baseline: { results: baseline, info: info(baseline) },
    rules: DEFAULT_RULES,
    approvals: [],
    external: [],
  })
}

describe('the quality comparison with the baseline', () => {
  it('fails a real drop in pass rate (0.95 → 0.80 over 200 cases) and names it', () => {
    const v = verdict(run('pr', 0.8, 2), run('main', 0.95, 1))
    const drop = v.checks.find((c) => c.id === 'suite.s.pass-rate-drop')
    expect(drop?.status).toBe('failed')
    expect(drop?.message).toMatch(
      /^pass rate 0\.9\d\d → 0\.[78]\d\d over 200 paired cases; a significant drop/,
    )
    expect(v.pass).toBe(false)
    expect(v.newlyFailing.length).toBeGreaterThan(20)
    expect(v.suites[0]?.passRate.difference.upper).toBeLessThan(0)
  })

  it('passes pure noise (the same probability, another seed) in at least 95 of 100 simulations', () => {
    let passed = 0
    for (let seed = 1; seed <= 100; seed++) {
      const v = verdict(run('pr', 0.95, 1000 + seed), run('main', 0.95, seed))
      const quality = v.checks.filter((c) => c.id.endsWith('-drop'))
      expect(quality).toHaveLength(2)
      if (quality.every((c) => c.status === 'passed')) passed += 1
    }
    console.log(`noise: the gate passed ${passed} of 100 simulations`)
    expect(passed).toBeGreaterThanOrEqual(95)
  })

  it('fails a real drop in at least 95 of 100 simulations too', () => {
    let caught = 0
    for (let seed = 1; seed <= 100; seed++) {
      const v = verdict(run('pr', 0.8, 1000 + seed), run('main', 0.95, seed))
      if (v.checks.some((c) => c.id === 'suite.s.pass-rate-drop' && c.status === 'failed'))
        caught += 1
    }
    console.log(`real drop: the gate failed ${caught} of 100 simulations`)
    expect(caught).toBeGreaterThanOrEqual(95)
  })
})

/** 20 passing cases with `repeat` samples each, every call costing `cost`. */
function repeated(id: string, repeat: number, cost: number): ResultsDocument {
  const cases = Array.from({ length: 20 }, (_, i) => `c${i}`)
  return buildResults({
    run: completedRun({ id, finishedAt: '2026-11-30T12:01:00.000Z' }),
    suites: [suiteInfo({ threshold: 0, repeat, k: repeat })],
    cases: cases.map((c) => ({ suite: 's', id: c, vars: {}, tags: [] })),
    samples: cases.flatMap((caseId) =>
      Array.from({ length: repeat }, (_, sample) =>
        sampleResult({ caseId, sample, costUsd: cost, latencyMs: 100 }),
      ),
    ),
  })
}

describe('the cost comparison with the baseline', () => {
  it('compares cost per call, not per case, and says when the repeat count differs', () => {
    // `eval --repeat 5` against a baseline run once: each call costs 9% more.
    const v = verdict(repeated('pr', 5, 0.00109), repeated('main', 1, 0.001))
    const cost = v.checks.find((c) => c.id === 'cost-increase')
    expect(cost?.status).toBe('passed')
    expect(cost?.actual).toBeCloseTo(9, 9)
    expect(cost?.message).toBe(
      'cost per call $0.00100 → $0.00109 (+9.0%; limit +20%); repeat differs: 1 → 5 (s)',
    )
    const same = verdict(repeated('pr', 3, 0.002), repeated('main', 3, 0.001))
    expect(same.checks.find((c) => c.id === 'cost-increase')?.message).toBe(
      'cost per call $0.00100 → $0.00200 (+100.0%; limit +20%)',
    )
  })
})

describe('checks and approvals', () => {
  it('approves only the failed checks whose key was approved', () => {
    const current = run('pr', 0.95, 1, 0.003)
    const baseline = run('main', 0.95, 1, 0.001)
    const v = evaluateGate({
      current,
      baseline: { results: baseline, info: info(baseline) },
      rules: { ...DEFAULT_RULES, thresholds: { passRate: 0.99 } },
      approvals: [{ key: 'cost', from: '--approve' }],
      external: [],
    })
    const cost = v.checks.find((c) => c.id === 'cost-increase')
    expect(cost?.status).toBe('approved')
    expect(cost?.actual).toBeCloseTo(200, 9)
    expect(cost?.message).toMatch(/\(\+200\.0%; limit \+20%\) — approved \(cost\)$/)
    expect(v.checks.find((c) => c.id === 'suite.s.pass-rate')?.status).toBe('failed')
    expect(v.pass).toBe(false)
  })

  it('fails an interrupted run and skips what cannot be measured', () => {
    const current = {
      ...run('pr', 1, 1),
      run: { ...run('pr', 1, 1).run, status: 'interrupted' as const },
    }
    const v = evaluateGate({
      current,
      baseline: null,
      noBaselineReason: 'no baseline: none on main',
      rules: DEFAULT_RULES,
      approvals: [],
      external: [],
    })
    expect(v.checks[0]).toMatchObject({ id: 'run.completed', status: 'failed' })
    expect(v.checks.filter((c) => c.kind === 'baseline').map((c) => c.status)).toEqual([
      'skipped',
      'skipped',
      'skipped',
    ])
  })
})
