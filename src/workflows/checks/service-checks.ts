/**
 * `shipgate smoke` and `shipgate monitor` as library calls: the service (a URL or a target)
 * opened, checked, and the outcome sent through the config's `notify:` list — so a library
 * caller gets the same alerts as the CLI.
 */
import type {
  MonitorBaseline,
  MonitorInterval,
  MonitorReport,
  OnceReport,
  SmokeReport,
} from '../../contracts/checks.js'
import type { MetricSource } from '../../contracts/metrics.js'
import type { PipelineEventType } from '../../contracts/notifier.js'
import { usageError } from '../../errors.js'
import { createMetricSource } from '../../metric-sources/index.js'
import { errorMessage } from '../../utils/errors.js'
import { parseDuration } from '../../utils/duration.js'
import { pipelineEvent } from '../alerts/index.js'
import { checkOnce, judgeHistory, monitorPassed, readBaseline, runMonitor } from './monitor.js'
import { openService, type Service, type ServiceOptions } from './service.js'
import { runSmoke } from './smoke.js'

/** The smoke report and where it ran. */
export interface SmokeResult {
  readonly report: SmokeReport
  /** The target's name, or `null` for a URL. */
  readonly target: string | null
}

/** Smoke-tests the service; a failure alerts `smoke.failed`. */
export async function smoke(options: ServiceOptions): Promise<SmokeResult> {
  return withService(options, async (service) => {
    options.logger.info(`smoke testing ${service.baseUrl}`)
    const report = await runSmoke({
      baseUrl: service.baseUrl,
      config: service.smoke,
      signal: options.signal,
      logger: options.logger.child('smoke'),
    })
    if (!report.passed && !options.signal.aborted) {
      const failed = report.checks.filter((c) => !c.passed)
      const why = failed.map((c) => `${c.name}: ${c.reason ?? 'failed'}`).join('; ')
      await alert(service, 'smoke.failed', `smoke tests of ${where(service)} failed: ${why}`)
    }
    return { report, target: service.target }
  })
}

/** Options of {@link monitor}. */
export interface MonitorServiceOptions extends ServiceOptions {
  /** The release watched (its `release` label); default all traffic. */
  readonly release?: string
  /**
   * The release deployed before: its totals so far are the baseline, and while it still serves
   * the new release is compared with it side by side.
   */
  readonly baselineRelease?: string
  /** Overrides `monitor.duration` / `monitor.interval`. */
  readonly durationMs?: number
  readonly intervalMs?: number
  /** Judge the last `sinceMs` from the source's history at once instead of watching. */
  readonly sinceMs?: number
  /** One health check and the spend per hour instead of watching (`--once`). */
  readonly once?: boolean
  /** Each interval as it is judged (watching), or all of them after (history). */
  readonly onInterval?: (interval: MonitorInterval, total: number) => void
}

/** What the monitor found, by how it looked. */
export type MonitorResult =
  | {
      readonly kind: 'watch' | 'history'
      readonly report: MonitorReport
      /** Whether the check passes: passed, or inconclusive under `monitor.onInconclusive: pass`. */
      readonly passed: boolean
    }
  | { readonly kind: 'once'; readonly report: OnceReport }

/**
 * Watches (or judges the history of, or checks once) the service's release. A watch alerts
 * `monitor.passed` or `monitor.failed` unless interrupted; a failed `once` alerts `health.failed`.
 */
export async function monitor(options: MonitorServiceOptions): Promise<MonitorResult> {
  return withService(options, async (service) => {
    if (options.once === true) return { kind: 'once', report: await once(service, options) }
    const source = sourceOf(service, false)
    const baseline = await baselineOf(source, options)
    const sinceMs = options.sinceMs
    if (sinceMs !== undefined) {
      const report = await history(service, source, baseline, { ...options, sinceMs })
      return { kind: 'history', report, passed: monitorPassed(report, service.monitor) }
    }
    const report = await watch(service, source, baseline, options)
    const passed = monitorPassed(report, service.monitor)
    if (!options.signal.aborted) {
      const type = passed ? 'monitor.passed' : 'monitor.failed'
      const what = `monitor of ${options.release ?? 'all traffic'} on ${where(service)}`
      await alert(service, type, `${what} ${report.outcome}: ${report.reason}`, options.release)
    }
    return { kind: 'watch', report, passed }
  })
}

