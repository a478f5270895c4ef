import { errorMessage } from '../../utils/errors.js'
import {
  checkOnce,
  describeInterval,
  judgeHistory,
  readBaseline,
  runMonitor,
  type MonitorOutcome,
  type MonitorReport,
  type OnceReport,
} from '../../workflows/checks/monitor.js'
import { pipelineEvent } from '../../workflows/alerts/index.js'
import { openService, type Service } from '../../workflows/checks/service.js'
import type { MetricSource, ServiceMetrics } from '../../contracts/metrics.js'
import { usageError } from '../../errors.js'
import { createMetricSource } from '../../metric-sources/index.js'
import { formatMs, formatUsd, table } from '../../reporters/format.js'
import { parseDuration } from '../../utils/duration.js'
import { EXIT, serviceOptions, type CommandIO } from '../io.js'
import type { MonitorFlags } from '../program.js'

/** Exit codes by outcome: a deploy must not pass on no data, so inconclusive is 1 too. */
export const MONITOR_EXIT: Record<MonitorOutcome, number> = {
  passed: EXIT.ok,
  failed: EXIT.negative,
  inconclusive: EXIT.negative,
  error: EXIT.environment,
}

/**
 * `shipgate monitor TARGET|URL`: watches the release interval by interval (progress on stderr,
 * the result on stdout). Exit 0 passed, 1 failed or inconclusive, 3 when metrics could not be
 * read. With `--once`, the scheduled health and spend check.
 */
export async function runMonitorCommand(
  spec: string,
  flags: MonitorFlags,
  io: CommandIO,
): Promise<number> {
  const durationMs = durationFlag('--duration', flags.duration)
  const intervalMs = durationFlag('--interval', flags.interval)
  const service = await openService(serviceOptions(spec, flags.config, io))
  try {
    if (flags.once === true) return await once(service, flags, io)
    const source = sourceOf(service, false)
    const baseline = await baselineOf(source, flags.baselineRelease, io)
    const sinceMs = durationFlag('--since', flags.since)
    if (sinceMs !== undefined) {
      if (source.readSeries === undefined) {
        throw usageError(
          `--since needs a metric source with history; ${source.type} only knows the present`,
          'set monitor.source to { type: prometheus, url: … }',
        )
      }
      const report = await judgeHistory({
        source,
        config: service.monitor,
        release: flags.release ?? null,
        baseline,
        sinceMs,
        ...(intervalMs === undefined ? {} : { intervalMs }),
        endMs: Date.now(),
        signal: io.signal,
      })
      for (const interval of report.intervals) {
        io.stderr(`${describeInterval(interval, report.intervals.length)}\n`)
      }
      io.stdout(
        flags.json === true ? `${JSON.stringify(report, null, 2)}\n` : renderMonitor(report),
      )
      return MONITOR_EXIT[report.outcome]
    }
    const total = Math.max(
      1,
      Math.ceil(
        (durationMs ?? parseDuration(service.monitor.duration) ?? 0) /
          (intervalMs ?? parseDuration(service.monitor.interval) ?? 1),
      ),
    )
    io.logger.info(
      `monitoring ${flags.release ?? 'all traffic'} on ${service.baseUrl} through the ${source.type} source`,
    )
    const report = await runMonitor({
      source,
      config: service.monitor,
      release: flags.release ?? null,
      baseline,
      ...(durationMs === undefined ? {} : { durationMs }),
      ...(intervalMs === undefined ? {} : { intervalMs }),
      signal: io.signal,
      logger: io.logger.child('monitor'),
      onInterval: (interval) => io.stderr(`${describeInterval(interval, total)}\n`),
    })
    io.stdout(flags.json === true ? `${JSON.stringify(report, null, 2)}\n` : renderMonitor(report))
    if (io.signal.aborted) return EXIT.interrupted
    const type = report.outcome === 'passed' ? 'monitor.passed' : 'monitor.failed'
    const what = `monitor of ${flags.release ?? 'all traffic'} on ${service.target ?? service.baseUrl}`
    await service.notify(
      pipelineEvent(
        type,
        alertFields(service, flags, `${what} ${report.outcome}: ${report.reason}`),
        new Date(),
      ),
    )
    return MONITOR_EXIT[report.outcome]
  } finally {
    await service.close()
  }
}

async function once(service: Service, flags: MonitorFlags, io: CommandIO): Promise<number> {
  const report = await checkOnce({
    baseUrl: service.baseUrl,
    source: sourceOf(service, true),
    config: service.monitor,
    release: flags.release ?? null,
    signal: io.signal,
    logger: io.logger.child('monitor'),
  })
  io.stdout(flags.json === true ? `${JSON.stringify(report, null, 2)}\n` : renderOnce(report))
  if (report.outcome !== 'passed') {
    const summary = `health and cost check of ${service.target ?? service.baseUrl} ${report.outcome}: ${report.reason}`
    await service.notify(
      pipelineEvent('health.failed', alertFields(service, flags, summary), new Date()),
    )
  }
  return MONITOR_EXIT[report.outcome]
}

/**
 * The configured source. For `--once` an endpoint source reads the service's JSON window: one
 * scrape of Prometheus text has no interval to measure spend over.
 */
function sourceOf(service: Service, once: boolean): MetricSource {
  const config = service.monitor.source
  return createMetricSource(
    once && config.type === 'endpoint' ? { ...config, format: 'json' } : config,
    {
      targetUrl: service.baseUrl,
      ...(service.instances === undefined ? {} : { instances: service.instances }),
    },
  )
}

async function baselineOf(
  source: MetricSource,
  release: string | undefined,
  io: CommandIO,
): Promise<ServiceMetrics | null> {
  if (release === undefined) return null
  try {
    const baseline = await readBaseline(source, release, io.signal)
    if (baseline === null) io.logger.warn(`release ${release} served no requests: no baseline`)
    return baseline
  } catch (error) {
    io.logger.warn(`no baseline: ${errorMessage(error)}`)
    return null
  }
}

function alertFields(service: Service, flags: MonitorFlags, summary: string) {
  return {
    summary,
    ...(service.target === null ? {} : { target: service.target }),
    ...(flags.release === undefined ? {} : { releaseId: flags.release }),
  }
}

function durationFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const ms = parseDuration(value)
  if (ms === undefined || ms <= 0) {
    throw usageError(`${flag} ${value} is not a duration`, 'write it as 500ms, 30s, 5m or 1h')
  }
  return ms
}

/** The monitor report: one row per interval, then the outcome and why. */
export function renderMonitor(report: MonitorReport): string {
  const rows = [
    ['interval', 'outcome', 'requests', 'errors', 'p95', 'cost/request', 'findings'],
    ...report.intervals.map((i) => [
      String(i.index + 1),
      i.outcome,
      i.metrics === null ? '-' : String(Math.round(i.metrics.requests)),
      i.metrics?.errorRate == null ? '-' : `${(i.metrics.errorRate * 100).toFixed(1)}%`,
      formatMs(i.metrics?.latencyP95Ms ?? null),
      i.metrics === null ? '-' : formatUsd(i.metrics.costPerRequestUsd),
      i.findings.join('; '),
    ]),
  ]
  const body = report.intervals.length === 0 ? '' : `${table(rows)}\n\n`
  const message =
    report.outcome === 'inconclusive' ? ' (not enough traffic to judge: this is not a pass)' : ''
  return `${body}monitor ${report.outcome.toUpperCase()}: ${report.reason}${message}\n`
}

function renderOnce(report: OnceReport): string {
  return `monitor --once ${report.outcome.toUpperCase()}: ${report.reason}\n`
}
