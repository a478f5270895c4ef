/**
 * The canary analysis, without I/O: the canary release against the stable release serving at the
 * same time, interval by interval, with sequential tests that may be looked at after every
 * interval (src/core/stats/sequential.ts) and Holm's adjustment across the metrics. A metric
 * fails only when the canary is significantly worse than stable by more than its margin (or,
 * when a limit is set, significantly above the limit); a point estimate over a line decides
 * nothing. Too little canary traffic is inconclusive, never a pass.
 */
import type { TrafficWindow } from '../../contracts/metrics.js'
import { holm } from '../stats/multiple.js'
import {
  sequentialNormalTest,
  sequentialOddsTest,
  type OddsTrials,
  type NormalLook,
} from '../stats/sequential.js'

/** One arm's traffic in one interval: the increase of its counters over the interval. */
export type ArmWindow = TrafficWindow

/** One interval of both arms. */
export interface CanaryWindow {
  readonly canary: ArmWindow
  readonly stable: ArmWindow
}

/** How the canary is judged (`rollout.analysis` in the config). */
export interface CanaryRules {
  /** The chance, over the whole analysis however often it looks, of failing a canary as good as stable. */
  readonly alpha: number
  /** Canary requests below which the analysis is inconclusive: it cannot pass. */
  readonly minRequests: number
  /** How much worse than stable the canary may be before it fails. */
  readonly margins: {
    /** Error-rate ratio, canary over stable: 1.25 lets the canary have 25% more errors. */
    readonly errorRate: number
    /** Ratio of the shares of requests slower than stable's p95. */
    readonly latency: number
    /** Cost-per-request increase as a share: 0.2 is +20%. */
    readonly cost: number
  }
  /** Absolute limits the canary must not be significantly above, when set. */
  readonly limits?: { readonly errorRate?: number }
}

/** The default analysis (docs/canary.md has its false-alarm rate and power). */
export const DEFAULT_CANARY_RULES: CanaryRules = {
  alpha: 0.05,
  minRequests: 100,
  margins: { errorRate: 1, latency: 1.2, cost: 0.2 },
}

/** The metrics the analysis tests. */
export type CanaryMetric = 'error-rate' | 'latency' | 'cost' | 'error-limit'

/** One metric's test over every interval so far. */
export interface MetricAnalysis {
  readonly metric: CanaryMetric
  /** The always-valid p-value, and after Holm's adjustment across the metrics. */
  readonly pValue: number
  readonly adjusted: number
  readonly failed: boolean
  /** The canary's and stable's figure (error rate, slow share, cost per request). */
  readonly canary: number | null
  readonly stable: number | null
  /** What was compared, in words. */
  readonly detail: string
}

/** The analysis after the intervals so far. */
export interface CanaryAnalysis {
  /** `failed` when a metric failed; `inconclusive` while the canary has too little traffic. */
  readonly outcome: 'failed' | 'passing' | 'inconclusive'
  readonly metrics: readonly MetricAnalysis[]
  readonly canaryRequests: number
  readonly stableRequests: number
  /** One line: why it stands as it does. */
  readonly reason: string
}

/** Share of stable's requests that "slow" means: slower than about its p95. */
const SLOW_SHARE = 0.05

/** Intervals each arm needs before the cost test has a variance to go by. */
const COST_MIN_WINDOWS = 3

/** Judges the canary on every interval so far; call it again after each new interval. */
export function analyzeCanary(
  windows: readonly CanaryWindow[],
  rules: CanaryRules = DEFAULT_CANARY_RULES,
): CanaryAnalysis {
  const tests = [
    errorRateTest(windows, rules.margins.errorRate),
    latencyTest(windows, rules.margins.latency),
    costTest(windows, rules.margins.cost),
  ]
  const limit = rules.limits?.errorRate
  if (limit !== undefined) tests.push(errorLimitTest(windows, limit))
  const present = tests.filter((t): t is Tested => t !== undefined)
  const adjusted = holm(present.map((t) => t.pValue))
  const metrics = present.map((t, i) => {
    const p = adjusted[i] as number
    return { ...t, adjusted: p, failed: p <= rules.alpha }
  })
  const canaryRequests = sum(windows.map((w) => w.canary.requests))
  const stableRequests = sum(windows.map((w) => w.stable.requests))
  const failed = metrics.filter((m) => m.failed)
  if (failed.length > 0) {
    const reason = failed.map((m) => `${m.detail} (p ${formatP(m.adjusted)})`).join('; ')
    return { outcome: 'failed', metrics, canaryRequests, stableRequests, reason }
  }
  if (canaryRequests < rules.minRequests) {
    const reason = `${canaryRequests} canary requests, fewer than the ${rules.minRequests} the analysis needs`
    return { outcome: 'inconclusive', metrics, canaryRequests, stableRequests, reason }
  }
  const reason = `no metric significantly worse than stable over ${windows.length} intervals (alpha ${rules.alpha})`
  return { outcome: 'passing', metrics, canaryRequests, stableRequests, reason }
}

