/**
 * The post-deploy monitor measured like a classifier: seeded simulations with a known truth,
 * the monitor's own decision code (analyzeMonitor, runOutcome) looking after every interval of a
 * ten-interval run with the default rules, the new release compared with the previous
 * release's totals saved before the deploy (what `shipgate deploy` has after a replace).
 * - False failures: both releases equally good, on the settings of issue 15 (error rate 1% at 50
 *   and 200 requests per interval, 2% and 3% at 100), 2,000 runs each, beside the old monitor
 *   (each interval's point estimates against 5%, +2 points, +50% p95, +30% cost; one failed
 *   interval failed the run), re-implemented below and run on the same traffic.
 * - Power: errors 1% → 3% (within the default +2 points, and with errorRatePoints: 0), errors
 *   1% → 8%, p95 latency doubled, at the same traffic levels: detection rate and median time.
 * The tables must match docs/monitoring.md (SHIPGATE_WRITE_TABLES=1 rewrites them there).
 */
import { checkDocTable } from '../../helpers/doc-tables.js'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { Random } from '../../../src/contracts/clock.js'
import type { TrafficWindow } from '../../../src/contracts/metrics.js'
import { DEFAULT_MONITOR } from '../../../src/core/rollout/defaults.js'
import {
  analyzeMonitor,
  runOutcome,
  type MonitorRules,
  type MonitorWindow,
} from '../../../src/core/rollout/monitor.js'
import { histogramQuantile } from '../../../src/metric-sources/endpoint/quantile.js'
import { seededRandom } from '../../../src/utils/random.js'
import { binomial, gamma, logNormalShares, multinomial } from '../../helpers/sampling.js'

/** The runtime SDK's request-duration buckets (seconds). */
const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, Infinity]

/** What one release serves: its error rate, log-normal latency and gamma-distributed cost. */
interface Release {
  readonly errorRate: number
  /** Median latency in seconds; sigma 0.5 on the log scale. */
  readonly medianS: number
  /** Mean cost per request in USD; shape 2 (a coefficient of variation of 0.71). */
  readonly costUsd: number
}

const HEALTHY: Release = { errorRate: 0.01, medianS: 0.8, costUsd: 0.002 }
const COST_SHAPE = 2
const SIGMA = 0.5
const INTERVALS = 10
/** The previous release's saved totals cover this many times the run's length of its traffic. */
const BASELINE_RUNS = 10
const RUNS = 2_000
/** Runs per power row: detection rates, not tail rates, so fewer do. */
const POWER_RUNS = 1_000

function traffic(random: Random, release: Release, requests: number): TrafficWindow {
  const shares = logNormalShares(BOUNDS, Math.log(release.medianS), SIGMA)
  return {
    requests,
    errors: binomial(random, requests, release.errorRate),
    latency: { bounds: BOUNDS, counts: multinomial(random, requests, shares) },
    costUsd: gamma(random, COST_SHAPE * requests, release.costUsd / COST_SHAPE),
  }
}

/** One run: the previous release's saved totals, then the new release's intervals. */
interface Run {
  readonly baseline: TrafficWindow
  readonly windows: readonly MonitorWindow[]
}

function simulate(random: Random, before: Release, next: Release, perInterval: number): Run {
  return {
    baseline: traffic(random, before, perInterval * INTERVALS * BASELINE_RUNS),
    windows: Array.from({ length: INTERVALS }, () => ({
      release: traffic(random, next, perInterval),
      previous: null,
    })),
  }
}

const RULES: MonitorRules = {
  alpha: DEFAULT_MONITOR.alpha,
  minRequests: DEFAULT_MONITOR.minRequests,
  thresholds: DEFAULT_MONITOR.thresholds,
  compare: DEFAULT_MONITOR.compare,
}

/** The interval the new monitor first failed at (1-based), looking after every one; null if never. */
function failedAt(run: Run, rules: MonitorRules = RULES): number | null {
  const verdict = (k: number) => {
    const analysis = analyzeMonitor(run.windows.slice(0, k), run.baseline, rules)
    return runOutcome(analysis, new Array<'passed'>(k).fill('passed')).outcome
  }
  // Always-valid p-values only fall: a run that failed at some look fails at every later one,
  // so the first failing look can be found by bisection.
  if (verdict(run.windows.length) !== 'failed') return null
  let lo = 0
  let hi = run.windows.length
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2)
    if (verdict(mid) === 'failed') hi = mid
    else lo = mid
  }
  return hi
}

/**
 * The old monitor, as it was (src/core/rollout/monitor.ts before issue 15): each interval with
 * at least 20 requests failed when its point estimates were above 5% errors, 5,000 ms p95 or,
 * against the previous release's totals, more than +2 points of errors, +50% p95 (and +100 ms)
 * or +30% cost per request; one failed interval failed the run.
 */
function oldMonitorFailedAt(run: Run): number | null {
  const base = figures(run.baseline)
  for (const [i, w] of run.windows.entries()) {
    const m = figures(w.release)
    if (w.release.requests < 20) continue
    const failed =
      m.errorRate > 0.05 ||
      m.p95Ms > 5_000 ||
      m.errorRate - base.errorRate > 0.02 + 1e-12 ||
      ((m.p95Ms - base.p95Ms) / base.p95Ms > 0.5 && m.p95Ms - base.p95Ms >= 100) ||
      (m.costUsd - base.costUsd) / base.costUsd > 0.3
    if (failed) return i + 1
  }
  return null
}

