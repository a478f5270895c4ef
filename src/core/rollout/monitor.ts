/**
 * The post-deploy monitor's judgement, without I/O: every interval so far of the new release
 * against absolute limits and against the previous release, with the canary's sequential tests
 * (release-tests.ts), so the monitor may look after every interval and the chance of failing a
 * release no worse than the rules allow stays at most alpha over the whole run. A point estimate
 * over a line decides nothing. Too little traffic is inconclusive: not a pass, not a failure.
 */
import type { MonitorOutcome, MonitorTest, MonitorTestName } from '../../contracts/checks.js'
import type { TrafficWindow } from '../../contracts/metrics.js'
import { holm } from '../stats/multiple.js'
import { formatP, formatSeconds } from './canary.js'
import { costEvidence, costReferenceEvidence } from './cost-tests.js'
import {
  errorLimitEvidence,
  errorRateEvidence,
  errorSampleEvidence,
  latencyEvidence,
  latencyLimitEvidence,
  latencySampleEvidence,
  sum,
  type Evidence,
} from './release-tests.js'

/** How a run is judged (the `monitor:` config). */
export interface MonitorRules {
  /** The chance, over the whole run however often it looks, of failing a release the rules allow. */
  readonly alpha: number
  /** Requests of the new release, over the run, below which it cannot pass (inconclusive). */
  readonly minRequests: number
  readonly thresholds: {
    readonly errorRate: number
    readonly latencyP95Ms: number
    readonly costPerRequestUsd?: number | undefined
  }
  readonly compare: {
    readonly errorRatePoints: number
    readonly latencyIncreasePct: number
    readonly costPerRequestIncreasePct: number
  }
}

/** One interval read: the new release's traffic, and the previous release's over the same interval. */
export interface MonitorWindow {
  readonly release: TrafficWindow
  /** `null` when not read (no previous release named, or a source without per-release counts). */
  readonly previous: TrafficWindow | null
}

/** The run so far: its outcome, every test, and why in one line. */
export interface MonitorAnalysis {
  readonly outcome: 'failed' | 'passing' | 'inconclusive'
  readonly tests: readonly MonitorTest[]
  /** The new release's requests over the run. */
  readonly requests: number
  readonly reason: string
}

/** Consecutive intervals whose metrics could not be read that end a run as `error`. */
export const ERRORS_TO_GIVE_UP = 3

type Tested = Omit<MonitorTest, 'adjusted' | 'failed'>

/**
 * Judges the run on every interval so far; call it again after each new interval. An interval
 * in which the previous release served too is compared with it as the canary compares (the
 * same traffic, the same hour); the others with `baseline`, the previous release's totals saved
 * before the deploy, taken as a sample with its own uncertainty.
 */
export function analyzeMonitor(
  windows: readonly MonitorWindow[],
  baseline: TrafficWindow | null,
  rules: MonitorRules,
): MonitorAnalysis {
  const concurrent = windows.filter((w) => w.previous !== null && w.previous.requests > 0)
  const alone = windows.filter((w) => !concurrent.includes(w)).map((w) => w.release)
  const present = [
    ...limitTests(
      windows.map((w) => w.release),
      rules,
    ),
    ...concurrentTests(
      concurrent.map((w) => ({ canary: w.release, stable: w.previous as TrafficWindow })),
      rules,
    ),
    ...(baseline === null || baseline.requests <= 0 || alone.length === 0
      ? []
      : baselineTests(alone, baseline, rules)),
  ]
  const adjusted = holm(present.map((t) => t.pValue))
  const tests = present.map((t, i) => {
    const p = adjusted[i] as number
    return { ...t, adjusted: p, failed: p <= rules.alpha }
  })
  const requests = sum(windows.map((w) => w.release.requests))
  const failed = tests.filter((t) => t.failed)
  if (failed.length > 0) {
    const reason = failed.map((t) => `${t.detail} (p ${formatP(t.adjusted)})`).join('; ')
    return { outcome: 'failed', tests, requests, reason }
  }
  if (requests < rules.minRequests) {
    const reason = `${Math.round(requests)} requests, fewer than the ${rules.minRequests} the monitor needs to pass`
    return { outcome: 'inconclusive', tests, requests, reason }
  }
  const reason = `nothing significantly worse over ${windows.length} intervals and ${Math.round(requests)} requests (alpha ${rules.alpha})`
  return { outcome: 'passing', tests, requests, reason }
}

