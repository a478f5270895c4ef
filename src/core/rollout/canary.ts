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
import { costEvidence } from './cost-tests.js'
import {
  errorLimitEvidence,
  errorRateEvidence,
  latencyEvidence,
  sum,
  type WindowPair,
} from './release-tests.js'

/** One arm's traffic in one interval: the increase of its counters over the interval. */
export type ArmWindow = TrafficWindow

/** One interval of both arms. */
export type CanaryWindow = WindowPair

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

/** Errors: the canary's share of both arms' errors against its share of the traffic. */
function errorRateTest(windows: readonly CanaryWindow[], margin: number): Tested {
  const e = errorRateEvidence(windows, margin)
  return {
    metric: 'error-rate',
    pValue: e.pValue,
    canary: e.subject,
    stable: e.reference,
    detail: `error rate ${pct(e.subject)} on the canary against ${pct(e.reference)} on stable (margin ×${margin})`,
  }
}

/** Latency: the canary's share of the requests slower than stable's p95 bucket. */
function latencyTest(windows: readonly CanaryWindow[], margin: number): Tested | undefined {
  const e = latencyEvidence(windows, margin)
  if (e === undefined) return undefined
  const over = e.bound === undefined ? 'about stable’s p95' : formatSeconds(e.bound)
  return {
    metric: 'latency',
    pValue: e.pValue,
    canary: e.subject,
    stable: e.reference,
    detail: `${pct(e.subject)} of canary requests slower than ${over}, against ${pct(e.reference)} of stable's (margin ×${margin})`,
  }
}

/** Cost per request: the log ratio of the means, less the margin, with a normal mixture. */
function costTest(windows: readonly CanaryWindow[], margin: number): Tested | undefined {
  const e = costEvidence(windows, margin)
  if (e === undefined) return undefined
  return {
    metric: 'cost',
    pValue: e.pValue,
    canary: e.subject,
    stable: e.reference,
    detail: `cost per request ${usd(e.subject)} on the canary against ${usd(e.reference)} on stable (margin +${Math.round(margin * 100)}%)`,
  }
}

/** Each canary request is a trial that errs with at most the limit's probability. */
function errorLimitTest(windows: readonly CanaryWindow[], limit: number): Tested {
  const e = errorLimitEvidence(
    windows.map((w) => w.canary),
    limit,
  )
  return {
    metric: 'error-limit',
    pValue: e.pValue,
    canary: e.subject,
    stable: null,
    detail: `error rate ${pct(e.subject)} on the canary against the limit ${pct(limit)}`,
  }
}

function pct(value: number | null): string {
  return value === null ? 'n/a' : `${(value * 100).toFixed(value < 0.01 ? 2 : 1)}%`
}

function usd(value: number | null): string {
  return value === null ? 'n/a' : `$${value.toPrecision(3)}`
}

/** `800 ms` or `2.5 s`: a histogram bound in seconds, as a person reads it. */
export function formatSeconds(seconds: number): string {
  return seconds < 1 ? `${Math.round(seconds * 1000)} ms` : `${seconds} s`
}

/** `< 0.001` or `= 0.012`, to follow a `p`. */
export function formatP(p: number): string {
  return p < 0.001 ? '< 0.001' : `= ${p.toFixed(3)}`
}
