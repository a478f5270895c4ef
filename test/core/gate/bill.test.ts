/**
 * `cost --by month|branch|suite`: the CI bill over a year of stored runs equals totals computed
 * by hand, with replayed answers and judges apart; by suite, each suite of a run apart.
 */
import { describe, expect, it } from 'vitest'
import type { AssertionGrade } from '../../../src/contracts/results.js'
import type { RunEnd, Store } from '../../../src/contracts/store.js'
import { openMemoryStore } from '../../../src/stores/memory/index.js'
import { ciBill } from '../../../src/workflows/compare/index.js'
import { newRun, plannedCase, runEnd, sample, suite } from '../../contract/store.contract.js'

/** A run a day through 2026: $0.50 of model calls and $0.10 of judges; every 5th day replayed. */
async function yearOfRuns() {
  const store = openMemoryStore()
  for (let day = 0; day < 365; day++) {
    const startedAt = new Date(Date.UTC(2026, 0, 1) + day * 86_400_000 + 3_600_000).toISOString()
    const id = `${startedAt.slice(0, 10).replaceAll('-', '')}-010000-${String(day).padStart(6, '0')}`
    const branch = day % 3 === 0 ? 'main' : 'feature'
    await store.runs.create(
      newRun(id, { startedAt, git: { commit: id, branch, dirty: false } }),
      [],
    )
    const replayed = day % 5 === 0
    const end: RunEnd = {
      status: 'completed',
      finishedAt: startedAt,
      summary: {
        suites: 1,
        cases: 10,
        samples: 10,
        passed: 10,
        failed: 0,
        errors: 0,
        costUsd: 0.5,
        judgeCostUsd: 0.1,
        durationMs: 1000,
        pass: true,
        ...(replayed ? { replayed: { samples: 10, costUsd: 0.5 } } : {}),
      },
    }
    await store.runs.finish(id, end)
  }
  // An unpriced run in December, and one still running: runs, not cost.
  await store.runs.create(
    newRun('20261215-120000-unpriced', { startedAt: '2026-12-15T12:00:00.000Z' }),
    [],
  )
  await store.runs.finish('20261215-120000-unpriced', {
    status: 'completed',
    finishedAt: '2026-12-15T12:00:01.000Z',
    summary: {
      suites: 1,
      cases: 1,
      samples: 1,
      passed: 1,
      failed: 0,
      errors: 0,
      costUsd: null,
      judgeCostUsd: null,
      durationMs: 10,
      pass: true,
    },
  })
  await store.runs.create(
    newRun('20261216-120000-running', { startedAt: '2026-12-16T12:00:00.000Z' }),
    [],
  )
  return store
}

describe('ciBill', () => {
  it('sums a year by month: what was spent, judges apart, replayed answers not spent', async () => {
    const store = await yearOfRuns()
    const bill = await ciBill({ cwd: '/', env: {}, store, by: 'month' })
    expect(bill.rows.map((r) => r.key)).toEqual(
      Array.from({ length: 12 }, (_, m) => `2026-${String(m + 1).padStart(2, '0')}`),
    )
    // January: 31 runs, days 0, 5, …, 30 replayed (7): 31 × $0.10 of judges + 24 × $0.50.
    const january = bill.rows[0]
    expect(january?.runs).toBe(31)
    expect(january?.judgeUsd).toBeCloseTo(3.1, 10)
    expect(january?.modelUsd).toBeCloseTo(12, 10)
    expect(january?.spentUsd).toBeCloseTo(15.1, 10)
    expect(january?.replayedUsd).toBeCloseTo(3.5, 10)
    // The year: 365 × $0.10 + (365 − 73 replayed) × $0.50 = $182.50; 73 × $0.50 replayed.
    expect(bill.total.runs).toBe(367)
    expect(bill.total.spentUsd).toBeCloseTo(182.5, 10)
    expect(bill.total.replayedUsd).toBeCloseTo(36.5, 10)
    expect(bill.total.unpriced).toBe(1)
    expect(bill.rows.reduce((sum, r) => sum + r.spentUsd, 0)).toBeCloseTo(182.5, 10)
  })

  it('groups by branch, highest spend first, and counts only runs since a date', async () => {
    const store = await yearOfRuns()
    const bill = await ciBill({ cwd: '/', env: {}, store, by: 'branch' })
    // feature: days not divisible by 3 (243), 48 of them replayed (divisible by 5, not by 15):
    // 243 × $0.10 + 195 × $0.50 = $121.80. main: the other 122 days and the 2 extra runs.
    expect(bill.rows.map((r) => [r.key, r.runs])).toEqual([
      ['feature', 243],
      ['main', 124],
    ])
    expect(bill.rows[0]?.spentUsd).toBeCloseTo(121.8, 10)
    expect(bill.rows[1]?.spentUsd).toBeCloseTo(60.7, 10)
    // December (days 334–364, 6 replayed) and the 2 extra runs: 31 × $0.10 + 25 × $0.50.
    const december = await ciBill({
      cwd: '/',
      env: {},
      store,
      by: 'month',
      since: new Date('2026-12-01T00:00:00Z'),
    })
    expect(december.since).toBe('2026-12-01T00:00:00.000Z')
    expect(december.rows.map((r) => [r.key, r.runs])).toEqual([['2026-12', 33]])
    expect(december.total.spentUsd).toBeCloseTo(15.6, 10)
  })
})