/** Error rate, p95 as Prometheus' histogram_quantile gives it, and cost per request. */
function figures(w: TrafficWindow) {
  let below = 0
  const buckets = BOUNDS.map((upperBound, i) => ({
    upperBound,
    count: (below += w.latency?.counts[i] ?? 0),
  }))
  return {
    errorRate: w.errors / w.requests,
    p95Ms: (histogramQuantile(0.95, buckets) ?? 0) * 1000,
    costUsd: (w.costUsd ?? 0) / w.requests,
  }
}

const pct = (share: number) => `${(share * 100).toFixed(share > 0 && share < 0.01 ? 2 : 1)}%`

/** Issue 15's settings: the error rate of both releases, and requests per interval. */
const SETTINGS = [
  [0.01, 50],
  [0.01, 200],
  [0.02, 100],
  [0.03, 100],
] as const

describe('the monitor on simulated traffic (seeded)', () => {
  it('fails at most 1% of healthy releases on issue 15’s settings, where the old monitor failed many', () => {
    const rows: string[] = []
    let seed = 1
    for (const [errorRate, perInterval] of SETTINGS) {
      const random = seededRandom(seed++)
      const release = { ...HEALTHY, errorRate }
      let failed = 0
      let oldFailed = 0
      let inconclusive = 0
      for (let run = 0; run < RUNS; run++) {
        const simulated = simulate(random, release, release, perInterval)
        const analysis = analyzeMonitor(simulated.windows, simulated.baseline, RULES)
        if (analysis.outcome === 'failed') failed += 1
        if (analysis.outcome === 'inconclusive') inconclusive += 1
        if (oldMonitorFailedAt(simulated) !== null) oldFailed += 1
      }
      rows.push(
        `| ${pct(errorRate)} | ${perInterval} | ${pct(oldFailed / RUNS)} | ${pct(failed / RUNS)} |`,
      )
      expect(failed / RUNS, `${errorRate} at ${perInterval} per interval`).toBeLessThanOrEqual(0.01)
      expect(inconclusive, 'ten intervals of this traffic are enough to pass').toBe(0)
      expect(oldFailed).toBeGreaterThan(5 * Math.max(1, failed))
    }
    checkTable('monitor-false-failures', [
      '| error rate, both releases | requests per interval | old monitor failed | new monitor failed |',
      '| --- | --- | --- | --- |',
      ...rows,
    ])
  }, 300_000)

  it('catches worse releases, and says how soon', () => {
    // Each case with the detection rate it must reach (or, at the margin, not exceed) at 50,
    // 100 and 200 requests per interval.
    const points0 = { ...RULES, compare: { ...RULES.compare, errorRatePoints: 0 } }
    const cases: [string, Release, MonitorRules, (rate: number, perInterval: number) => boolean][] =
      [
        [
          'errors 1% → 3% (within the default +2 points)',
          { ...HEALTHY, errorRate: 0.03 },
          RULES,
          (rate) => rate <= RULES.alpha,
        ],
        [
          'errors 1% → 3%, `errorRatePoints: 0`',
          { ...HEALTHY, errorRate: 0.03 },
          points0,
          (rate, n) => rate >= (n >= 200 ? 0.9 : 0.2),
        ],
        ['errors 1% → 8%', { ...HEALTHY, errorRate: 0.08 }, RULES, (rate) => rate >= 0.8],
        [
          'p95 latency doubled',
          { ...HEALTHY, medianS: HEALTHY.medianS * 2 },
          RULES,
          (rate) => rate >= 0.99,
        ],
      ]
    const rows: string[] = []
    let seed = 100
    for (const [name, next, rules, enough] of cases) {
      for (const perInterval of [50, 100, 200]) {
        const random = seededRandom(seed++)
        const times: number[] = []
        let oldCaught = 0
        for (let run = 0; run < POWER_RUNS; run++) {
          const simulated = simulate(random, HEALTHY, next, perInterval)
          const at = failedAt(simulated, rules)
          if (at !== null) times.push(at)
          if (oldMonitorFailedAt(simulated) !== null) oldCaught += 1
        }
        times.sort((a, b) => a - b)
        const median = times[Math.floor((POWER_RUNS - 1) / 2)]
        const when = median === undefined ? 'not within 10' : `${median}`
        rows.push(
          `| ${name} | ${perInterval} | ${pct(oldCaught / POWER_RUNS)} | ${pct(times.length / POWER_RUNS)} | ${when} |`,
        )
        const rate = times.length / POWER_RUNS
        expect(enough(rate, perInterval), `${name} at ${perInterval}: ${pct(rate)}`).toBe(true)
      }
    }
    checkTable('monitor-power', [
      '| new release against the previous one (1% errors, p95 1.8 s) | requests per interval | old monitor failed | new monitor failed within 10 intervals | median intervals to fail |',
      '| --- | --- | --- | --- | --- |',
      ...rows,
    ])
  }, 600_000)
})

const DOC = fileURLToPath(new URL('../../../docs/monitoring.md', import.meta.url))

/** The table `name` in docs/monitoring.md must be `lines` (see checkDocTable). */
function checkTable(name: string, lines: readonly string[]): void {
  checkDocTable(DOC, name, lines)
}