async function watch(
  service: Service,
  source: MetricSource,
  baseline: MonitorBaseline | null,
  options: MonitorServiceOptions,
): Promise<MonitorReport> {
  const durationMs = options.durationMs ?? parseDuration(service.monitor.duration) ?? 0
  const intervalMs = options.intervalMs ?? parseDuration(service.monitor.interval) ?? 1
  const total = Math.max(1, Math.ceil(durationMs / intervalMs))
  options.logger.info(
    `monitoring ${options.release ?? 'all traffic'} on ${service.baseUrl} through the ${source.type} source`,
  )
  return runMonitor({
    source,
    config: service.monitor,
    release: options.release ?? null,
    previousRelease: options.baselineRelease ?? null,
    baseline,
    durationMs: options.durationMs,
    intervalMs: options.intervalMs,
    signal: options.signal,
    logger: options.logger.child('monitor'),
    onInterval: (interval) => options.onInterval?.(interval, total),
  })
}

async function history(
  service: Service,
  source: MetricSource,
  baseline: MonitorBaseline | null,
  options: MonitorServiceOptions & { readonly sinceMs: number },
): Promise<MonitorReport> {
  if (source.readSeries === undefined) {
    throw usageError(
      `--since needs a metric source with history; ${source.type} only knows the present`,
      'set monitor.source to { type: prometheus, url: … }',
    )
  }
  const report = await judgeHistory({
    source,
    config: service.monitor,
    release: options.release ?? null,
    baseline,
    sinceMs: options.sinceMs,
    intervalMs: options.intervalMs,
    endMs: Date.now(),
    signal: options.signal,
  })
  for (const interval of report.intervals) options.onInterval?.(interval, report.intervals.length)
  return report
}

async function once(service: Service, options: MonitorServiceOptions): Promise<OnceReport> {
  const report = await checkOnce({
    baseUrl: service.baseUrl,
    source: sourceOf(service, true),
    config: service.monitor,
    release: options.release ?? null,
    signal: options.signal,
    logger: options.logger.child('monitor'),
  })
  if (report.outcome !== 'passed') {
    const summary = `health and cost check of ${where(service)} ${report.outcome}: ${report.reason}`
    await alert(service, 'health.failed', summary, options.release)
  }
  return report
}

/**
 * The configured source. For `once` an endpoint source reads the service's JSON window: one
 * scrape of Prometheus text has no interval to measure spend over.
 */
function sourceOf(service: Service, once: boolean): MetricSource {
  const config = service.monitor.source
  return createMetricSource(
    once && config.type === 'endpoint' ? { ...config, format: 'json' } : config,
    { targetUrl: service.baseUrl, instances: service.instances },
  )
}

async function baselineOf(
  source: MetricSource,
  options: MonitorServiceOptions,
): Promise<MonitorBaseline | null> {
  const release = options.baselineRelease
  if (release === undefined) return null
  try {
    const baseline = await readBaseline(source, release, options.signal)
    if (baseline === null) options.logger.warn(`release ${release} served no requests: no baseline`)
    return baseline
  } catch (error) {
    options.logger.warn(`no baseline: ${errorMessage(error)}`)
    return null
  }
}

async function withService<T>(
  options: ServiceOptions,
  work: (service: Service) => Promise<T>,
): Promise<T> {
  const service = await openService(options)
  try {
    return await work(service)
  } finally {
    await service.close()
  }
}

function where(service: Service): string {
  return service.target ?? service.baseUrl
}

async function alert(
  service: Service,
  type: PipelineEventType,
  summary: string,
  releaseId?: string,
): Promise<void> {
  const target = service.target ?? undefined
  await service.notify(pipelineEvent(type, { summary, target, releaseId }, new Date()))
}