type Tested = Omit<MetricAnalysis, 'adjusted' | 'failed'>

/**
 * Errors: each error of an interval is a trial that lands on the canary with probability its
 * share of the traffic (tilted by the margin) when the canary is no worse than stable.
 */
function errorRateTest(windows: readonly CanaryWindow[], margin: number): Tested {
  const looks = windows.map((w) =>
    eventTrials(w.canary.errors, w.stable.errors, w.canary.requests, w.stable.requests, margin),
  )
  const canary = rate(
    windows,
    (w) => w.canary.errors,
    (w) => w.canary.requests,
  )
  const stable = rate(
    windows,
    (w) => w.stable.errors,
    (w) => w.stable.requests,
  )
  return {
    metric: 'error-rate',
    pValue: sequentialOddsTest(looks).pValue,
    canary,
    stable,
    detail: `error rate ${pct(canary)} on the canary against ${pct(stable)} on stable (margin ×${margin})`,
  }
}

/** The canary's errors among both arms' errors, with the null's share from the traffic split. */
function eventTrials(
  canaryEvents: number,
  stableEvents: number,
  canaryExposure: number,
  stableExposure: number,
  margin: number,
): OddsTrials {
  const share = canaryExposure / (canaryExposure + stableExposure)
  if (!(share > 0 && share < 1)) return { x: 0, n: 0, q0: 0.5 }
  const q0 = (share * margin) / (share * margin + 1 - share)
  const x = whole(canaryEvents)
  return { x, n: x + whole(stableEvents), q0 }
}

/**
 * Latency: requests slower than stable's p95 (the histogram bound nearest it from below, taken
 * from stable's earlier intervals so it is fixed before the interval is counted) are events, as
 * errors are: the canary's share of them against its share of the traffic.
 */
function latencyTest(windows: readonly CanaryWindow[], margin: number): Tested | undefined {
  const looks: OddsTrials[] = []
  let slowCanary = 0
  let slowStable = 0
  let seenCanary = 0
  let seenStable = 0
  let bound: number | undefined
  let history: number[] | undefined
  for (const w of windows) {
    const c = w.canary.latency
    const s = w.stable.latency
    if (c === undefined || s === undefined || !sameBounds(c.bounds, s.bounds)) continue
    history ??= s.counts.map(() => 0)
    const pool = sum(history) > 0 ? history : [...s.counts]
    const cut = slowCut(s.bounds, pool)
    s.counts.forEach((n, i) => ((history as number[])[i] = ((history as number[])[i] ?? 0) + n))
    if (cut === undefined) continue
    bound = s.bounds[cut - 1]
    const cSlow = sum(c.counts.slice(cut))
    const sSlow = sum(s.counts.slice(cut))
    const cAll = sum(c.counts)
    const sAll = sum(s.counts)
    looks.push(eventTrials(cSlow, sSlow, cAll, sAll, margin))
    slowCanary += cSlow
    slowStable += sSlow
    seenCanary += cAll
    seenStable += sAll
  }
  if (history === undefined) return undefined
  const canary = seenCanary === 0 ? null : slowCanary / seenCanary
  const stable = seenStable === 0 ? null : slowStable / seenStable
  const over = bound === undefined ? 'about stable’s p95' : `${formatSeconds(bound)}`
  return {
    metric: 'latency',
    pValue: sequentialOddsTest(looks).pValue,
    canary,
    stable,
    detail: `${pct(canary)} of canary requests slower than ${over}, against ${pct(stable)} of stable's (margin ×${margin})`,
  }
}

/** The first bucket counted as slow: the highest cut leaving at least 5% of `counts` above it. */
function slowCut(bounds: readonly number[], counts: readonly number[]): number | undefined {
  const total = sum(counts)
  if (total === 0) return undefined
  let above = 0
  for (let i = bounds.length - 1; i >= 1; i--) {
    above += counts[i] ?? 0
    if (above / total >= SLOW_SHARE) return i
  }
  return undefined
}

