/**
 * `shipgate monitor --once`: the scheduled production check (the seed's §6.2). One health
 * request (`GET /health` answering 200 with a status `monitor.failOn` accepts) and the spend per hour against
 * `monitor.thresholds.costPerHourUsd`. A failing check is a value, for the caller to alert on.
 */
import type { OnceReport } from '../../contracts/checks.js'
import { errorMessage } from '../../utils/errors.js'
import type { MonitorConfig } from '../../config/deploy-schema.js'
import type { MetricSource } from '../../contracts/metrics.js'
import { DEFAULT_SMOKE } from '../../core/rollout/defaults.js'
import { healthCheck } from '../../core/rollout/smoke.js'
import { runSmoke } from './smoke.js'
import type { Logger } from '../../contracts/logger.js'

/** Options of {@link checkOnce}. */
export interface OnceOptions {
  /** The service's base URL. */
  readonly baseUrl: string
  /** Where spend per hour is read (the endpoint source in JSON reads the service's own window). */
  readonly source: MetricSource
  readonly config: MonitorConfig
  readonly release: string | null
  readonly signal: AbortSignal
  readonly logger: Logger
  /** Timeout of the health request; default the smoke checks' (`DEFAULT_SMOKE.timeout`). */
  readonly timeoutMs?: number
}

/** Runs the one-shot check. Never throws for an unhealthy service or unreadable metrics. */
export async function checkOnce(options: OnceOptions): Promise<OnceReport> {
  const health = await healthOf(options)
  const limit = options.config.thresholds.costPerHourUsd ?? null
  const now = Date.now()
  const selector = options.release === null ? {} : { release: options.release }
  let cost: number | null = null
  let readError: string | null = null
  try {
    const metrics = await options.source.read(
      selector,
      { startMs: now - 3_600_000, endMs: now },
      options.signal,
    )
    cost = metrics.costPerHourUsd
  } catch (error) {
    readError = errorMessage(error)
  }
  const problems = [
    health.passed ? '' : (health.reason ?? 'unhealthy'),
    limit !== null && cost !== null && cost > limit
      ? `spend ${usd(cost)}/hour above the limit ${usd(limit)}/hour`
      : '',
  ].filter((p) => p !== '')
  const outcome = problems.length > 0 ? 'failed' : readError !== null ? 'error' : 'passed'
  const reason =
    problems.length > 0
      ? problems.join('; ')
      : readError !== null
        ? `healthy, but the metrics could not be read: ${readError}`
        : `healthy; spend ${cost === null ? 'unknown' : `${usd(cost)}/hour`}${limit === null ? '' : ` (limit ${usd(limit)}/hour)`}`
  return { outcome, reason, health, costPerHourUsd: cost, costPerHourLimitUsd: limit }
}

async function healthOf(options: OnceOptions): Promise<OnceReport['health']> {
  const { name, path, headers, status, expect } = healthCheck(options.config.failOn)
  const report = await runSmoke({
    baseUrl: options.baseUrl,
    config: {
      checks: [{ name, method: 'GET', path, headers, status, expect }],
      failOn: options.config.failOn,
      retries: 0,
      retryDelay: 0,
      timeout: options.timeoutMs ?? DEFAULT_SMOKE.timeout,
    },
    signal: options.signal,
    logger: options.logger,
  })
  const check = report.checks[0]
  return { passed: report.passed, status: check?.status ?? null, reason: check?.reason ?? null }
}

const usd = (value: number): string => `$${value < 1 ? value.toPrecision(3) : value.toFixed(2)}`
