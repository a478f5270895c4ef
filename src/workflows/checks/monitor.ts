/**
 * `shipgate monitor` and the deploy pipeline's monitor step: every `interval`, read the last
 * interval's metrics of the release from a metric source, judge them (core/rollout/monitor.ts)
 * and report, until `duration` has passed, enough intervals failed, or the signal aborts.
 * `checkOnce` is the scheduled one-shot check: health and spend per hour.
 */
import type { MonitorInterval, MonitorReport } from '../../contracts/checks.js'
import { errorMessage } from '../../utils/errors.js'
import type { MonitorConfig } from '../../config/deploy-schema.js'
import type { Logger } from '../../contracts/logger.js'
import type { MetricSelector, MetricSource, ServiceMetrics } from '../../contracts/metrics.js'
import { judgeInterval, runOutcome, type MonitorRules } from '../../core/rollout/monitor.js'
import { systemClock } from '../../utils/clock.js'
import { durationToMs } from '../../utils/duration.js'

export { checkOnce, type OnceOptions } from './once.js'

/** Options of {@link runMonitor}. */
export interface MonitorOptions {
  readonly source: MetricSource
  readonly config: MonitorConfig
  /** The release watched; `null` watches all the service's traffic. */
  readonly release: string | null
  readonly baseline: ServiceMetrics | null
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
    minRequests: config.minRequests,
    failAfter: config.failAfter,
    thresholds: config.thresholds,
    compare: config.compare,
  }
}

/**
 * Watches `release` for `duration` in intervals of `interval`. The source is read once at the
 * start (an endpoint source primes there), then at the end of every interval. Never throws for
 * a bad service or an unreadable source: those are the report's outcome.
 */
export async function runMonitor(options: MonitorOptions): Promise<MonitorReport> {
  const { source, signal, logger } = options
  const clock = options.clock ?? systemClock
  const sleep = options.sleep ?? ((t: number, s: AbortSignal) => systemClock.sleep(t, s))
  const durationMs = options.durationMs ?? durationToMs(options.config.duration)
  const intervalMs = Math.max(1, options.intervalMs ?? durationToMs(options.config.interval))
  const rules = monitorRules(options.config)
  const selector: MetricSelector = options.release === null ? {} : { release: options.release }
  const total = Math.max(1, Math.ceil(durationMs / intervalMs))
  const start = clock.now()
  await source.read(selector, { startMs: start, endMs: start }, signal).catch((error: unknown) => {
    if (!signal.aborted) logger.debug(`priming the metric source: ${messageOf(error)}`)
  })
  const intervals: MonitorInterval[] = []
  let state = runOutcome([], rules.failAfter)
  for (let index = 0; index < total && !signal.aborted; index++) {
    const startMs = start + index * intervalMs
    const endMs = Math.min(
      start + (index + 1) * intervalMs,
      start + Math.max(durationMs, intervalMs),
    )
    const wait = endMs - clock.now()
    if (wait > 0) await sleep(wait, signal)
    if (signal.aborted) break
    const interval = await judgeWindow(options, selector, rules, { index, startMs, endMs })
    if (interval === null) break
    intervals.push(interval)
    options.onInterval?.(interval)
    state = runOutcome(
      intervals.map((i) => i.outcome),
      rules.failAfter,
    )
    if (state.stop) break
  }
  return {
    outcome: state.outcome,
    reason: signal.aborted
      ? `interrupted after ${intervals.length} of ${total} intervals: ${state.reason}`
      : state.reason,
    intervals,
    baseline: options.baseline,
  }
}

/** Reads and judges one interval; `null` when the read was aborted. */
async function judgeWindow(
  options: MonitorOptions,
  selector: MetricSelector,
  rules: MonitorRules,
  at: { index: number; startMs: number; endMs: number },
): Promise<MonitorInterval | null> {
  const window = { startMs: at.startMs, endMs: at.endMs }
  let metrics: ServiceMetrics
  try {
    metrics = await options.source.read(selector, window, options.signal)
  } catch (error) {
    if (options.signal.aborted) return null
    options.logger.warn(`interval ${at.index + 1}: ${messageOf(error)}`)
    return { ...at, metrics: null, outcome: 'error', findings: [messageOf(error)] }
  }
  const judged = judgeInterval(metrics, options.baseline, rules)
  return { ...at, metrics, outcome: judged.outcome, findings: judged.findings }
}

/** Options of {@link judgeHistory}. */
export interface HistoryOptions {
  readonly source: MetricSource
  readonly config: MonitorConfig
  readonly release: string | null
  readonly baseline: ServiceMetrics | null
  /** How far back from `endMs` to look. */
  readonly sinceMs: number
  readonly intervalMs?: number
  readonly endMs: number
  readonly signal: AbortSignal
}

/**
 * Judges the last `sinceMs` at once from the source's history (a Prometheus range query), in
 * intervals of `interval`: what the monitor would have said had it been watching. Rejects when
 * the source keeps no history (an endpoint) or cannot be read.
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
  const rules = monitorRules(options.config)
  const intervals = series.map((metrics, index): MonitorInterval => {
    const endMs = options.endMs - (series.length - 1 - index) * intervalMs
    const judged = judgeInterval(metrics, options.baseline, rules)
    return { index, startMs: endMs - intervalMs, endMs, metrics, ...judged }
  })
  const state = runOutcome(
    intervals.map((i) => i.outcome),
    rules.failAfter,
  )
  return { outcome: state.outcome, reason: state.reason, intervals, baseline: options.baseline }
}

/**
 * The metrics of `release` since its service started, read before a deploy replaces it: what
 * the new release is compared with. `null` when it served no requests. Rejects when the
 * source cannot be read (the caller decides whether to go on without a baseline).
 */
export async function readBaseline(
  source: MetricSource,
  release: string,
  signal: AbortSignal,
): Promise<ServiceMetrics | null> {
  const metrics = await source.read({ release }, { startMs: 0, endMs: Date.now() }, signal)
  return metrics.requests > 0 ? metrics : null
}

function messageOf(error: unknown): string {
  return errorMessage(error)
}