function limitTests(arm: readonly TrafficWindow[], rules: MonitorRules): Tested[] {
  const t = rules.thresholds
  const errors = errorLimitEvidence(arm, t.errorRate)
  const tests: Tested[] = [
    tested(
      'error-limit',
      'limit',
      errors,
      `error rate ${pct(errors.subject)} against the limit ${pct(t.errorRate)}`,
    ),
  ]
  const latency = latencyLimitEvidence(arm, t.latencyP95Ms / 1000)
  if (latency !== undefined) {
    const over = formatSeconds(latency.bound as number)
    const detail = `${pct(latency.subject)} of requests slower than ${over}, against the 5% a p95 limit of ${ms(t.latencyP95Ms)} allows`
    tests.push(tested('latency-limit', 'limit', latency, detail))
  }
  const limit = t.costPerRequestUsd
  const cost =
    limit === undefined
      ? undefined
      : costReferenceEvidence(arm, { meanUsd: limit, requests: Infinity }, 0)
  if (cost !== undefined) {
    const detail = `cost per request ${usd(cost.subject)} against the limit ${usd(limit ?? null)}`
    tests.push(tested('cost-limit', 'limit', cost, detail))
  }
  return tests
}

function concurrentTests(
  pairs: readonly { canary: TrafficWindow; stable: TrafficWindow }[],
  rules: MonitorRules,
): Tested[] {
  if (pairs.length === 0) return []
  const c = rules.compare
  // Counted side by side, errors are compared as ratios: a margin in points has no ratio that
  // holds at every error rate, so none is allowed (any significant rise fails).
  const errors = errorRateEvidence(pairs, 1)
  const tests = [
    tested(
      'error-rate',
      'concurrent',
      errors,
      `error rate ${pct(errors.subject)} against ${pct(errors.reference)} on the previous release serving at the same time`,
    ),
  ]
  const latencyMargin = 1 + c.latencyIncreasePct / 100
  const latency = latencyEvidence(pairs, latencyMargin)
  if (latency !== undefined) {
    const over = latency.bound === undefined ? 'its p95' : formatSeconds(latency.bound)
    const detail = `${pct(latency.subject)} of requests slower than ${over}, against ${pct(latency.reference)} of the previous release's at the same time (margin ×${latencyMargin})`
    tests.push(tested('latency', 'concurrent', latency, detail))
  }
  const cost = costEvidence(pairs, c.costPerRequestIncreasePct / 100)
  if (cost !== undefined) {
    const detail = `cost per request ${usd(cost.subject)} against ${usd(cost.reference)} on the previous release at the same time (margin +${c.costPerRequestIncreasePct}%)`
    tests.push(tested('cost', 'concurrent', cost, detail))
  }
  return tests
}

