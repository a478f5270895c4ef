/**
 * The canary analysis measured like a classifier: seeded simulations with a known truth, the
 * analysis looking at every interval of the whole run with its default rules.
 * - False alarms: canary and stable equally good (error rates 0.5% to 10%, the same latency and
 *   cost), 2,000 canaries per setting, at 50 and 500 canary requests per interval.
 * - Power: errors 1% → 3%, p95 latency doubled, cost per request +60%, at one canary request a
 *   second (60 per one-minute interval), each within 15 minutes.
 * - The old monitor (one interval's point estimate against 5% and +2 points, failing after one)
 *   on the same healthy traffic, beside the new analysis.
 * The tables are rendered here and must match docs/canary.md (SHIPGATE_WRITE_TABLES=1 rewrites
 * them there).
 */
import { checkDocTable } from '../../helpers/doc-tables.js'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { Random } from '../../../src/contracts/clock.js'
import {
  analyzeCanary,
  type ArmWindow,
  type CanaryWindow,
} from '../../../src/core/rollout/canary.js'
import { seededRandom } from '../../../src/utils/random.js'
import { binomial, gamma, logNormalShares, multinomial } from '../../helpers/sampling.js'

/** The runtime SDK's request-duration buckets (seconds). */
const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, Infinity]

/** What one arm serves: its error rate, log-normal latency and gamma-distributed cost. */
interface Arm {
  readonly errorRate: number
  /** Median latency in seconds; sigma 0.5 on the log scale. */
  readonly medianS: number
  /** Mean cost per request in USD; shape 2 (a coefficient of variation of 0.71). */
  readonly costUsd: number
}

const HEALTHY: Arm = { errorRate: 0.01, medianS: 0.8, costUsd: 0.002 }
const COST_SHAPE = 2
const SIGMA = 0.5

function armWindow(random: Random, arm: Arm, requests: number): ArmWindow {
  const shares = logNormalShares(BOUNDS, Math.log(arm.medianS), SIGMA)
  return {
    requests,
    errors: binomial(random, requests, arm.errorRate),
    latency: { bounds: BOUNDS, counts: multinomial(random, requests, shares) },
    costUsd: gamma(random, COST_SHAPE * requests, arm.costUsd / COST_SHAPE),
  }
}

/** `intervals` windows of a canary at 5% of the traffic: stable serves 19 times as many. */
function simulate(
  random: Random,
  canary: Arm,
  stable: Arm,
  perInterval: number,
  intervals: number,
): CanaryWindow[] {
  return Array.from({ length: intervals }, () => ({
    canary: armWindow(random, canary, perInterval),
    stable: armWindow(random, stable, perInterval * 19),
  }))
}

/** The interval the analysis first failed at (1-based), looking at every one; null if never. */
function failedAt(windows: readonly CanaryWindow[]): number | null {
  // Always-valid p-values only fall, so a run that failed at some look fails at the last:
  // one call at the end tells whether, and the looks are searched only for when.
  if (analyzeCanary(windows).outcome !== 'failed') return null
  for (let k = 1; k <= windows.length; k++) {
    if (analyzeCanary(windows.slice(0, k)).outcome === 'failed') return k
  }
  return windows.length
}

/**
 * The old monitor (src/core/rollout/monitor.ts before issue 15), on error rates: an interval
 * with at least 20 canary requests failed when its error rate was above 5%, or more than 2
 * points above stable's (when stable had 20 requests); one failed interval failed the run.
 */
function oldMonitorFails(windows: readonly CanaryWindow[]): boolean {
  return windows.some(({ canary, stable }) => {
    if (canary.requests < 20) return false
    const rate = canary.errors / canary.requests
    const rise = stable.requests >= 20 ? rate - stable.errors / stable.requests : 0
    return rate > 0.05 || rise > 0.02 + 1e-12
  })
}

const RUNS = 2_000
const INTERVALS = 15

const pct = (share: number) => `${(share * 100).toFixed(share > 0 && share < 0.01 ? 2 : 1)}%`

