/**
 * `gate.budget`: the month's projection by hand, the check it makes, and a seeded simulation of
 * how often it fails a team spending steadily under the budget and how soon it catches one over
 * it (the table in docs/ci.md is this simulation's output).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { Random } from '../../../src/contracts/clock.js'
import {
  budgetCheck,
  budgetStanding,
  type BudgetRule,
  type RunCost,
} from '../../../src/core/gate/budget.js'
import { seededRandom } from '../../../src/utils/random.js'

const rule = (monthlyUsd: number, extra: Partial<BudgetRule> = {}): BudgetRule => ({
  monthlyUsd,
  warnAt: 0.8,
  onExceed: 'fail',
  ...extra,
})

/**
 * December 2026 (the 1st is a Tuesday) up to Thursday the 10th, noon: each weekday so far one
 * run costing `weekdays[i]`, each weekend day $1, and a $5 run this morning.
 */
function december(weekdays: readonly number[]): RunCost[] {
  const days = [1, 2, 3, 4, 7, 8, 9]
  return [
    ...days.map((d, i) => ({ startedAt: at(d, 10), spentUsd: weekdays[i] ?? 0 })),
    { startedAt: at(5, 10), spentUsd: 1 },
    { startedAt: at(6, 10), spentUsd: 1 },
    { startedAt: at(10, 9), spentUsd: 5 },
  ]
}
const at = (day: number, hour: number) => new Date(Date.UTC(2026, 11, day, hour)).toISOString()
const NOW = new Date(at(10, 12))

describe('budgetStanding', () => {
  // Spent: 7 × $10 + 2 × $1 + $5 + this run's $3 = $80. Left: half of Thursday and 15 weekdays
  // (15.5) and 6 weekend days. Projected: $80 + 15.5 × $10 + 6 × $1 = $241.
  const runs = [
    ...december([10, 10, 10, 10, 10, 10, 10]),
    { startedAt: NOW.toISOString(), spentUsd: 3 },
  ]

  it('projects spent plus a weekday and a weekend run rate over the days left', () => {
    const s = budgetStanding(rule(400), runs, 3, NOW)
    expect(s).toMatchObject({ month: '2026-12', daysInMonth: 31, runs: 11, currentUsd: 3 })
    expect(s.spentUsd).toBeCloseTo(80, 10)
    expect(s.daysElapsed).toBeCloseTo(9.5, 10)
    expect(s.projectedUsd).toBeCloseTo(241, 10)
    // No spread between the weekdays: the lower bound is the projection.
    expect(s.projectedLowUsd).toBeCloseTo(241, 10)
    expect(s.outcome).toBe('under')
    expect(budgetStanding(rule(300), runs, 3, NOW).outcome).toBe('warn') // 241 ≥ 0.8 × 300
    expect(budgetStanding(rule(240), runs, 3, NOW).outcome).toBe('over')
  })

  it('fails only when the 95% lower bound passes the budget; warns before', () => {
    // Weekdays $8, $12, … mean $10, sd $2: the rate's bound is 10 − 1.645 × 2/√7 = $8.7565,
    // so the lower bound is $80 + 15.5 × $8.7565 + $6 = $221.73.
    const spread = [
      ...december([8, 12, 8, 12, 8, 12, 10]),
      { startedAt: NOW.toISOString(), spentUsd: 3 },
    ]
    const s = budgetStanding(rule(230), spread, 3, NOW)
    expect(s.projectedUsd).toBeCloseTo(241, 10)
    expect(s.projectedLowUsd).toBeCloseTo(80 + 15.5 * (10 - (1.645 * 2) / Math.sqrt(7)) + 6, 10)
    expect(s.outcome).toBe('warn')
    expect(budgetCheck(rule(230), s).message).toContain(
      'heading over the budget of $230.00, not yet surely',
    )
    expect(budgetStanding(rule(220), spread, 3, NOW).outcome).toBe('over')
  })

  it('is over, with no projection needed, once the spend itself passes the budget', () => {
    const first = new Date(at(1, 9))
    const s = budgetStanding(
      rule(50),
      [{ startedAt: first.toISOString(), spentUsd: 60 }],
      60,
      first,
    )
    expect(s.projectedLowUsd).toBeNull()
    expect(s.outcome).toBe('over')
  })
})

describe('budgetCheck', () => {
  const runs = [
    ...december([10, 10, 10, 10, 10, 10, 10]),
    { startedAt: NOW.toISOString(), spentUsd: 3 },
  ]

  it('fails over the budget with the figures, or warns with onExceed: warn', () => {
    const check = budgetCheck(rule(200), budgetStanding(rule(200), runs, 3, NOW))
    expect(check).toMatchObject({
      id: 'budget',
      kind: 'budget',
      status: 'failed',
      limit: 200,
      approval: 'budget',
    })
    expect(check.actual).toBeCloseTo(241, 10)
    expect(check.message).toBe(
      'spent $80.00 in 11 runs (this one $3.00) by day 9.5 of 31; projected $241.00 by month end, at least $241.00 at 95%: over the budget of $200.00',
    )
    const warn = rule(200, { onExceed: 'warn' })
    expect(budgetCheck(warn, budgetStanding(warn, runs, 3, NOW)).status).toBe('warned')
    expect(budgetCheck(rule(300), budgetStanding(rule(300), runs, 3, NOW))).toMatchObject({
      status: 'warned',
    })
    expect(budgetCheck(rule(400), budgetStanding(rule(400), runs, 3, NOW)).status).toBe('passed')
  })
})

