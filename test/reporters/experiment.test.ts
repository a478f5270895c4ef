import { describe, expect, it } from 'vitest'
import type { ExperimentReport } from '../../src/contracts/experiment.js'
import {
  experimentHeadline,
  renderExperimentList,
  renderExperimentMarkdown,
  renderExperimentReport,
} from '../../src/reporters/experiment.js'

/* The analysis for people: the decision first, then SRM, the primary metric, guardrails, users, days. */

const comparison = {
  control: 0.6,
  treatment: 0.62,
  difference: 0.02,
  interval: { lower: 0.0071, upper: 0.0329 },
  pValue: 0.0004,
  adjustedP: 0.0004,
  fixedSampleP: 0.00003,
}

const REPORT: ExperimentReport = {
  experiment: 'checkout',
  flag: 'checkout-prompt',
  control: 'A',
  asOf: '2026-12-15T00:00:00.000Z',
  started: '2026-12-01T00:00:00.000Z',
  days: 14,
  plannedDays: 14,
  minDays: 7,
  minUsersPerArm: 1000,
  alpha: 0.05,
  primary: { metric: 'task_success', kind: 'proportion', better: 'higher', effect: 0.02 },
  decision: { outcome: 'winner', variant: 'B' },
  srm: { statistic: 0.2, df: 1, pValue: 0.65, mismatch: false },
  arms: [
    { variant: 'A', users: 20010, planned: 0.5, expected: 20000 },
    { variant: 'B', users: 19990, planned: 0.5, expected: 20000 },
  ],
  treatments: [
    {
      variant: 'B',
      primary: { metric: 'task_success', ...comparison, verdict: 'better', mde: 0.013 },
      guardrails: [
        {
          metric: 'cost',
          control: 0.002,
          treatment: 0.00201,
          difference: 0.00001,
          interval: { lower: -0.00003, upper: 0.00005 },
          pValue: 0.0001,
          adjustedP: 0.0001,
          fixedSampleP: 0.00001,
          margin: 0.1,
          relative: true,
          pass: true,
        },
      ],
    },
  ],
  excluded: { crossed: 3, unplanned: {}, unexposed: 0 },
  events: { exposures: 40000, outcomes: 80000 },
}

describe('experiment reports', () => {
  it('puts the decision first, then SRM, the primary metric, guardrails, users and days', () => {
    const text = renderExperimentReport(REPORT)
    const lines = text.split('\n')
    expect(lines[0]).toBe('winner: B on task_success (+0.02 against A)')
    expect(text).toContain('sample ratio: A 20010 (planned 50%, expected 20000)')
    expect(text).toContain('chi-square p = 0.650: ok')
    expect(text).toContain('left out: 3 users exposed to more than one variant')
    expect(text).toMatch(
      /B\s+0\.6\s+0\.62\s+\+0\.02 \[0\.0071, 0\.0329\]\s+< 0\.001\s+< 0\.001\s+better/,
    )
    expect(text).toMatch(
      /cost\s+0\.002\s+0\.00201\s+\+0\.00001\s+10% of A\s+< 0\.001\s+within margin/,
    )
    expect(text).toContain('users: A 20010, B 19990')
    expect(text).toContain('days: 14.0 of 14 planned (minimum 7)')
  })

  it('says what is missing, the MDE, the reasons, or the SRM in one line', () => {
    const headline = (decision: ExperimentReport['decision']) =>
      experimentHeadline({ ...REPORT, decision })
    expect(headline({ outcome: 'keep-running', missing: ['2 more day(s) (minimum 7)'] })).toBe(
      'keep running: 2 more day(s) (minimum 7)',
    )
    expect(headline({ outcome: 'no-detectable-difference', mde: { B: 0.0123 } })).toBe(
      'no detectable difference in task_success at the planned end; minimum detectable effect B ±0.0123',
    )
    expect(
      headline({ outcome: 'invalid', reasons: ['sample ratio mismatch: A 48000 (planned 50000)'] }),
    ).toBe('invalid: sample ratio mismatch: A 48000 (planned 50000)')
  })

  it('renders markdown tables under a heading, decision in bold', () => {
    const md = renderExperimentMarkdown(REPORT)
    expect(md.split('\n').slice(0, 3)).toEqual([
      '### Experiment `checkout`',
      '',
      '**winner: B on task_success (+0.02 against A)**',
    ])
    expect(md).toContain(
      '| treatment | A | treatment | difference [always-valid 95%] | p | adjusted p | verdict |',
    )
    expect(md).toContain('| --- | --- |')
  })

  it('lists experiments with their stored events', () => {
    const text = renderExperimentList([
      {
        experiment: 'checkout',
        configured: true,
        flag: 'checkout-prompt',
        variants: ['A', 'B'],
        exposures: 2,
        outcomes: 1,
        samples: 0,
        first: '2026-12-01T00:00:00.000Z',
        last: '2026-12-02T00:00:00.000Z',
      },
    ])
    expect(text).toMatch(/checkout\s+checkout-prompt\s+A, B\s+2\s+1\s+0\s+2026-12-01/)
  })
})