/** A graded check whose judge call cost `usd`. */
function judged(usd: number): AssertionGrade {
  const judge = { provider: 'openai:judge', calls: 1, usage: null, costUsd: usd, latencyMs: 1 }
  return {
    type: 'llm-rubric',
    pass: true,
    score: 1,
    reason: 'ok',
    weight: 1,
    judge: { ...judge, cached: false },
  }
}

/** Three runs of suites `a` and `b`: two ended, one still running. */
async function twoSuites(store: Store) {
  const plan = (day: number) => ({
    startedAt: `2026-01-0${day}T00:00:00.000Z`,
    suites: [suite('a'), suite('b')],
  })
  const cases = [plannedCase('a', 'x'), plannedCase('a', 'y'), plannedCase('b', 'z')]
  // Run 1: a pays $0.10 + $0.10 and a $0.02 judge; b's $0.30 answer is replayed.
  await store.runs.create(newRun('20260105-000000-aaaaaa', plan(5)), cases)
  await store.runs.appendSamples('20260105-000000-aaaaaa', [
    sample('a', 'x', 0, { costUsd: 0.1, grades: [judged(0.02)] }),
    sample('a', 'y', 0, { costUsd: 0.1 }),
    sample('b', 'z', 0, { costUsd: 0.3, cached: true }),
  ])
  await store.runs.finish('20260105-000000-aaaaaa', runEnd())
  // Run 2: a pays $0.05 and a $0.01 judge; b's model has no price.
  await store.runs.create(newRun('20260106-000000-bbbbbb', plan(6)), cases)
  await store.runs.appendSamples('20260106-000000-bbbbbb', [
    sample('a', 'x', 0, { costUsd: 0.05, grades: [judged(0.01)] }),
    sample('b', 'z', 0),
  ])
  await store.runs.finish('20260106-000000-bbbbbb', runEnd())
  // Run 3, still running: its $1 sample is not counted until the run ends.
  await store.runs.create(newRun('20260107-000000-cccccc', plan(7)), cases)
  await store.runs.appendSamples('20260107-000000-cccccc', [sample('a', 'x', 0, { costUsd: 1 })])
}

describe('ciBill by suite', () => {
  it('counts each suite of a run with its own cost, judges and replayed answers apart', async () => {
    const store = openMemoryStore()
    await twoSuites(store)
    const bill = await ciBill({ cwd: '/', env: {}, store, by: 'suite' })
    const row = (key: string) => bill.rows.find((r) => r.key === key)
    expect(bill.rows.map((r) => r.key)).toEqual(['a', 'b'])
    // a: $0.10 + $0.10 + $0.05 of models, $0.02 + $0.01 of judges, in 3 runs.
    expect(row('a')).toMatchObject({ runs: 3, replayedUsd: 0, unpriced: 0 })
    expect(row('a')?.modelUsd).toBeCloseTo(0.25, 10)
    expect(row('a')?.judgeUsd).toBeCloseTo(0.03, 10)
    expect(row('a')?.spentUsd).toBeCloseTo(0.28, 10)
    // b: nothing spent; $0.30 replayed; one run unpriced.
    expect(row('b')).toMatchObject({ runs: 3, spentUsd: 0, modelUsd: 0, unpriced: 1 })
    expect(row('b')?.replayedUsd).toBeCloseTo(0.3, 10)
    expect(bill.total.runs).toBe(6)
    expect(bill.total.spentUsd).toBeCloseTo(0.28, 10)
    const since = await ciBill({
      cwd: '/',
      env: {},
      store,
      by: 'suite',
      since: new Date('2026-01-06'),
    })
    expect(since.total.spentUsd).toBeCloseTo(0.06, 10)
  })
})
