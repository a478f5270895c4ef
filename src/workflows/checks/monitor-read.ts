/**
 * What the monitor reads from a metric source each interval: the new release's traffic as counts
 * (the tests need counts, not rates) with the figures shown for it, and the previous release's
 * traffic over the same interval when it is named (it may still be serving).
 */
import type { MonitorBaseline } from '../../contracts/checks.js'
import type {
  MetricSelector,
  MetricSource,
  MetricWindow,
  ServiceMetrics,
  TrafficWindow,
} from '../../contracts/metrics.js'
import type { Logger } from '../../contracts/logger.js'
import type { MonitorWindow } from '../../core/rollout/monitor.js'
import { histogramQuantile } from '../../metric-sources/endpoint/quantile.js'
import { errorMessage } from '../../utils/errors.js'

/** The releases a monitor reads: the one watched (`null`: all traffic) and the one before. */
export interface Watched {
  readonly release: string | null
  readonly previous: string | null
}

/** One interval as read: the window the tests take and the figures the report shows. */
export interface IntervalRead {
  readonly window: MonitorWindow
  readonly metrics: ServiceMetrics
}

const selectorOf = (release: string | null): MetricSelector => (release === null ? {} : { release })

/** Primes sources that count from their previous read (an endpoint); never rejects. */
export async function primeReads(
  source: MetricSource,
  watched: Watched,
  at: number,
  signal: AbortSignal,
  logger: Logger,
): Promise<void> {
  const window = { startMs: at, endMs: at }
  const previous =
    watched.previous === null || source.readWindow === undefined ? [] : [watched.previous]
  const reads = [watched.release, ...previous].map((release) =>
    trafficOf(source, selectorOf(release), window, signal),
  )
  await Promise.all(reads).catch((error: unknown) => {
    if (!signal.aborted) logger.debug(`priming the metric source: ${errorMessage(error)}`)
  })
}

/**
 * Reads one interval. Rejects when the watched release cannot be read; the previous release's
 * traffic is best effort (an instance already stopped is no traffic, not an error).
 */
export async function readInterval(
  source: MetricSource,
  watched: Watched,
  window: MetricWindow,
  signal: AbortSignal,
  logger: Logger,
): Promise<IntervalRead> {
  const [release, previous] = await Promise.all([
    trafficOf(source, selectorOf(watched.release), window, signal),
    watched.previous === null || source.readWindow === undefined
      ? null
      : trafficOf(source, { release: watched.previous }, window, signal).catch((error: unknown) => {
          logger.debug(`the previous release's traffic: ${errorMessage(error)}`)
          return null
        }),
  ])
  return { window: { release: release.traffic, previous: previous?.traffic ?? null }, ...release }
}

/**
 * A selector's counts over `window`, and its figures: from `readWindow` where the source counts
 * traffic; otherwise (the endpoint's JSON form) from `read`, whose counts are the service's own
 * rolling window rather than the interval's, an approximation docs/monitoring.md states.
 */
async function trafficOf(
  source: MetricSource,
  selector: MetricSelector,
  window: MetricWindow,
  signal: AbortSignal,
): Promise<{ traffic: TrafficWindow; metrics: ServiceMetrics }> {
  if (source.readWindow === undefined) {
    const metrics = await source.read(selector, window, signal)
    return { traffic: trafficFromMetrics(metrics), metrics }
  }
  const traffic = await source.readWindow(selector, window, signal)
  return { traffic, metrics: metricsFromTraffic(traffic, window.endMs - window.startMs) }
}

/** The figures of a traffic window: error rate, p95 from the buckets, cost per request and hour. */
export function metricsFromTraffic(traffic: TrafficWindow, elapsedMs: number): ServiceMetrics {
  const { requests, errors, latency, costUsd } = traffic
  let below = 0
  const buckets =
    latency?.bounds.map((upperBound, i) => ({
      upperBound,
      count: (below += latency.counts[i] ?? 0),
    })) ?? []
  const p95 = histogramQuantile(0.95, buckets)
  return {
    requests,
    errors,
    errorRate: requests > 0 ? errors / requests : null,
    latencyAvgMs: null,
    latencyP95Ms: p95 === null ? null : p95 * 1000,
    costPerRequestUsd: requests > 0 && costUsd !== undefined ? costUsd / requests : null,
    costPerHourUsd:
      costUsd !== undefined && elapsedMs > 0 ? costUsd / (elapsedMs / 3_600_000) : null,
  }
}

/** Counts from figures: requests, errors and spend (no histogram). */
export function trafficFromMetrics(metrics: ServiceMetrics): TrafficWindow {
  const cost = metrics.costPerRequestUsd
  return {
    requests: metrics.requests,
    errors: metrics.errors,
    ...(cost === null ? {} : { costUsd: cost * metrics.requests }),
  }
}

/** The counts a baseline is tested as: its own, or (a baseline saved without them) its figures'. */
export function baselineTraffic(baseline: MonitorBaseline | null): TrafficWindow | null {
  if (baseline === null) return null
  return baseline.traffic ?? trafficFromMetrics(baseline)
}
