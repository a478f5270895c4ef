/**
 * The online experiment's decision measured with a known truth: seeded simulations of 14 days,
 * 1,000 experiments per setting, `decideExperiment` read after every simulated day with the
 * plan below, stopping at the first winner. Per day and arm only the sufficient statistics are
 * drawn (exactly: binomial users and successes, and for a normal per-user cost the sum and the
 * chi-square spread), so 14,000 looks per setting take well under a second.
 * - False winners: A and B equal (task success 60% and 10%, the same cost).
 * - Power: task success +2 points at 50,000 users per arm by day 14.
 * - Guardrail: the same lift with cost +25% against a +10% margin.
 * - SRM: a 50/50 allocation that delivers 48/52; and one that delivers 50/50.
 * The table is rendered here and must match docs/experiments.md (SHIPGATE_WRITE_TABLES=1
 * rewrites it there).
 */
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { Random } from '../../../src/contracts/clock.js'
import {
  decideExperiment,
  type ArmData,
  type ExperimentPlan,
  type MetricTotals,
} from '../../../src/core/experiment/index.js'
import { twoProportionZTest } from '../../../src/core/stats/proportions.js'
import { seededRandom } from '../../../src/utils/random.js'
import { checkDocTable } from '../../helpers/doc-tables.js'
import { binomial, gamma, normal } from '../../helpers/sampling.js'

const DOC = fileURLToPath(new URL('../../../docs/experiments.md', import.meta.url))
const EXPERIMENTS = 1000
const DAYS = 14
const USERS = 100_000

const PLAN: ExperimentPlan = {
  control: 'A',
  allocation: { A: 50, B: 50 },
  primary: { name: 'task_success', kind: 'proportion', better: 'higher', effect: 0.02 },
  guardrails: [{ name: 'cost', kind: 'mean', better: 'lower', margin: 0.1 }],
  minUsersPerArm: 1000,
  minDays: 7,
  plannedDays: DAYS,
}

/** One arm's truth: task success rate and normal per-user cost (mean, sd). */
interface Truth {
  readonly success: number
  readonly costMean: number
  readonly costSd: number
}

const BASE: Truth = { success: 0.6, costMean: 0.002, costSd: 0.0014 }

/** A setting: both arms' truth and the share of users actually delivered to A. */
interface Setting {
  readonly name: string
  readonly a: Truth
  readonly b: Truth
  readonly deliveredToA: number
  /** Users over the 14 days, both arms; default 100,000 (50,000 per arm). */
  readonly users?: number
  /** Plan changes for this setting. */
  readonly plan?: Partial<ExperimentPlan>
  readonly seed: number
}

/** Cumulative totals of one arm. */
interface Running {
  users: number
  success: MetricTotals
  cost: MetricTotals
}

function addDay(random: Random, arm: Running, truth: Truth, users: number): void {
  const successes = binomial(random, users, truth.success)
  const mean = truth.costMean + (truth.costSd * normal(random)) / Math.sqrt(users)
  // For normal values Σ(x − x̄)² is σ²·χ²(n − 1), independent of the mean: Gamma((n−1)/2, 2σ²).
  const spread = users > 1 ? gamma(random, (users - 1) / 2, 2 * truth.costSd ** 2) : 0
  arm.users += users
  arm.success = { count: arm.users, sum: arm.success.sum + successes }
  arm.cost = {
    count: arm.users,
    sum: arm.cost.sum + users * mean,
    sumSquares: (arm.cost.sumSquares ?? 0) + spread + users * mean * mean,
  }
}

function armData(variant: string, arm: Running): ArmData {
  return { variant, users: arm.users, metrics: { task_success: arm.success, cost: arm.cost } }
}

/** The two-sided two-proportion z-test's p-value of task success, B against A. */
function fixedSampleP(b: Running, a: Running): number {
  return twoProportionZTest(b.success.sum, b.success.count, a.success.sum, a.success.count).pValue
}

/** What one simulated experiment ended with. */
interface Run {
  readonly winner: string | null
  readonly day: number | null
  readonly invalid: boolean
  /** A fixed-sample z test read daily from day 7 at 0.05 two-sided would have called it. */
  readonly naive: boolean
}

function simulate(random: Random, s: Setting): Run {
  const empty = (): Running => ({
    users: 0,
    success: { count: 0, sum: 0 },
    cost: { count: 0, sum: 0, sumSquares: 0 },
  })
  const a = empty()
  const b = empty()
  let invalid = false
  let naive = false
  for (let day = 1; day <= DAYS; day++) {
    const total = s.users ?? USERS
    const users = Math.round((total * day) / DAYS) - Math.round((total * (day - 1)) / DAYS)
    const toA = binomial(random, users, s.deliveredToA)
    addDay(random, a, s.a, toA)
    addDay(random, b, s.b, users - toA)
    const { decision } = decideExperiment(
      { arms: [armData('A', a), armData('B', b)], days: day },
      { ...PLAN, ...s.plan },
    )
    if (decision.outcome === 'invalid') invalid = true
    if (day >= 7 && fixedSampleP(b, a) <= 0.05) naive = true
    if (decision.outcome === 'winner') return { winner: decision.variant, day, invalid, naive }
  }
  return { winner: null, day: null, invalid, naive }
}

/** Rates over EXPERIMENTS runs of a setting. */
interface Measured {
  readonly winner: number
  readonly winnerB: number
  readonly meanDay: number
  readonly invalid: number
  readonly naive: number
}

