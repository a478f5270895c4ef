/** The checks of a running service for the terminal: smoke, monitor intervals, `--once`. */
import type {
  MonitorInterval,
  MonitorReport,
  MonitorTest,
  OnceReport,
  SmokeReport,
} from '../contracts/checks.js'
import { formatDuration } from '../utils/duration.js'
import { formatMs, formatUsd, oneLine, table } from './format.js'

/** The smoke report as a table with a verdict line. */
export function renderSmoke(report: SmokeReport): string {
  const rows = [
    ['check', 'request', 'status', 'latency', 'attempts', 'result'],
    ...report.checks.map((c) => [
      c.name,
      c.request,
      c.status === null ? '-' : String(c.status),
      formatMs(c.latencyMs),
      String(c.attempts),
      c.passed ? 'passed' : oneLine(c.reason ?? 'failed', 100),
    ]),
  ]
  const failed = report.checks.filter((c) => !c.passed).length
  const verdict = report.passed
    ? `smoke passed: ${report.checks.length} checks on ${report.url} in ${formatMs(report.durationMs)}`
    : `smoke FAILED: ${failed} of ${report.checks.length} checks on ${report.url}`
  return `${table(rows)}\n\n${verdict}\n`
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
      oneLine(i.findings.join('; '), 200),
    ]),
  ]
  const body =
    (report.intervals.length === 0 ? '' : `${table(rows)}\n\n`) + renderTests(report.tests)
  const message =
    report.outcome === 'inconclusive' ? ' (not enough traffic to judge: this is not a pass)' : ''
  return `${body}monitor ${report.outcome.toUpperCase()}: ${oneLine(report.reason, 400)}${message}\n`
}

/** The run's sequential tests as they stood at its end: one row each. */
function renderTests(tests: MonitorReport['tests']): string {
  if (tests.length === 0) return ''
  const figure = (t: MonitorTest, v: number | null) =>
    v === null ? '-' : t.metric.startsWith('cost') ? formatUsd(v) : `${(v * 100).toFixed(1)}%`
  const rows = [
    ['test', 'against', 'release', 'reference', 'p (Holm)', 'result'],
    ...tests.map((t) => [
      t.metric,
      t.against,
      figure(t, t.value),
      figure(t, t.reference),
      t.adjusted < 0.001 ? '< 0.001' : t.adjusted.toFixed(3),
      t.failed ? 'FAILED' : 'ok',
    ]),
  ]
  return `${table(rows)}\n\n`
}

/** `monitor --once`: one line. */
export function renderOnce(report: OnceReport): string {
  return `monitor --once ${report.outcome.toUpperCase()}: ${oneLine(report.reason, 400)}\n`
}

/** One line for an interval, for progress output. */
export function describeInterval(interval: MonitorInterval, total: number): string {
  const head = `interval ${interval.index + 1}/${total} (${formatDuration(interval.endMs - interval.startMs)}): ${interval.outcome}`
  const m = interval.metrics
  const figures =
    m === null
      ? ''
      : ` — ${Math.round(m.requests)} requests, errors ${m.errorRate === null ? '-' : `${(m.errorRate * 100).toFixed(1)}%`}, p95 ${m.latencyP95Ms === null ? '-' : `${Math.round(m.latencyP95Ms)} ms`}`
  const why = interval.findings.length === 0 ? '' : `; ${interval.findings.join('; ')}`
  return `${head}${figures}${why}`
}