function baselineTests(
  arm: readonly TrafficWindow[],
  baseline: TrafficWindow,
  rules: MonitorRules,
): Tested[] {
  const c = rules.compare
  const errors = errorSampleEvidence(arm, baseline, (rate) => rate + c.errorRatePoints)
  const tests = [
    tested(
      'error-rate',
      'baseline',
      errors,
      `error rate ${pct(errors.subject)} against the previous release's ${pct(errors.reference)} before the deploy (margin +${points(c.errorRatePoints)})`,
    ),
  ]
  const latencyMargin = 1 + c.latencyIncreasePct / 100
  const latency =
    baseline.latency === undefined
      ? undefined
      : latencySampleEvidence(arm, baseline.latency, latencyMargin)
  if (latency !== undefined) {
    const over = formatSeconds(latency.bound as number)
    const detail = `${pct(latency.subject)} of requests slower than ${over}, against ${pct(latency.reference)} of the previous release's before the deploy (margin ×${latencyMargin})`
    tests.push(tested('latency', 'baseline', latency, detail))
  }
  const cost =
    baseline.costUsd === undefined
      ? undefined
      : costReferenceEvidence(
          arm,
          { meanUsd: baseline.costUsd / baseline.requests, requests: baseline.requests },
          c.costPerRequestIncreasePct / 100,
        )
  if (cost !== undefined) {
    const detail = `cost per request ${usd(cost.subject)} against the previous release's ${usd(cost.reference)} before the deploy (margin +${c.costPerRequestIncreasePct}%)`
    tests.push(tested('cost', 'baseline', cost, detail))
  }
  return tests
}

function tested(
  metric: MonitorTestName,
  against: MonitorTest['against'],
  evidence: Evidence,
  detail: string,
): Tested {
  return {
    metric,
    against,
    pValue: evidence.pValue,
    value: evidence.subject,
    reference: evidence.reference,
    detail,
  }
}

/** A run's state after some intervals: its outcome so far, why, and whether to stop now. */
export interface RunState {
  readonly outcome: MonitorOutcome
  readonly reason: string
  /** True when more intervals cannot change the outcome (failed, or the source keeps failing). */
  readonly stop: boolean
}

/**
 * The outcome of a run from its analysis (`null` before any interval was read) and its
 * intervals' outcomes: failed as soon as a test failed; error after {@link ERRORS_TO_GIVE_UP}
 * unreadable intervals in a row, or when none could be read; otherwise the analysis's.
 */
export function runOutcome(
  analysis: MonitorAnalysis | null,
  outcomes: readonly MonitorOutcome[],
): RunState {
  if (analysis?.outcome === 'failed') {
    return { outcome: 'failed', reason: analysis.reason, stop: true }
  }
  const errors = outcomes.filter((o) => o === 'error').length
  const trailing = outcomes.length - 1 - outcomes.findLastIndex((o) => o !== 'error')
  if (trailing >= ERRORS_TO_GIVE_UP) {
    const reason = `metrics could not be read for ${trailing} intervals in a row`
    return { outcome: 'error', reason, stop: true }
  }
  if (outcomes.length > 0 && errors === outcomes.length) {
    return { outcome: 'error', reason: 'metrics could not be read', stop: false }
  }
  if (analysis === null) {
    return { outcome: 'inconclusive', reason: 'no interval completed', stop: false }
  }
  const extra = errors > 0 ? `; ${errors} of ${outcomes.length} intervals unreadable` : ''
  const outcome = analysis.outcome === 'passing' ? 'passed' : 'inconclusive'
  return { outcome, reason: `${analysis.reason}${extra}`, stop: false }
}

/** What an interval adds to the report: the run's state after it, and why unless passing. */
export function intervalVerdict(analysis: MonitorAnalysis): {
  outcome: Exclude<MonitorOutcome, 'error'>
  findings: string[]
} {
  switch (analysis.outcome) {
    case 'failed':
      return {
        outcome: 'failed',
        findings: analysis.tests
          .filter((t) => t.failed)
          .map((t) => `${t.detail} (p ${formatP(t.adjusted)})`),
      }
    case 'inconclusive':
      return { outcome: 'inconclusive', findings: [analysis.reason] }
    case 'passing':
      return { outcome: 'passed', findings: [] }
    default:
      return analysis.outcome satisfies never
  }
}

const pct = (share: number | null): string =>
  share === null ? 'n/a' : `${(share * 100).toFixed(share > 0 && share < 0.01 ? 2 : 1)}%`
const points = (share: number): string => `${(share * 100).toFixed(1)} points`
const ms = (value: number): string => `${Math.round(value).toLocaleString('en-US')} ms`
const usd = (value: number | null): string => (value === null ? 'n/a' : `$${value.toPrecision(3)}`)
