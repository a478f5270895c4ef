/**
 * The `prometheus` metric source: PromQL over the runtime SDK's series through the HTTP API
 * (`/api/v1/query`, evaluated at the window's end). Over a window: `increase()` of the request,
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
import { getText } from '../http.js'
import { RELEASE_LABEL, SERIES } from '../names.js'

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
  const matchers = [
    selector.release === undefined ? '' : `${RELEASE_LABEL}="${escapeLabel(selector.release)}"`,
    extra.trim(),
  ].filter((m) => m !== '')
  const labels = matchers.length === 0 ? '' : `{${matchers.join(',')}}`
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

async function readWindow(
  options: PrometheusSourceOptions,
  selector: MetricSelector,
  window: MetricWindow,
  signal: AbortSignal,
): Promise<ServiceMetrics> {
  const queries = promqlFor(selector, window, options.selector)
  const at = window.endMs / 1000
  const run = (promql: string) => instantQuery(options.url, promql, at, signal)
  const [requests, errors, cost, unpriced, durationSum, durationCount, p95] = await Promise.all([
    run(queries.requests),
    run(queries.errors),
    run(queries.cost),
    run(queries.unpriced),
    run(queries.durationSum),
    run(queries.durationCount),
    run(queries.p95),
  ])
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

interface ApiAnswer {
  status?: string
  errorType?: string
  error?: string
  data?: { resultType?: string; result?: { value?: [number, string] }[] }
}

/**
 * The single value of an instant query at `time` (seconds); `null` for an empty vector (no
 * series: no traffic) or NaN. Rejects when Prometheus is unreachable or answers an error.
 */
export async function instantQuery(
  base: string,
  promql: string,
  time: number,
  signal: AbortSignal,
): Promise<number | null> {
  const url = new URL('api/v1/query', base.endsWith('/') ? base : `${base}/`)
  url.searchParams.set('query', promql)
  url.searchParams.set('time', time.toFixed(3))
  const answer = await getText(url, 'application/json', signal, `Prometheus at ${base}`)
  let body: ApiAnswer
  try {
    body = JSON.parse(answer.text) as ApiAnswer
  } catch {
    throw new Error(
      `Prometheus at ${base}: ${answer.status} ${answer.statusText}, not the Prometheus API`,
    )
  }
  if (body.status !== 'success') {
    throw new Error(
      `Prometheus at ${base} rejected ${promql}: ${body.errorType ?? 'error'}: ${body.error ?? answer.statusText}`,
    )
  }
  const value = body.data?.result?.[0]?.value?.[1]
  if (value === undefined) return null
  const number = Number(value)
  return Number.isNaN(number) ? null : number
}

/** A label value inside double quotes. */
function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}
