/**
 * `gate.budget` through the library's `gate()`: stored runs of the month in a real store, the
 * gated run as a results document, the clock as a parameter.
 */
import { describe, expect, it } from 'vitest'
import type { Store } from '../../../src/contracts/store.js'
import { buildResults } from '../../../src/core/eval/aggregate.js'
import { createLogger } from '../../../src/logger.js'
import { openMemoryStore } from '../../../src/stores/memory/index.js'
import { gate } from '../../../src/workflows/gate/index.js'
import { newRun, runEnd } from '../../contract/store.contract.js'
import { minimalConfig, tempProject } from '../../helpers/project.js'
import { completedRun, sampleResult, suiteInfo } from '../../helpers/results.js'

const NOW = new Date('2026-12-10T12:00:00.000Z')

/** December 2026 so far: $10 a weekday (7 of them) and $1 a weekend day, each run completed. */
async function december(): Promise<Store> {
  const store = openMemoryStore()
  for (const day of [1, 2, 3, 4, 5, 6, 7, 8, 9]) {
    const weekend = day === 5 || day === 6
    const id = `202612${String(day).padStart(2, '0')}-100000-aaaaaa`
    await store.runs.create(
      newRun(id, { startedAt: `${id.slice(0, 4)}-12-${id.slice(6, 8)}T10:00:00.000Z` }),
      [],
    )
    const end = runEnd()
    await store.runs.finish(id, { ...end, summary: { ...end.summary, costUsd: weekend ? 1 : 10 } })
  }
  // November's runs and a run after `now` are not this month's spend so far.
  await store.runs.create(
    newRun('20261130-100000-nov', { startedAt: '2026-11-30T10:00:00.000Z' }),
    [],
  )
  await store.runs.finish('20261130-100000-nov', runEnd())
  await store.runs.create(
    newRun('20261211-100000-later', { startedAt: '2026-12-11T10:00:00.000Z' }),
    [],
  )
  const later = runEnd()
  await store.runs.finish('20261211-100000-later', {
    ...later,
    summary: { ...later.summary, costUsd: 100 },
  })
  return store
}

/** The gated run: one case that cost $3, $1 of it on a judge. */
const gated = buildResults({
  run: completedRun({ id: '20261210-110000-gated', startedAt: '2026-12-10T11:00:00.000Z' }),
  suites: [suiteInfo({ name: 'greet' })],
  cases: [{ suite: 'greet', id: 'one', vars: {}, tags: [] }],
  samples: [
    sampleResult({
      suite: 'greet',
      caseId: 'one',
      costUsd: 2,
      grades: [
        {
          type: 'llm-rubric',
          pass: true,
          score: 1,
          reason: 'ok',
          weight: 1,
          judge: {
            provider: 'openai:j',
            calls: 1,
            usage: null,
            costUsd: 1,
            latencyMs: 1,
            cached: false,
          },
        },
      ],
    }),
  ],
})

async function gateWith(budget: string) {
  const dir = tempProject({ 'shipgate.yaml': `${minimalConfig()}gate:\n  budget: ${budget}\n` })
  const logger = createLogger({ level: 'error', write: () => {} })
  return gate({
    cwd: dir,
    env: {},
    store: await december(),
    results: gated,
    baseline: 'none.json',
    logger,
    now: NOW,
  })
}

describe('gate with gate.budget', () => {
  // Spent: 7 × $10 + 2 × $1 + this run's $3 = $75 by day 9.5 of 31. Left: 15.5 weekdays and
  // 6 weekend days: projected $75 + $155 + $6 = $236 (no spread between weekdays: surely).
  it('fails when the month is surely over the budget, with the figures', async () => {
    const { verdict } = await gateWith('{ monthlyUsd: 200 }')
    expect(verdict.pass).toBe(false)
    expect(verdict.budget).toMatchObject({
      month: '2026-12',
      runs: 10,
      currentUsd: 3,
      outcome: 'over',
      monthlyUsd: 200,
    })
    expect(verdict.budget?.spentUsd).toBeCloseTo(75, 10)
    expect(verdict.budget?.projectedUsd).toBeCloseTo(236, 10)
    const check = verdict.checks.find((c) => c.id === 'budget')
    expect(check).toMatchObject({ status: 'failed', kind: 'budget', limit: 200 })
    expect(check?.message).toBe(
      'spent $75.00 in 10 runs (this one $3.00) by day 9.5 of 31; projected $236.00 by month end, at least $236.00 at 95%: over the budget of $200.00',
    )
  })

  it('passes under the budget, and only warns with onExceed: warn or past warnAt', async () => {
    const under = await gateWith('{ monthlyUsd: 400 }')
    expect(under.verdict.pass).toBe(true)
    expect(under.verdict.checks.find((c) => c.id === 'budget')?.status).toBe('passed')
    const warn = await gateWith('{ monthlyUsd: 200, onExceed: warn }')
    expect(warn.verdict.pass).toBe(true)
    expect(warn.verdict.checks.find((c) => c.id === 'budget')?.status).toBe('warned')
    const near = await gateWith('{ monthlyUsd: 280, warnAt: 0.8 }')
    expect(near.verdict.pass).toBe(true)
    const check = near.verdict.checks.find((c) => c.id === 'budget')
    expect(check?.status).toBe('warned')
    expect(check?.message).toContain('past 80% of the budget of $280.00')
  })

  it('has no budget check without gate.budget', async () => {
    const dir = tempProject({ 'shipgate.yaml': minimalConfig() })
    const logger = createLogger({ level: 'error', write: () => {} })
    const { verdict } = await gate({
      cwd: dir,
      env: {},
      store: await december(),
      results: gated,
      baseline: 'none.json',
      logger,
      now: NOW,
    })
    expect(verdict.budget).toBeUndefined()
    expect(verdict.checks.some((c) => c.id === 'budget')).toBe(false)
  })
})