function measure(s: Setting): Measured {
  const random = seededRandom(s.seed)
  const runs = Array.from({ length: EXPERIMENTS }, () => simulate(random, s))
  const won = runs.filter((r) => r.winner !== null)
  const share = (n: number) => n / EXPERIMENTS
  return {
    winner: share(won.length),
    winnerB: share(won.filter((r) => r.winner === 'B').length),
    meanDay: won.length === 0 ? NaN : won.reduce((t, r) => t + (r.day as number), 0) / won.length,
    invalid: share(runs.filter((r) => r.invalid).length),
    naive: share(runs.filter((r) => r.naive).length),
  }
}

/** A setting with A at BASE and B changed by `b`, 50/50 delivered unless said otherwise. */
function setting(
  name: string,
  seed: number,
  b: Partial<Truth>,
  more: Partial<Setting> = {},
): Setting {
  return { name, seed, a: BASE, b: { ...BASE, ...b }, deliveredToA: 0.5, ...more }
}

const LOW: Truth = { ...BASE, success: 0.1 }

const SETTINGS: Setting[] = [
  setting('A = B, success 60%', 101, {}),
  setting('A = B, success 10%', 102, LOW, { a: LOW }),
  setting('A = B, success 60%, 500,000 per arm', 108, {}, { users: 1_000_000 }),
  setting(
    'A = B, success 60%, one-sided, decided from day 1',
    109,
    {},
    {
      plan: { minDays: 1, primary: { ...PLAN.primary, sided: 'one-sided' } },
    },
  ),
  setting('B +2 points (60% → 62%)', 103, { success: 0.62 }),
  setting('B +1 point (60% → 61%)', 106, { success: 0.61 }),
  setting('B +2 points (60% → 62%)', 107, { success: 0.62 }, { users: 20_000 }),
  setting('B +2 points, cost +25% (margin +10%)', 104, { success: 0.62, costMean: 0.0025 }),
  setting('A = B, delivered 48/52', 105, {}, { deliveredToA: 0.48 }),
]

const pct = (x: number) => `${(100 * x).toFixed(1)}%`

/** The table `name` in docs/experiments.md must be `lines` (see checkDocTable). */
function checkTable(name: string, lines: readonly string[]): void {
  checkDocTable(DOC, name, lines)
}

describe('online experiments, simulated with a known truth and read daily for 14 days', () => {
  const results = SETTINGS.map((s) => [s, measure(s)] as const)
  const by = (name: string, users = USERS) =>
    results.find(([s]) => s.name === name && (s.users ?? USERS) === users)?.[1] as Measured

  it('names a winner in at most 5% of experiments where the variants are equal', () => {
    expect(by('A = B, success 60%').winner).toBeLessThanOrEqual(0.05)
    expect(by('A = B, success 10%').winner).toBeLessThanOrEqual(0.05)
    expect(by('A = B, success 60%, 500,000 per arm', 1_000_000).winner).toBeLessThanOrEqual(0.05)
    expect(by('A = B, success 60%, one-sided, decided from day 1').winner).toBeLessThanOrEqual(0.05)
  })

  it('finds a +2-point task-success lift at 50,000 users per arm in at least 80% of experiments', () => {
    expect(by('B +2 points (60% → 62%)', 100_000).winnerB).toBeGreaterThanOrEqual(0.8)
  })

  it('does not name a winner whose cost breaks the +10% guardrail', () => {
    expect(by('B +2 points, cost +25% (margin +10%)').winner).toBeLessThanOrEqual(0.05)
  })

  it('flags a 50/50 allocation delivering 48/52, and rarely one delivering 50/50', () => {
    expect(by('A = B, delivered 48/52').invalid).toBeGreaterThanOrEqual(0.99)
    expect(by('A = B, delivered 48/52').winner).toBe(0)
    for (const name of ['A = B, success 60%', 'A = B, success 10%'])
      expect(by(name).invalid).toBeLessThanOrEqual(0.02)
  })

  it('flags exactly 48,000/52,000 of 100,000 users as a blocking sample ratio mismatch', () => {
    const arm = (variant: string, users: number): ArmData => ({
      variant,
      users,
      metrics: {
        task_success: { count: users, sum: Math.round(users * 0.6) },
        cost: { count: users, sum: users * 0.002, sumSquares: users * 0.002 ** 2 * 1.5 },
      },
    })
    const { decision, srm } = decideExperiment(
      { arms: [arm('A', 48_000), arm('B', 52_000)], days: 14 },
      PLAN,
    )
    expect(srm?.statistic).toBeCloseTo(160, 9)
    expect(srm?.pValue).toBeLessThan(1e-30)
    expect(decision.outcome).toBe('invalid')
  })

  it('matches the table in docs/experiments.md', () => {
    checkTable('online', [
      `| setting | users per arm | experiments | winner named | B named | mean day named | SRM flagged | fixed-sample z read daily (days 7–14) |`,
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...results.map(
        ([s, m]) =>
          `| ${s.name} | ${((s.users ?? USERS) / 2).toLocaleString('en-US')} | ${EXPERIMENTS} | ${pct(m.winner)} | ${pct(m.winnerB)} | ${Number.isNaN(m.meanDay) ? '–' : m.meanDay.toFixed(1)} | ${pct(m.invalid)} | ${pct(m.naive)} |`,
      ),
    ])
  })
})
