/**
 * The `prometheus` metric source: PromQL over the runtime SDK's series through the HTTP API:
 * `/api/v1/query` evaluated at the window's end for `read`, `/api/v1/query_range` with one
 * step per interval for `readSeries` (history). Over a window: `increase()` of the request,
 * error and cost counters, and `histogram_quantile(0.95, sum by (le) (rate(…_bucket[w])))` for
 * the p95. A window starting at or before 0 reads the counters as they stand (totals since the
 * service started). Series are selected by `release="…"` plus the configured matchers.
 */
import type {
  MetricSelector,
  MetricSource,
  MetricWindow,
  ServiceMetrics,
} from '../../contracts/metrics.js'
import { SERIES } from '../names.js'
import { instantQuery, rangeQuery } from './api.js'
import { labelMatchers } from './matchers.js'
import { grown, readTraffic } from './traffic.js'

/** Options of {@link createPrometheusSource}. */
export interface PrometheusSourceOptions {
  /** The server, e.g. `http://127.0.0.1:9090`. */
  readonly url: string
  /** Extra label matchers, e.g. `service="agent"`. */
  readonly selector: string
}

/** The `prometheus` source. */
export function createPrometheusSource(options: PrometheusSourceOptions): MetricSource {
  return {
    type: 'prometheus',
    read: (selector, window, signal) => readWindow(options, selector, window, signal),
    readSeries: (selector, window, stepMs, signal) =>
      readSteps(options, selector, window, stepMs, signal),
    readWindow: (selector, window, signal) => readTraffic(options, selector, window, signal),
  }
}

/** The PromQL of each figure over `window`; exported for the docs and tests. */
export function promqlFor(
  selector: MetricSelector,
  window: MetricWindow,
  extra: string,
): Record<
  'requests' | 'errors' | 'cost' | 'unpriced' | 'durationSum' | 'durationCount' | 'p95',
  string
> {
  const labels = labelMatchers(selector, extra)
  const seconds = Math.max(1, Math.round((window.endMs - window.startMs) / 1000))
  const total = window.startMs <= 0
  const counted = (series: string): string =>
    total ? `sum(${series}${labels})` : `sum(increase(${series}${labels}[${seconds}s]))`
  const buckets = `${SERIES.duration}_bucket${labels}`
  return {
    requests: counted(SERIES.requests),
    errors: counted(SERIES.errors),
    cost: counted(SERIES.cost),
    unpriced: counted(SERIES.unpriced),
    durationSum: counted(`${SERIES.duration}_sum`),
    durationCount: counted(`${SERIES.duration}_count`),
    p95: `histogram_quantile(0.95, sum by (le) (${total ? buckets : `rate(${buckets}[${seconds}s])`}))`,
  }
}

const FIGURES = [
  'requests',
  'errors',
  'cost',
  'unpriced',
  'durationSum',
  'durationCount',
  'p95',
] as const
type Figures = Record<(typeof FIGURES)[number], number | null>

async function readWindow(
  options: PrometheusSourceOptions,
  selector: MetricSelector,
  window: MetricWindow,
  signal: AbortSignal,
): Promise<ServiceMetrics> {
  const queries = promqlFor(selector, window, options.selector)
  const at = window.endMs / 1000
  const values = await Promise.all(
    FIGURES.map((f) => instantQuery(options.url, queries[f], at, signal)),
  )
  const figures = Object.fromEntries(FIGURES.map((f, i) => [f, values[i] ?? null])) as Figures
  return metricsOf(figures, window)
}

/**
 * The metrics of each step-long interval of `window`, from range queries: the counters' sums at
 * every step boundary, differenced (exact counts: `increase()` over a range holding few scrapes
 * extrapolates far off), and the p95 from `rate()` of the buckets over each step.
 */
async function readSteps(
  options: PrometheusSourceOptions,
  selector: MetricSelector,
  window: MetricWindow,
  stepMs: number,
  signal: AbortSignal,
): Promise<ServiceMetrics[]> {
  const step = Math.max(1_000, Math.round(stepMs / 1_000) * 1_000)
  const count = Math.max(1, Math.floor((window.endMs - window.startMs) / step))
  const bounds = Array.from({ length: count + 1 }, (_, i) => window.endMs - (count - i) * step)
  const totals = promqlFor(selector, { startMs: 0, endMs: window.endMs }, options.selector)
  const rates = promqlFor(
    selector,
    { startMs: window.endMs - step, endMs: window.endMs },
    options.selector,
  )
  const range = { start: (bounds[0] ?? 0) / 1000, end: window.endMs / 1000, step: step / 1000 }
  const series = await Promise.all(
    FIGURES.map((f) => rangeQuery(options.url, f === 'p95' ? rates.p95 : totals[f], range, signal)),
  )
  return bounds.slice(1).map((endMs, i) => {
    const before = (bounds[i] ?? 0) / 1000
    const at = endMs / 1000
    const figures = Object.fromEntries(
      FIGURES.map((f, k) => [
        f,
        f === 'p95' ? valueAt(series[k], at) : counted(series[k], before, at),
      ]),
    ) as Figures
    return metricsOf(figures, { startMs: endMs - step, endMs })
  })
}

/** How much a counter sum grew between two boundaries; a drop is a restart (counted from 0). */
function counted(series: Map<number, number> | undefined, from: number, to: number): number | null {
  const end = valueAt(series, to)
  if (end === null) return null
  return grown(valueAt(series, from) ?? 0, end)
}

/** The service's metrics from the figures PromQL gave for `window`. */
function metricsOf(figures: Figures, window: MetricWindow): ServiceMetrics {
  const { requests, errors, cost, unpriced, durationSum, durationCount, p95 } = figures
  const n = requests ?? 0
  const spent = cost ?? 0
  const priced = spent > 0 || (unpriced ?? 0) === 0
  const hours = (window.endMs - window.startMs) / 3_600_000
  return {
    requests: n,
    errors: errors ?? 0,
    errorRate: n > 0 ? (errors ?? 0) / n : null,
    latencyAvgMs:
      durationCount !== null && durationCount > 0
        ? ((durationSum ?? 0) / durationCount) * 1000
        : null,
    latencyP95Ms: p95 === null || !Number.isFinite(p95) || n === 0 ? null : p95 * 1000,
    costPerRequestUsd: n > 0 && priced ? spent / n : null,
    costPerHourUsd: window.startMs > 0 && hours > 0 && priced ? spent / hours : null,
  }
}

function valueAt(series: Map<number, number> | undefined, at: number): number | null {
  const value = series?.get(Math.round(at * 1000) / 1000)
  return value === undefined || Number.isNaN(value) ? null : value
}
