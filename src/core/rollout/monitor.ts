/**
 * The post-deploy monitor's judgement, without I/O: one interval's metrics against absolute
 * thresholds and against the previous release, and a run's outcome from its intervals so far.
 * No traffic is never a pass: an interval below the minimum request count is inconclusive.
 */
import type { MonitorOutcome } from '../../contracts/checks.js'
import type { ServiceMetrics } from '../../contracts/metrics.js'
import { DEFAULT_COMPARE } from '../gate/defaults.js'

/** The limits an interval is judged by (the `monitor:` config, durations resolved). */
export interface MonitorRules {
  readonly minRequests: number
  /** Failed intervals that fail the run. */
  readonly failAfter: number
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

/** A p95 rise smaller than this never fails against the baseline: the gate's noise floor. */
export const LATENCY_NOISE_MS = DEFAULT_COMPARE.minLatencyIncreaseMs

/** Consecutive intervals whose metrics could not be read that end a run as `error`. */
export const ERRORS_TO_GIVE_UP = 3

/** One interval's verdict: its outcome and, unless it passed, why. */
export interface IntervalJudgement {
  readonly outcome: Exclude<MonitorOutcome, 'error'>
  readonly findings: string[]
}

/** Judges one interval. `baseline` is compared only when it had `minRequests` itself. */
export function judgeInterval(
  metrics: ServiceMetrics,
  baseline: ServiceMetrics | null,
  rules: MonitorRules,
): IntervalJudgement {
  if (metrics.requests < rules.minRequests) {
    const n = formatCount(metrics.requests)
    return { outcome: 'inconclusive', findings: [`${n} requests, fewer than ${rules.minRequests}`] }
  }
  const findings = [...absoluteFindings(metrics, rules)]
  if (baseline !== null && baseline.requests >= rules.minRequests) {
    findings.push(...baselineFindings(metrics, baseline, rules))
  }
  return { outcome: findings.length === 0 ? 'passed' : 'failed', findings }
}

function absoluteFindings(m: ServiceMetrics, rules: MonitorRules): string[] {
  const t = rules.thresholds
  const found: string[] = []
  if (m.errorRate !== null && m.errorRate > t.errorRate) {
    found.push(`error rate ${pct(m.errorRate)} above the limit ${pct(t.errorRate)}`)
  }
  if (m.latencyP95Ms !== null && m.latencyP95Ms > t.latencyP95Ms) {
    found.push(`p95 latency ${ms(m.latencyP95Ms)} above the limit ${ms(t.latencyP95Ms)}`)
  }
  const cost = m.costPerRequestUsd
  if (t.costPerRequestUsd !== undefined && cost !== null && cost > t.costPerRequestUsd) {
    found.push(`cost per request ${usd(cost)} above the limit ${usd(t.costPerRequestUsd)}`)
  }
  return found
}

function baselineFindings(m: ServiceMetrics, base: ServiceMetrics, rules: MonitorRules): string[] {
  const c = rules.compare
  const found: string[] = []
  if (m.errorRate !== null && base.errorRate !== null) {
    const rise = m.errorRate - base.errorRate
    if (rise > c.errorRatePoints + 1e-12) {
      found.push(
        `error rate ${pct(m.errorRate)} is ${points(rise)} above the previous release's ${pct(base.errorRate)} (allowed +${points(c.errorRatePoints)})`,
      )
    }
  }
  if (m.latencyP95Ms !== null && base.latencyP95Ms !== null && base.latencyP95Ms > 0) {
    const rise = m.latencyP95Ms - base.latencyP95Ms
    const risePct = (rise / base.latencyP95Ms) * 100
    if (risePct > c.latencyIncreasePct && rise >= LATENCY_NOISE_MS) {
      found.push(
        `p95 latency ${ms(m.latencyP95Ms)} is ${Math.round(risePct)}% above the previous release's ${ms(base.latencyP95Ms)} (allowed +${c.latencyIncreasePct}%)`,
      )
    }
  }
  const cost = m.costPerRequestUsd
  const before = base.costPerRequestUsd
  if (cost !== null && before !== null && before > 0) {
    const risePct = ((cost - before) / before) * 100
    if (risePct > c.costPerRequestIncreasePct) {
      found.push(
        `cost per request ${usd(cost)} is ${Math.round(risePct)}% above the previous release's ${usd(before)} (allowed +${c.costPerRequestIncreasePct}%)`,
      )
    }
  }
  return found
}

/** A run's state after some intervals: its outcome so far, why, and whether to stop now. */
export interface RunState {
  readonly outcome: MonitorOutcome
  readonly reason: string
  /** True when more intervals cannot change the outcome (failed, or the source keeps failing). */
  readonly stop: boolean
}

/**
 * The outcome of a run from its intervals' outcomes: failed once `failAfter` intervals failed;
 * error after {@link ERRORS_TO_GIVE_UP} unreadable intervals in a row, or when none could be
 * read; inconclusive when no interval had enough traffic; passed otherwise.
 */
export function runOutcome(outcomes: readonly MonitorOutcome[], failAfter: number): RunState {
  const count = (o: MonitorOutcome): number => outcomes.filter((x) => x === o).length
  const failed = count('failed')
  const errors = count('error')
  if (failed >= failAfter) {
    return {
      outcome: 'failed',
      reason: `${failed} of ${outcomes.length} intervals failed`,
      stop: true,
    }
  }
  const trailing = outcomes.length - 1 - outcomes.findLastIndex((o) => o !== 'error')
  if (trailing >= ERRORS_TO_GIVE_UP) {
    const reason = `metrics could not be read for ${trailing} intervals in a row`
    return { outcome: 'error', reason, stop: true }
  }
  if (outcomes.length > 0 && errors === outcomes.length) {
    return { outcome: 'error', reason: 'metrics could not be read', stop: false }
  }
  const passed = count('passed')
  if (passed === 0) {
    const reason =
      outcomes.length === 0 ? 'no interval completed' : 'no interval had enough traffic to judge'
    return { outcome: 'inconclusive', reason, stop: false }
  }
  const notes = [
    failed > 0 ? `${failed} failed (${failAfter} fail the run)` : '',
    errors > 0 ? `${errors} unreadable` : '',
    count('inconclusive') > 0 ? `${count('inconclusive')} without enough traffic` : '',
  ].filter((n) => n !== '')
  const extra = notes.length === 0 ? '' : `; ${notes.join(', ')}`
  return {
    outcome: 'passed',
    reason: `${passed} of ${outcomes.length} intervals passed${extra}`,
    stop: false,
  }
}

const formatCount = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1))
const pct = (share: number): string => `${(share * 100).toFixed(1)}%`
const points = (share: number): string => `${(share * 100).toFixed(1)} points`
const ms = (value: number): string => `${Math.round(value).toLocaleString('en-US')} ms`
const usd = (value: number): string => `$${value.toPrecision(3)}`
