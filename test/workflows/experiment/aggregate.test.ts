import type { ExperimentEvent } from '@shipgate/runtime/experiments'
import { describe, expect, it } from 'vitest'
import { ExperimentAggregator } from '../../../src/workflows/experiment/index.js'

/* Events → per-arm totals, against totals computed by hand. */

let n = 0
const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 0, minute)).toISOString()
const base = (user: string, variant: string, minute: number) => ({
  v: 1 as const,
  id: `e${++n}`,
  experiment: 'exp',
  variant,
  user,
  at: at(minute),
})
const exposure = (user: string, variant: string, minute: number): ExperimentEvent => ({
  ...base(user, variant, minute),
  type: 'exposure',
})
const outcome = (
  user: string,
  variant: string,
  minute: number,
  name: string,
  value: number,
): ExperimentEvent => ({ ...base(user, variant, minute), type: 'outcome', name, value })

const SPEC = {
  variants: ['A', 'B'],
  metrics: {
    success: { event: 'task_success', kind: 'proportion' as const },
    cost: { event: 'cost', kind: 'mean' as const },
    costPerRequest: { event: 'cost', kind: 'ratio' as const },
  },
}

describe('ExperimentAggregator', () => {
  it('gives each user the first exposure’s arm and the exact per-arm totals', () => {
    const events: ExperimentEvent[] = [
      outcome('u7', 'B', 0, 'task_success', 1), // before its exposure: still counted
      exposure('u1', 'A', 1),
      exposure('u2', 'A', 2),
      exposure('u3', 'B', 3),
      exposure('u4', 'B', 4),
      outcome('u1', 'A', 5, 'task_success', 1),
      outcome('u1', 'A', 6, 'task_success', 0),
      outcome('u1', 'A', 7, 'cost', 0.25),
      outcome('u1', 'A', 8, 'cost', 0.5),
      outcome('u1', 'A', 8, 'thumbs', 1), // no metric reads it
      outcome('u3', 'B', 9, 'task_success', 0),
      outcome('u3', 'B', 10, 'cost', 0.5),
      exposure('u4', 'A', 11), // crossed: left out
      outcome('u4', 'B', 12, 'task_success', 1),
      outcome('u5', 'A', 13, 'task_success', 1), // never exposed: left out
      exposure('u6', 'C', 14), // unplanned variant: left out
      exposure('u7', 'B', 15),
      exposure('u1', 'A', 16), // a second exposure to the same arm changes nothing
      { ...base('u3', 'B', 17), type: 'sample', input: 'q', output: 'a' },
    ]
    const aggregator = new ExperimentAggregator(SPEC)
    for (const event of events) aggregator.add(event)
    expect(aggregator.result()).toEqual({
      arms: [
        {
          variant: 'A',
          users: 2,
          metrics: {
            success: { count: 2, sum: 1 },
            cost: { count: 1, sum: 0.375, sumSquares: 0.140625 },
            costPerRequest: {
              count: 1,
              sum: 0.75,
              sumSquares: 0.5625,
              denominatorSum: 2,
              denominatorSumSquares: 4,
              sumProducts: 1.5,
            },
          },
        },
        {
          variant: 'B',
          users: 2,
          metrics: {
            success: { count: 2, sum: 1 },
            cost: { count: 1, sum: 0.5, sumSquares: 0.25 },
            costPerRequest: {
              count: 1,
              sum: 0.5,
              sumSquares: 0.25,
              denominatorSum: 1,
              denominatorSumSquares: 1,
              sumProducts: 0.5,
            },
          },
        },
      ],
      crossed: 1,
      unplanned: { C: 1 },
      unexposed: 1,
      firstExposure: at(1),
      lastEvent: at(16),
      events: { exposures: 8, outcomes: 10 },
    })
  })

  it('reports every planned arm, empty, before any event', () => {
    const result = new ExperimentAggregator(SPEC).result()
    expect(result.arms.map((a) => [a.variant, a.users, a.metrics.success])).toEqual([
      ['A', 0, { count: 0, sum: 0 }],
      ['B', 0, { count: 0, sum: 0 }],
    ])
    expect(result.firstExposure).toBeNull()
  })
})
