/**
 * `shipgate monitor` and the deploy pipeline's monitor step: every `interval`, read the last
 * interval's traffic of the release (and of the previous release, while it serves) from a
 * metric source, judge the whole run so far with sequential tests (core/rollout/monitor.ts) and
 * report, until `duration` has passed, a test failed, or the signal aborts.
 * `checkOnce` is the scheduled one-shot check: health and spend per hour.
 */
import type { MonitorBaseline, MonitorInterval, MonitorReport } from '../../contracts/checks.js'
import { errorMessage } from '../../utils/errors.js'
import type { MonitorConfig } from '../../config/deploy-schema.js'
import type { Logger } from '../../contracts/logger.js'
import type { MetricSelector, MetricSource } from '../../contracts/metrics.js'
import {
  analyzeMonitor,
  intervalVerdict,
  runOutcome,
  type MonitorAnalysis,
  type MonitorRules,
  type MonitorWindow,
} from '../../core/rollout/monitor.js'
import { systemClock } from '../../utils/clock.js'
import { durationToMs } from '../../utils/duration.js'
import {
  baselineTraffic,
  metricsFromTraffic,
  primeReads,
  readInterval,
  trafficFromMetrics,
  type Watched,
} from './monitor-read.js'

export { checkOnce, type OnceOptions } from './once.js'

/** Options of {@link runMonitor}. */
export interface MonitorOptions {
  readonly source: MetricSource
  readonly config: MonitorConfig
  /** The release watched; `null` watches all the service's traffic. */
  readonly release: string | null
  /**
   * The release deployed before, read over the same intervals: while it still serves, the new
   * release is compared with it side by side, as a canary is with stable.
   */
  readonly previousRelease?: string | null
  /** The previous release's figures saved before the deploy (see {@link readBaseline}). */
  readonly baseline: MonitorBaseline | null
  /** Overrides `config.duration`. */
  readonly durationMs?: number
  /** Overrides `config.interval`. */
  readonly intervalMs?: number
  /** Stops the run between reads; the report then covers what was seen. */
  readonly signal: AbortSignal
  readonly logger: Logger
  readonly clock?: { now(): number }
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>
  /** Called as each interval is judged, before the next begins. */
  readonly onInterval?: (interval: MonitorInterval) => void
}

/** The judging rules of a `monitor:` config. */
export function monitorRules(config: MonitorConfig): MonitorRules {
  return {
    alpha: config.alpha,
    minRequests: config.minRequests,
    thresholds: config.thresholds,
    compare: config.compare,
  }
}

/**
 * Whether a run's report passes the check: `passed`, or `inconclusive` (too little traffic to
 * judge) when `onInconclusive` is `pass`. Failed and error never pass.
 */
export function monitorPassed(
  report: Pick<MonitorReport, 'outcome'>,
  config: Pick<MonitorConfig, 'onInconclusive'>,
): boolean {
  return (
    report.outcome === 'passed' ||
    (report.outcome === 'inconclusive' && config.onInconclusive === 'pass')
  )
}

/**
 * Watches `release` for `duration` in intervals of `interval`. The source is read once at the
 * start (an endpoint source primes there), then at the end of every interval, and the whole run
 * so far is judged after each. Never throws for a bad service or an unreadable source: those
 * are the report's outcome.
 */
export async function runMonitor(options: MonitorOptions): Promise<MonitorReport> {
  const { source, signal, logger } = options
  const clock = options.clock ?? systemClock
  const sleep = options.sleep ?? ((t: number, s: AbortSignal) => systemClock.sleep(t, s))
  const durationMs = options.durationMs ?? durationToMs(options.config.duration)
  const intervalMs = Math.max(1, options.intervalMs ?? durationToMs(options.config.interval))
  const watched: Watched = { release: options.release, previous: options.previousRelease ?? null }
  const judge = judgeRun(monitorRules(options.config), options.baseline)
  const total = Math.max(1, Math.ceil(durationMs / intervalMs))
  const start = clock.now()
  await primeReads(source, watched, start, signal, logger)
  for (let index = 0; index < total && !signal.aborted; index++) {
    const startMs = start + index * intervalMs
    const endMs = Math.min(
      start + (index + 1) * intervalMs,
      start + Math.max(durationMs, intervalMs),
    )
    const wait = endMs - clock.now()
    if (wait > 0) await sleep(wait, signal)
    if (signal.aborted) break
    const at = { index, startMs, endMs }
    let interval: MonitorInterval
    try {
      const read = await readInterval(source, watched, { startMs, endMs }, signal, logger)
      interval = judge.add(at, read.window, read.metrics)
    } catch (error) {
      if (signal.aborted) break
      logger.warn(`interval ${index + 1}: ${messageOf(error)}`)
      interval = judge.unreadable(at, messageOf(error))
    }
    options.onInterval?.(interval)
    if (judge.state().stop) break
  }
  const report = judge.report()
  if (!signal.aborted) return report
  const seen = report.intervals.length
  return { ...report, reason: `interrupted after ${seen} of ${total} intervals: ${report.reason}` }
}

