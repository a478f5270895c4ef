// The terminal report of `shipgate ab`: which runs or variants were compared, and the pairwise
// judge's preference with its calls, cost and left-out cases.
import { describe, expect, it } from 'vitest'
import type { AbReport } from '../../src/contracts/ab.js'
import { renderAb } from '../../src/reporters/ab.js'

const base: AbReport = {
  a: { run: 'r1', ref: 'latest', variant: 'v1' },
  b: { run: 'r1', ref: 'latest', variant: 'v2' },
  suites: ['support'],
  cases: 50,
  onlyA: [],
  onlyB: [],
  metrics: [],
  pairwise: {
    judge: 'anthropic:claude-3-5-haiku-20241022',
    criteria: 'the warmer greeting',
    cases: 48,
    wins: 30,
    losses: 10,
    ties: 8,
    failed: 2,
    errors: ['support/c3: rate limited'],
    share: { value: 0.708, lower: 0.57, upper: 0.82, level: 0.95 },
    pValue: 0.0022,
    calls: 100,
    costUsd: 0.12,
  },
  cost: null,
  costGuardrail: null,
  decision: {
    primary: 'pairwise preference',
    winner: 'B',
    verdict: 'winner',
    reasons: ['pairwise preference favours B: p = 0.00220 < 0.05'],
    mde: 0.1,
  },
  plan: null,
}

describe('renderAb', () => {
  it('names the run and the variants, and reports the pairwise preference', () => {
    const text = renderAb(base)
    expect(text).toContain('run r1 (latest): variant A v1 against B v2: 50 cases paired')
    expect(text).toContain(
      'pairwise preference (anthropic:claude-3-5-haiku-20241022, both orders, by: the warmer greeting): B preferred in 0.708 [0.570, 0.820] of 48 cases',
    )
    expect(text).toContain('B better 30, A better 10, tie or order-dependent 8; sign test p 0.002')
    expect(text).toContain('judge calls 100, cost $0.12')
    expect(text).toContain(
      'left out: 2 cases whose judge call failed\n    support/c3: rate limited',
    )
    expect(text).toContain('winner: B on pairwise preference')
  })

  it('names two runs when the sides are runs, and leaves the preference out when not asked', () => {
    const text = renderAb({
      ...base,
      a: { run: 'r1', ref: 'a.json' },
      b: { run: 'r2', ref: 'b.json' },
      pairwise: null,
    })
    expect(text).toContain('A r1 (a.json) against B r2 (b.json): 50 cases paired')
    expect(text).not.toContain('pairwise preference (')
  })
})
