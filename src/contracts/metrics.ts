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
  close?(): Promise<void>
}
