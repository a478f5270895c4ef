/**
 * Metric sources: where `shipgate monitor` (and the canary judge) read how a release behaves.
 * `endpoint` scrapes the service itself (its JSON metrics or Prometheus text); `prometheus`
 * queries a Prometheus server with PromQL. The service labels its metrics with `release` and
 * `version` (the runtime SDK does), so a release can be told from the one before it.
 */

/** Which traffic to measure: one release, or everything the service serves when absent. */
export interface MetricSelector {
  readonly release?: string
}

/** A time window, as epoch milliseconds. */
export interface MetricWindow {
  readonly startMs: number
  readonly endMs: number
}

/**
 * How a release behaved over a window. A measure is `null` when there was no traffic to compute
 * it from; a monitor treats that as inconclusive, never as a pass.
 */
export interface ServiceMetrics {
  readonly requests: number
  readonly errors: number
  readonly errorRate: number | null
  readonly latencyAvgMs: number | null
  readonly latencyP95Ms: number | null
  /** Spend on LLM calls per request in USD; `null` without requests or when unpriced. */
  readonly costPerRequestUsd: number | null
  /** Spend per hour in USD, extrapolated from the window. */
  readonly costPerHourUsd: number | null
}

/**
 * One release's traffic over a window as counts, for the canary analysis: the increase of its
 * counters over the window. Counts from Prometheus' increase() may be fractional.
 */
export interface TrafficWindow {
  readonly requests: number
  readonly errors: number
  /**
   * The request-duration histogram over the window: bucket upper bounds in seconds, ascending,
   * the last `Infinity`, and the requests in each bucket (not cumulative).
   */
  readonly latency?: { readonly bounds: readonly number[]; readonly counts: readonly number[] }
  /** Model spend over the window in USD; absent when nothing was priced. */
  readonly costUsd?: number
}

/** A metric source. Errors (unreachable, bad query) reject; the monitor records them as Error. */
export interface MetricSource {
  /** Builtin name: `endpoint` or `prometheus`. */
  readonly type: string
  /**
   * The metrics of `selector` over `window`. Sources that cannot look back in time (an
   * endpoint) measure from the previous call to now; their first call primes and may return
   * zero requests.
   */
  read(selector: MetricSelector, window: MetricWindow, signal: AbortSignal): Promise<ServiceMetrics>
  /**
   * The metrics of each `stepMs`-long interval of `window` (oldest first, the last ending at
   * `window.endMs`), from stored history: a Prometheus range query. Absent on sources that
   * cannot look back (an endpoint only knows the present).
   */
  readSeries?(
    selector: MetricSelector,
    window: MetricWindow,
    stepMs: number,
    signal: AbortSignal,
  ): Promise<readonly ServiceMetrics[]>
  /**
   * `selector`'s traffic over `window` as counts (requests, errors, the duration histogram,
   * spend), for the canary analysis, which compares two releases serving at the same time. A
   * window starting at or before 0 gives the totals since the service started. Sources that
   * cannot look back (those without `readSeries`: an endpoint) count from their previous
   * `readWindow` of the same selector to now, whatever the window; their first call primes and
   * returns zero requests. Absent where the source has no counts (the endpoint's JSON form).
   */
  readWindow?(
    selector: MetricSelector,
    window: MetricWindow,
    signal: AbortSignal,
  ): Promise<TrafficWindow>
  close?(): Promise<void>
}