describe('the canary analysis on simulated traffic (seeded)', () => {
  it('fails at most 1% of canaries as good as stable, at every error rate and traffic', () => {
    const rows: string[] = []
    let seed = 1
    for (const perInterval of [50, 500]) {
      for (const errorRate of [0.005, 0.01, 0.03, 0.1]) {
        const random = seededRandom(seed++)
        const arm = { ...HEALTHY, errorRate }
        let failed = 0
        let oldFailed = 0
        for (let run = 0; run < RUNS; run++) {
          const windows = simulate(random, arm, arm, perInterval, INTERVALS)
          if (analyzeCanary(windows).outcome === 'failed') failed += 1
          if (oldMonitorFails(windows)) oldFailed += 1
        }
        rows.push(
          `| ${pct(errorRate)} | ${perInterval} | ${pct(oldFailed / RUNS)} | ${pct(failed / RUNS)} |`,
        )
        expect(failed / RUNS, `${errorRate} at ${perInterval} per interval`).toBeLessThanOrEqual(
          0.01,
        )
      }
    }
    checkTable('false-alarms', [
      '| error rate, both arms | canary requests per interval | old monitor failed | canary analysis failed |',
      '| --- | --- | --- | --- |',
      ...rows,
    ])
  }, 300_000)

  it('fails a canary that is worse in 90% of runs within 15 minutes, at one request a second', () => {
    const cases: [string, Arm][] = [
      ['errors 1% → 3%', { ...HEALTHY, errorRate: 0.03 }],
      ['p95 latency doubled', { ...HEALTHY, medianS: HEALTHY.medianS * 2 }],
      ['cost per request +60%', { ...HEALTHY, costUsd: HEALTHY.costUsd * 1.6 }],
    ]
    const rows: string[] = []
    let seed = 100
    for (const [name, canary] of cases) {
      const random = seededRandom(seed++)
      const times: number[] = []
      for (let run = 0; run < RUNS; run++) {
        const at = failedAt(simulate(random, canary, HEALTHY, 60, INTERVALS))
        if (at !== null) times.push(at)
      }
      times.sort((a, b) => a - b)
      const power = times.length / RUNS
      const median = times[Math.floor((RUNS - 1) / 2)]
      rows.push(
        `| ${name} | ${pct(power)} | ${median === undefined ? 'not within 15' : `${median} min`} |`,
      )
      expect(power, name).toBeGreaterThanOrEqual(0.9)
    }
    checkTable('power', [
      '| canary against stable (1 canary request/s) | failed within 15 min | median time to fail |',
      '| --- | --- | --- |',
      ...rows,
    ])
  }, 300_000)

  it('beside the old monitor on the settings that showed its false failures (10 intervals)', () => {
    const rows: string[] = []
    let seed = 200
    for (const [errorRate, perInterval] of [
      [0.01, 50],
      [0.01, 200],
      [0.02, 100],
      [0.03, 100],
    ] as const) {
      const random = seededRandom(seed++)
      const arm = { ...HEALTHY, errorRate }
      let failed = 0
      let oldFailed = 0
      for (let run = 0; run < RUNS; run++) {
        const windows = simulate(random, arm, arm, perInterval, 10)
        if (analyzeCanary(windows).outcome === 'failed') failed += 1
        if (oldMonitorFails(windows)) oldFailed += 1
      }
      rows.push(
        `| ${pct(errorRate)} | ${perInterval} | ${pct(oldFailed / RUNS)} | ${pct(failed / RUNS)} |`,
      )
      expect(oldFailed).toBeGreaterThan(failed)
    }
    checkTable('old-monitor', [
      '| true error rate, both releases | requests per interval | old monitor failed | canary analysis failed |',
      '| --- | --- | --- | --- |',
      ...rows,
    ])
  }, 300_000)
})

const DOC = fileURLToPath(new URL('../../../docs/canary.md', import.meta.url))

/** The table `name` in docs/canary.md must be `lines` (see checkDocTable). */
function checkTable(name: string, lines: readonly string[]): void {
  checkDocTable(DOC, name, lines)
}