const DAY_MS = 86_400_000

function poisson(random: Random, mean: number): number {
  const limit = Math.exp(-mean)
  let k = 0
  for (let p = random(); p > limit; p *= random()) k += 1
  return k
}

function normal(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
}

/**
 * One calendar month (2026–2030) of a team spending `share` of a $500 budget on average: 10
 * runs a weekday and 1 a weekend day (Poisson), between 08:00 and 20:00 UTC, each costing an
 * exponential draw around the mean, each day scaled by a lognormal busy factor (σ 0.3). The
 * gate runs at 10:00, 14:00 and 18:00 every day; what it said, by day of the month.
 */
function simulateMonth(random: Random, share: number): { day: number; outcome: string }[] {
  const start = Date.UTC(2026 + Math.floor(random() * 5), Math.floor(random() * 12), 1)
  const end = new Date(start)
  end.setUTCMonth(end.getUTCMonth() + 1)
  const days = Math.round((end.getTime() - start) / DAY_MS)
  const weekend = (d: number) => [0, 6].includes(new Date(start + d * DAY_MS).getUTCDay())
  let expected = 0
  for (let d = 0; d < days; d++) expected += weekend(d) ? 1 : 10
  const mean = (share * 500) / expected
  const runs: RunCost[] = []
  const said: { day: number; outcome: string }[] = []
  for (let d = 0; d < days; d++) {
    const busy = Math.exp(0.3 * normal(random) - 0.045)
    const times = Array.from(
      { length: poisson(random, weekend(d) ? 1 : 10) },
      () => start + d * DAY_MS + (8 + 12 * random()) * 3_600_000,
    ).sort((a, b) => a - b)
    const today = times.map((t) => ({ t, spentUsd: -Math.log(1 - random()) * mean * busy }))
    for (const hour of [10, 14, 18]) {
      const now = start + d * DAY_MS + hour * 3_600_000
      const before = today.filter((r) => r.t < now)
      const all = [
        ...runs,
        ...before.map((r) => ({ startedAt: new Date(r.t).toISOString(), spentUsd: r.spentUsd })),
      ]
      said.push({ day: d + 1, outcome: budgetStanding(rule(500), all, 0, new Date(now)).outcome })
    }
    runs.push(
      ...today.map((r) => ({ startedAt: new Date(r.t).toISOString(), spentUsd: r.spentUsd })),
    )
  }
  return said
}

const pct = (n: number, of: number) => `${((100 * n) / of).toFixed(1)}%`

/** The docs' table: per day of the month, the share of gate runs that failed or warned. */
function simulationTable(months: number): string[] {
  const random = seededRandom(2026)
  const teams = [0.8, 1.3].map((share) => {
    const byDay = new Map<number, { n: number; over: number; warn: number }>()
    const firstOver: number[] = []
    for (let m = 0; m < months; m++) {
      const said = simulateMonth(random, share)
      firstOver.push(said.find((s) => s.outcome === 'over')?.day ?? Infinity)
      for (const s of said) {
        const day = byDay.get(s.day) ?? { n: 0, over: 0, warn: 0 }
        day.n += 1
        if (s.outcome === 'over') day.over += 1
        if (s.outcome === 'warn') day.warn += 1
        byDay.set(s.day, day)
      }
    }
    return { byDay, firstOver: firstOver.sort((a, b) => a - b) }
  })
  const [steady, over] = teams as [(typeof teams)[0], (typeof teams)[0]]
  const rows = [1, 2, 3, 5, 7, 10, 14, 21, 28].map((d) => {
    const a = steady.byDay.get(d)!
    const b = over.byDay.get(d)!
    return `| ${d} | ${pct(a.over, a.n)} | ${pct(a.warn, a.n)} | ${pct(b.over, b.n)} | ${pct(b.warn, b.n)} |`
  })
  const falseMonths = steady.firstOver.filter((d) => d !== Infinity).length
  const q = (p: number) => over.firstOver[Math.ceil(p * months) - 1]
  return [
    '| day of the month | 80% team: gate failed | 80% team: warned | 130% team: gate failed | 130% team: warned |',
    '| ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    `Months in which the 80% team's gate failed at least once: ${pct(falseMonths, months)}. The 130% team's first failure: by day ${q(0.5)} in half of the months, by day ${q(0.9)} in 90%.`,
  ]
}

describe('the budget simulation', () => {
  it('rarely fails a team at 80% of its budget, catches most at 130% in the second week; docs/ci.md shows the table', () => {
    const table = simulationTable(200)
    const docs = readFileSync(new URL('../../../docs/ci.md', import.meta.url), 'utf8')
    for (const line of table) expect(docs).toContain(line)
  })
})
