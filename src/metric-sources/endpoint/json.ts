/**
 * The JSON form of the runtime SDK's `/metrics` (`Accept: application/json`): figures over the
 * service's own rolling window. Several instances are combined: counts add up, averages are
 * weighted by requests, and the p95 is the highest instance's (a bound, not a merge).
 */
import type { ServiceMetrics } from '../../contracts/metrics.js'
import { getText } from '../http.js'
import type { ScrapeTarget } from './index.js'

/** The fields of the JSON document this source reads. */
interface WindowJson {
  readonly release?: string
  readonly requests_total: number
  readonly errors_total?: number
  readonly error_rate: number
  readonly average_latency_ms: number
  readonly p95_latency_ms: number
  readonly cost_per_request: number
  readonly cost_per_hour: number
}

/** Reads every target's JSON metrics and combines them. */
export async function readJsonMetrics(
  targets: readonly ScrapeTarget[],
  signal: AbortSignal,
): Promise<ServiceMetrics> {
  const documents = await Promise.all(targets.map((t) => fetchJson(t, signal)))
  return combine(documents.filter((d): d is WindowJson => d !== null))
}

/** One target's document; `null` when it serves another release than the one selected. */
async function fetchJson(target: ScrapeTarget, signal: AbortSignal): Promise<WindowJson | null> {
  const what = `metrics endpoint ${target.url}`
  const answer = await getText(target.url, 'application/json', signal, what)
  if (answer.status !== 200) {
    throw new Error(`${what}: ${answer.status} ${answer.statusText}, expected 200`)
  }
  let body: unknown
  try {
    body = JSON.parse(answer.text)
  } catch {
    throw new Error(`${what}: the answer is not JSON; set monitor.source.format: prometheus`)
  }
  if (!isWindowJson(body)) {
    throw new Error(`${what}: no requests_total, error_rate, p95_latency_ms … in the JSON`)
  }
  const release = target.match.release
  return release !== undefined && body.release !== release ? null : body
}

function isWindowJson(value: unknown): value is WindowJson {
  if (typeof value !== 'object' || value === null) return false
  const fields = ['requests_total', 'error_rate', 'average_latency_ms', 'p95_latency_ms']
  const record = value as Record<string, unknown>
  return fields.every((f) => typeof record[f] === 'number')
}

function combine(documents: readonly WindowJson[]): ServiceMetrics {
  const requests = sum(documents, (d) => d.requests_total)
  const errors = sum(
    documents,
    (d) => d.errors_total ?? Math.round(d.error_rate * d.requests_total),
  )
  const weighted = (f: (d: WindowJson) => number): number | null =>
    requests > 0 ? sum(documents, (d) => f(d) * d.requests_total) / requests : null
  const busy = documents.filter((d) => d.requests_total > 0)
  return {
    requests,
    errors,
    errorRate: requests > 0 ? errors / requests : null,
    latencyAvgMs: weighted((d) => d.average_latency_ms),
    latencyP95Ms: busy.length === 0 ? null : Math.max(...busy.map((d) => d.p95_latency_ms)),
    costPerRequestUsd: weighted((d) => d.cost_per_request ?? 0),
    costPerHourUsd: documents.length === 0 ? null : sum(documents, (d) => d.cost_per_hour ?? 0),
  }
}

const sum = <T>(items: readonly T[], f: (item: T) => number): number =>
  items.reduce((total, item) => total + f(item), 0)