function sameBounds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

/**
 * Cost per request: the log ratio of the canary's mean cost to stable's, less log(1 + margin),
 * tested with a normal mixture. The per-request spread comes from how the interval means vary
 * (their variance is σ²/n), pooled over both arms, so it needs a few intervals of each.
 */
function costTest(windows: readonly CanaryWindow[], margin: number): Tested | undefined {
  const priced = windows.filter(
    (w) => w.canary.costUsd !== undefined && w.stable.costUsd !== undefined,
  )
  if (priced.length === 0) return undefined
  const looks: NormalLook[] = []
  for (let k = 1; k <= priced.length; k++) {
    looks.push(costLook(priced.slice(0, k), margin))
  }
  const canary = meanCost(priced, 'canary')
  const stable = meanCost(priced, 'stable')
  return {
    metric: 'cost',
    pValue: sequentialNormalTest(looks, 0.3).pValue,
    canary,
    stable,
    detail: `cost per request ${usd(canary)} on the canary against ${usd(stable)} on stable (margin +${Math.round(margin * 100)}%)`,
  }
}

function costLook(windows: readonly CanaryWindow[], margin: number): NormalLook {
  const arms = (['canary', 'stable'] as const).map((arm) => {
    const used = windows.filter((w) => w[arm].requests > 0)
    const n = sum(used.map((w) => w[arm].requests))
    const mean = meanCost(used, arm)
    let spread = 0
    if (mean !== null && mean > 0) {
      for (const w of used) {
        const m = (w[arm].costUsd as number) / w[arm].requests
        spread += w[arm].requests * (m / mean - 1) ** 2
      }
    }
    return { n, mean, spread, windows: used.length }
  })
  const [c, s] = arms as [(typeof arms)[0], (typeof arms)[0]]
  const df = c.windows - 1 + (s.windows - 1)
  if (
    c.mean === null ||
    s.mean === null ||
    !(c.mean > 0 && s.mean > 0) ||
    c.windows < COST_MIN_WINDOWS ||
    s.windows < COST_MIN_WINDOWS
  ) {
    return { estimate: 0, variance: 0, df: 0 }
  }
  const cv2 = (c.spread + s.spread) / df
  return {
    estimate: Math.log(c.mean / s.mean) - Math.log(1 + margin),
    variance: cv2 * (1 / c.n + 1 / s.n),
    df,
  }
}

function meanCost(windows: readonly CanaryWindow[], arm: 'canary' | 'stable'): number | null {
  const n = sum(windows.map((w) => w[arm].requests))
  return n === 0 ? null : sum(windows.map((w) => w[arm].costUsd ?? 0)) / n
}

/** Each canary request is a trial that errs with at most the limit's probability. */
function errorLimitTest(windows: readonly CanaryWindow[], limit: number): Tested {
  const looks = windows.map((w) => {
    const n = whole(w.canary.requests)
    return { x: Math.min(n, whole(w.canary.errors)), n, q0: limit }
  })
  const canary = rate(
    windows,
    (w) => w.canary.errors,
    (w) => w.canary.requests,
  )
  return {
    metric: 'error-limit',
    pValue: sequentialOddsTest(looks).pValue,
    canary,
    stable: null,
    detail: `error rate ${pct(canary)} on the canary against the limit ${pct(limit)}`,
  }
}

function rate(
  windows: readonly CanaryWindow[],
  events: (w: CanaryWindow) => number,
  exposure: (w: CanaryWindow) => number,
): number | null {
  const n = sum(windows.map(exposure))
  return n === 0 ? null : sum(windows.map(events)) / n
}

/** A count as a whole number: Prometheus' increase() extrapolates to fractions. */
function whole(count: number): number {
  return Number.isFinite(count) && count > 0 ? Math.round(count) : 0
}

function sum(values: readonly number[]): number {
  let total = 0
  for (const v of values) total += v
  return total
}

function pct(value: number | null): string {
  return value === null ? 'n/a' : `${(value * 100).toFixed(value < 0.01 ? 2 : 1)}%`
}

function usd(value: number | null): string {
  return value === null ? 'n/a' : `$${value.toPrecision(3)}`
}

function formatSeconds(seconds: number): string {
  return seconds < 1 ? `${Math.round(seconds * 1000)} ms` : `${seconds} s`
}

/** `< 0.001` or `= 0.012`, to follow a `p`. */
function formatP(p: number): string {
  return p < 0.001 ? '< 0.001' : `= ${p.toFixed(3)}`
}
