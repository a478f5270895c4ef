/**
 * The series the runtime SDK (packages/runtime/src/telemetry/metrics.ts) exports, which both
 * sources read. Every series carries the constant labels `service`, `version`, `release`,
 * `variant`.
 */
export const SERIES = {
  /** Counter: HTTP requests by method, route and status class. */
  requests: 'http_server_requests_total',
  /** Counter: requests answered 5xx or whose handler threw. */
  errors: 'http_server_errors_total',
  /** Histogram (seconds): request durations. */
  duration: 'http_server_request_duration_seconds',
  /** Counter: LLM spend in USD. */
  cost: 'llm_cost_usd_total',
  /** Counter: LLM calls without a price (not in the cost). */
  unpriced: 'llm_unpriced_calls_total',
} as const

/** The label that tells releases apart. */
export const RELEASE_LABEL = 'release'
