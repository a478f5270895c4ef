/**
 * What the checks of a running service report: the smoke test, the monitor (interval by
 * interval, or once for health and spend). Values, never exceptions: a bad service is a report.
 */
import type { ServiceMetrics, TrafficWindow } from './metrics.js'

/** How one check ended. */
export interface SmokeCheckResult {
  readonly name: string
  /** `GET /health`. */
  readonly request: string
  readonly passed: boolean
  /** Status of the last answer; `null` when there was none (refused, timed out). */
  readonly status: number | null
  /** Latency of the last answer in ms; `null` when there was none. */
  readonly latencyMs: number | null
  /** Requests sent, retries included. */
  readonly attempts: number
  /** Why it failed (the last attempt's reason); `null` when it passed. */
  readonly reason: string | null
}

/** The smoke test of one service. `passed` only when every check passed. */
export interface SmokeReport {
  readonly url: string
  readonly passed: boolean
  readonly checks: SmokeCheckResult[]
  readonly durationMs: number
}

/** How an interval, or a whole monitor run, ended. */
export type MonitorOutcome = 'passed' | 'failed' | 'inconclusive' | 'error'

/**
 * One judged interval. Its outcome is the run's after it: `failed` when a test over every
 * interval so far failed, `inconclusive` while there are too few requests to pass.
 */
export interface MonitorInterval {
  /** 0-based. */
  readonly index: number
  readonly startMs: number
  readonly endMs: number
  /** `null` when the source failed (outcome `error`). */
  readonly metrics: ServiceMetrics | null
  readonly outcome: MonitorOutcome
  /** Why it failed, was inconclusive or errored; empty when it passed. */
  readonly findings: string[]
}

/** What the monitor tests: against a limit, or against the previous release. */
export type MonitorTestName =
  'error-limit' | 'latency-limit' | 'cost-limit' | 'error-rate' | 'latency' | 'cost'

/** One sequential test over the whole run so far. */
export interface MonitorTest {
  readonly metric: MonitorTestName
  /**
   * What the new release was compared with: a configured limit, the previous release serving
   * over the same intervals (`concurrent`), or its totals saved before the deploy (`baseline`).
   */
  readonly against: 'limit' | 'concurrent' | 'baseline'
  /** The always-valid p-value, and after Holm's adjustment across the run's tests. */
  readonly pValue: number
  readonly adjusted: number
  readonly failed: boolean
  /** The new release's figure (error rate, share of slow requests, cost per request). */
  readonly value: number | null
  /** The figure compared with (the limit, or the previous release's). */
  readonly reference: number | null
  /** What was compared, in words. */
  readonly detail: string
}

/**
 * The previous release's figures a monitor compares with, read before the deploy replaced it;
 * `traffic` holds its counts (requests, errors, duration buckets, spend) when the source has
 * them, which the tests need to treat it as a sample.
 */
export interface MonitorBaseline extends ServiceMetrics {
  readonly traffic?: TrafficWindow
}

/** A monitor run: the outcome, in one sentence why, and every interval judged. */
export interface MonitorReport {
  readonly outcome: MonitorOutcome
  readonly reason: string
  readonly intervals: MonitorInterval[]
  /** The tests over the whole run, as they stood at its end. */
  readonly tests: readonly MonitorTest[]
  /** The previous release's metrics the intervals were compared with. */
  readonly baseline: MonitorBaseline | null
}

/** What the one-shot check found. */
export interface OnceReport {
  /** `failed` when unhealthy or over budget; `error` when the metrics could not be read. */
  readonly outcome: 'passed' | 'failed' | 'error'
  readonly reason: string
  readonly health: {
    readonly passed: boolean
    readonly status: number | null
    readonly reason: string | null
  }
  readonly costPerHourUsd: number | null
  /** `monitor.thresholds.costPerHourUsd`; `null` when not configured (spend is only reported). */
  readonly costPerHourLimitUsd: number | null
}