/** A run being judged: intervals added one by one, each judged with every one before it. */
function judgeRun(rules: MonitorRules, baseline: MonitorBaseline | null) {
  const reference = baselineTraffic(baseline)
  const windows: MonitorWindow[] = []
  const intervals: MonitorInterval[] = []
  let analysis: MonitorAnalysis | null = null
  const state = () =>
    runOutcome(
      analysis,
      intervals.map((i) => i.outcome),
    )
  return {
    add(at: IntervalAt, window: MonitorWindow, metrics: MonitorInterval['metrics']) {
      windows.push(window)
      analysis = analyzeMonitor(windows, reference, rules)
      const interval = { ...at, metrics, ...intervalVerdict(analysis) }
      intervals.push(interval)
      return interval
    },
    unreadable(at: IntervalAt, why: string): MonitorInterval {
      const interval = { ...at, metrics: null, outcome: 'error' as const, findings: [why] }
      intervals.push(interval)
      return interval
    },
    state,
    report(): MonitorReport {
      const { outcome, reason } = state()
      return { outcome, reason, intervals, tests: analysis?.tests ?? [], baseline }
    },
  }
}

interface IntervalAt {
  readonly index: number
  readonly startMs: number
  readonly endMs: number
}

/** Options of {@link judgeHistory}. */
export interface HistoryOptions {
  readonly source: MetricSource
  readonly config: MonitorConfig
  readonly release: string | null
  readonly baseline: MonitorBaseline | null
  /** How far back from `endMs` to look. */
  readonly sinceMs: number
  readonly intervalMs?: number
  readonly endMs: number
  readonly signal: AbortSignal
}

/**
 * Judges the last `sinceMs` at once from the source's history (a Prometheus range query), in
 * intervals of `interval`: what the monitor would have said had it been watching. History has
 * counts and figures but no duration buckets, so latency is not tested. Rejects when the
 * source keeps no history (an endpoint) or cannot be read.
 */
export async function judgeHistory(options: HistoryOptions): Promise<MonitorReport> {
  const { source } = options
  if (source.readSeries === undefined) {
    throw new Error(`the ${source.type} metric source keeps no history: use a prometheus source`)
  }
  const intervalMs = Math.max(1_000, options.intervalMs ?? durationToMs(options.config.interval))
  const window = { startMs: options.endMs - options.sinceMs, endMs: options.endMs }
  const selector: MetricSelector = options.release === null ? {} : { release: options.release }
  const series = await source.readSeries(selector, window, intervalMs, options.signal)
  const judge = judgeRun(monitorRules(options.config), options.baseline)
  for (const [index, metrics] of series.entries()) {
    const endMs = options.endMs - (series.length - 1 - index) * intervalMs
    const at = { index, startMs: endMs - intervalMs, endMs }
    judge.add(at, { release: trafficFromMetrics(metrics), previous: null }, metrics)
    if (judge.state().stop) break
  }
  return judge.report()
}

/**
 * The figures of `release` since its service started, read before a deploy replaces it: what
 * the new release is compared with, with its counts (`traffic`) where the source has them.
 * `null` when it served no requests. Rejects when the source cannot be read (the caller
 * decides whether to go on without a baseline).
 */
export async function readBaseline(
  source: MetricSource,
  release: string,
  signal: AbortSignal,
): Promise<MonitorBaseline | null> {
  const window = { startMs: 0, endMs: Date.now() }
  if (source.readWindow !== undefined) {
    const traffic = await source.readWindow({ release }, window, signal)
    return traffic.requests > 0 ? { ...metricsFromTraffic(traffic, 0), traffic } : null
  }
  const metrics = await source.read({ release }, window, signal)
  return metrics.requests > 0 ? metrics : null
}

function messageOf(error: unknown): string {
  return errorMessage(error)
}
