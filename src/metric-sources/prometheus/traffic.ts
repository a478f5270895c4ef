/**
 * `readWindow` of the prometheus source: one release's traffic over a window as counts, for the
 * canary analysis. The counters' sums over the release's series (by `le` for the duration
 * buckets) are read by instant queries at the window's start and at its end and differenced, as
 * `readSeries` does per step: exact counts, and consecutive windows share their edges, so every
 * request is counted in exactly one window. `increase()` is not used: it extrapolates to the
 * window's edges, which over a minute of 15-second scrapes counts a third more requests than
 * were seen and makes a sequential test more sure than the data allows. A sum that drops over
 * the window is a restart, counted from zero. A window starting at or before 0 reads the
 * counters as they stand (totals since the service started).
 */
import type { MetricSelector, MetricWindow, TrafficWindow } from '../../contracts/metrics.js'
import { SERIES } from '../names.js'
import { trafficOf } from '../traffic.js'
import { instantQuery, vectorQuery } from './api.js'
import type { PrometheusSourceOptions } from './index.js'
import { labelMatchers } from './matchers.js'

/** The PromQL of each counter's sum over `selector`'s series; exported for the docs and tests. */
export function trafficPromql(
  selector: MetricSelector,
  extra: string,
): Record<'requests' | 'errors' | 'cost' | 'unpriced' | 'buckets', string> {
  const labels = labelMatchers(selector, extra)
  return {
    requests: `sum(${SERIES.requests}${labels})`,
    errors: `sum(${SERIES.errors}${labels})`,
    cost: `sum(${SERIES.cost}${labels})`,
    unpriced: `sum(${SERIES.unpriced}${labels})`,
    buckets: `sum by (le) (${SERIES.duration}_bucket${labels})`,
  }
}

/** Reads `selector`'s traffic over `window`. Rejects when Prometheus cannot answer. */
export async function readTraffic(
  options: PrometheusSourceOptions,
  selector: MetricSelector,
  window: MetricWindow,
  signal: AbortSignal,
): Promise<TrafficWindow> {
  const queries = trafficPromql(selector, options.selector)
  const [end, start] = await Promise.all([
    totalsAt(options.url, queries, window.endMs / 1000, signal),
    window.startMs <= 0 ? null : totalsAt(options.url, queries, window.startMs / 1000, signal),
  ])
  if (start === null) return trafficOf(end)
  const buckets = new Map([...end.buckets].map(([le, n]) => [le, grown(start.buckets.get(le), n)]))
  return trafficOf({
    requests: grown(start.requests, end.requests),
    errors: grown(start.errors, end.errors),
    costUsd: grown(start.costUsd, end.costUsd),
    unpricedCalls: grown(start.unpricedCalls, end.unpricedCalls),
    buckets,
  })
}

/** The counters' sums as they stood at `time` (seconds); 0 where no series existed yet. */
async function totalsAt(
  url: string,
  queries: ReturnType<typeof trafficPromql>,
  time: number,
  signal: AbortSignal,
) {
  const one = (promql: string): Promise<number> =>
    instantQuery(url, promql, time, signal).then((v) => v ?? 0)
  const [requests, errors, costUsd, unpricedCalls, byLe] = await Promise.all([
    one(queries.requests),
    one(queries.errors),
    one(queries.cost),
    one(queries.unpriced),
    vectorQuery(url, queries.buckets, time, 'le', signal),
  ])
  const buckets = new Map([...byLe].map(([le, n]) => [le === '+Inf' ? Infinity : Number(le), n]))
  return { requests, errors, costUsd, unpricedCalls, buckets }
}

/** How much a sum grew from `start` to `end`; a drop is a restart, counted from zero. */
export function grown(start: number | undefined, end: number): number {
  const before = start ?? 0
  return end >= before ? end - before : end
}
