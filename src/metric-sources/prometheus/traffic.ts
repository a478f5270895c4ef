/**
 * `readWindow` of the prometheus source: one release's traffic over a window as counts, for the
 * canary analysis. Instant queries at the window's end of `increase(…[window])`, summed over the
 * release's series (by `le` for the duration buckets); a window starting at or before 0 reads
 * the counters as they stand. Like every `increase()`, the counts are extrapolated to the
 * window's edges unless a scrape falls on each edge, so they may be fractional.
 */
import type { MetricSelector, MetricWindow, TrafficWindow } from '../../contracts/metrics.js'
import { SERIES } from '../names.js'
import { trafficOf } from '../traffic.js'
import { instantQuery, vectorQuery } from './api.js'
import type { PrometheusSourceOptions } from './index.js'
import { labelMatchers } from './matchers.js'

/** The PromQL of each count over `window`; exported for the docs and tests. */
export function trafficPromql(
  selector: MetricSelector,
  window: MetricWindow,
  extra: string,
): Record<'requests' | 'errors' | 'cost' | 'unpriced' | 'buckets', string> {
  const labels = labelMatchers(selector, extra)
  const range = rangeOf(window)
  const counted = (series: string): string =>
    range === null ? `${series}${labels}` : `increase(${series}${labels}[${range}])`
  return {
    requests: `sum(${counted(SERIES.requests)})`,
    errors: `sum(${counted(SERIES.errors)})`,
    cost: `sum(${counted(SERIES.cost)})`,
    unpriced: `sum(${counted(SERIES.unpriced)})`,
    buckets: `sum by (le) (${counted(`${SERIES.duration}_bucket`)})`,
  }
}

/** Reads `selector`'s traffic over `window`. Rejects when Prometheus cannot answer. */
export async function readTraffic(
  options: PrometheusSourceOptions,
  selector: MetricSelector,
  window: MetricWindow,
  signal: AbortSignal,
): Promise<TrafficWindow> {
  const queries = trafficPromql(selector, window, options.selector)
  const at = window.endMs / 1000
  const one = (promql: string): Promise<number> =>
    instantQuery(options.url, promql, at, signal).then((v) => v ?? 0)
  const [requests, errors, costUsd, unpricedCalls, byLe] = await Promise.all([
    one(queries.requests),
    one(queries.errors),
    one(queries.cost),
    one(queries.unpriced),
    vectorQuery(options.url, queries.buckets, at, 'le', signal),
  ])
  const buckets = new Map([...byLe].map(([le, n]) => [le === '+Inf' ? Infinity : Number(le), n]))
  return trafficOf({ requests, errors, costUsd, unpricedCalls, buckets })
}

/**
 * The range selector of `window`: whole seconds when it is, else milliseconds, so a window
 * whose edges are scrape times covers exactly those scrapes. `null` from the start (totals).
 */
function rangeOf(window: MetricWindow): string | null {
  if (window.startMs <= 0) return null
  const ms = Math.max(1, Math.round(window.endMs - window.startMs))
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`
}
