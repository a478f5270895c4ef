import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createLogger } from '../../../src/logger.js'
import { openStore } from '../../../src/stores/index.js'
import { seededRandom } from '../../../src/utils/random.js'
import { analyzeExperiment } from '../../../src/workflows/experiment/index.js'
import { experimentProject } from './project.js'
import { simulate, writeEvents, type Simulation } from './simulate.js'

/* analyze end to end: simulated experiments with known truth written as events into SQLite. */

const logger = createLogger({ write: () => {} })
const START = '2026-12-01T00:00:00.000Z'

async function project(sim: Simulation, stream: number) {
  const cwd = experimentProject()
  const store = await openStore(join(cwd, '.shipgate/shipgate.db'), cwd)
  try {
    await writeEvents(store, simulate(sim, seededRandom(stream)))
  } finally {
    await store.close()
  }
  return cwd
}

describe('analyzeExperiment on SQLite', () => {
  it('keeps running before any event, as of now (the clock)', async () => {
    const cwd = experimentProject()
    const clock = { now: () => Date.parse(START) }
    const report = await analyzeExperiment('checkout', { cwd, env: {}, logger, clock })
    expect(report.decision.outcome).toBe('keep-running')
    expect(JSON.stringify(report.decision)).toContain(
      "at least 2 users with task_success in 'A' (has 0)",
    )
    expect(report).toMatchObject({ srm: null, days: 0, asOf: START, started: null, treatments: [] })
    await expect(analyzeExperiment('nope', { cwd, env: {}, logger })).rejects.toThrow(
      /no experiment "nope"/,
    )
  })

  it('names B the winner at +2 points (20,000 users per arm) with an interval covering the truth', async () => {
    const arms = { A: { users: 20_000, success: 0.6 }, B: { users: 20_000, success: 0.62 } }
    const cwd = await project({ arms, days: 14, start: START }, 17)
    const report = await analyzeExperiment('checkout', { cwd, env: {}, logger })
    expect(report.decision).toEqual({ outcome: 'winner', variant: 'B' })
    expect(report.arms.map((a) => [a.variant, a.users])).toEqual([
      ['A', 20_000],
      ['B', 20_000],
    ])
    expect(report.srm?.mismatch).toBe(false)
    const [b] = report.treatments
    expect(b?.primary.interval.lower).toBeLessThan(0.02)
    expect(b?.primary.interval.upper).toBeGreaterThan(0.02)
    expect(b?.primary.interval.lower).toBeGreaterThan(0)
    expect(b?.guardrails.map((g) => [g.metric, g.pass])).toEqual([['cost', true]])
    expect(report.days).toBeGreaterThan(13.9)
    expect(report.events).toEqual({ exposures: 40_000, outcomes: 80_000 })
    // An earlier look: days 3, before minDays, keeps running and says why.
    const early = await analyzeExperiment('checkout', {
      cwd,
      env: {},
      logger,
      asOf: new Date('2026-12-04T00:00:00Z'),
    })
    expect(early.days).toBeCloseTo(3, 5)
    expect(early.decision.outcome).toBe('keep-running')
    expect(JSON.stringify(early.decision)).toContain('more day(s) (minimum 7)')
  }, 60_000)

  it('names no winner for equal arms: no detectable difference at the planned end', async () => {
    const arms = { A: { users: 20_000, success: 0.6 }, B: { users: 20_000, success: 0.6 } }
    const cwd = await project({ arms, days: 14, start: START }, 23)
    const report = await analyzeExperiment('checkout', {
      cwd,
      env: {},
      logger,
      asOf: new Date('2026-12-15T00:00:00Z'),
    })
    expect(report.decision.outcome).toBe('no-detectable-difference')
    const mde = (report.decision as { mde: Record<string, number> }).mde.B as number
    expect(mde).toBeGreaterThan(0.005)
    expect(mde).toBeLessThan(0.03)
    expect(report.treatments[0]?.primary.interval.lower).toBeLessThan(0)
    expect(report.treatments[0]?.primary.interval.upper).toBeGreaterThan(0)
  }, 60_000)

  it('is invalid (sample ratio mismatch) at a 48/52 delivery of 100,000 users', async () => {
    const arms = { A: { users: 48_000, success: 0.6 }, B: { users: 52_000, success: 0.6 } }
    const cwd = await project({ arms, days: 14, start: START, outcomes: false }, 29)
    const report = await analyzeExperiment('checkout', { cwd, env: {}, logger })
    expect(report.decision.outcome).toBe('invalid')
    expect(report.srm?.mismatch).toBe(true)
    expect(report.treatments).toEqual([])
    expect(report.arms.map((a) => [a.variant, a.users, a.expected])).toEqual([
      ['A', 48_000, 50_000],
      ['B', 52_000, 50_000],
    ])
    expect(JSON.stringify(report.decision)).toContain('A 48000 (planned 50000)')
  }, 60_000)
})
