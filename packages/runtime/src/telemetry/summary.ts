import type { WindowCall, WindowRows } from './window.js'

/** Per-model figures of the JSON metrics. */
export interface ModelSummary {
  /** `gen_ai.provider.name` of the calls. */
  readonly provider: string
  readonly calls: number
  /** Calls that failed (threw, or their stream ended in an error). */
  readonly errors: number
  readonly tokens: { readonly input: number; readonly output: number }
  /** Sum of the priced calls' cost, USD. */
  readonly cost_usd: number
  /** Calls whose cost is unknown: no usage reported, or a model without a price. */
  readonly unpriced_calls: number
  readonly average_latency_ms: number
}

/**
 * The JSON `/metrics` document: the service's identity and its figures over the rolling
 * window. A "request" is an HTTP request recorded by the telemetry middleware, or an LLM call
 * made outside any such request; it is an error when its response was a 5xx, its handler
 * threw, or an LLM call made while handling it failed.
 */
export interface WindowMetrics {
  readonly service: string
  readonly version: string
  readonly release: string
  readonly variant: string
  /** The window's configured length. */
  readonly window_seconds: number
  /** How much of it the process has been alive for (cost per hour divides by this). */
  readonly covered_seconds: number
  readonly requests_total: number
  readonly errors_total: number
  /** `errors_total / requests_total`, 0 without requests. */
  readonly error_rate: number
  readonly average_latency_ms: number
  /** Nearest-rank 95th percentile of the request latencies. */
  readonly p95_latency_ms: number
  readonly cost_total_usd: number
  /** `cost_total_usd / requests_total`, 0 without requests. */
  readonly cost_per_request: number
  /** `cost_total_usd` scaled from `covered_seconds` to an hour. */
  readonly cost_per_hour: number
  readonly llm_calls_total: number
  readonly llm_errors_total: number
  /** LLM calls whose cost is unknown; their cost is not in `cost_total_usd`. */
  readonly unpriced_calls: number
  /** Normalized tokens: `input` counts cached prompt tokens too. */
  readonly tokens: { readonly input: number; readonly output: number }
  /** The same figures per `gen_ai.request.model`. */
  readonly by_model: Readonly<Record<string, ModelSummary>>
}

/** The service labels every figure carries. */
export interface Identity {
  readonly service: string
  readonly version: string
  readonly release: string
  readonly variant: string
}

/** Sums and percentiles of one window's rows. */
export function summarize(identity: Identity, windowMs: number, rows: WindowRows): WindowMetrics {
  const latencies = rows.requests.map((r) => r.latencyMs)
  const errors = rows.requests.reduce((n, r) => n + (r.failed ? 1 : 0), 0)
  const requests = latencies.length
  const calls = summarizeCalls(rows.calls)
  const hours = rows.coveredSeconds / 3600
  return {
    ...identity,
    window_seconds: windowMs / 1000,
    covered_seconds: rows.coveredSeconds,
    requests_total: requests,
    errors_total: errors,
    error_rate: ratio(errors, requests),
    average_latency_ms: ratio(sum(latencies), requests),
    p95_latency_ms: percentile(latencies, 0.95),
    cost_total_usd: calls.total.cost_usd,
    cost_per_request: ratio(calls.total.cost_usd, requests),
    cost_per_hour: ratio(calls.total.cost_usd, hours),
    llm_calls_total: calls.total.calls,
    llm_errors_total: calls.total.errors,
    unpriced_calls: calls.total.unpriced_calls,
    tokens: calls.total.tokens,
    by_model: calls.byModel,
  }
}

/** The nearest-rank percentile `q` (0–1) of `values`; 0 when there are none. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0
  const sorted = Float64Array.from(values).sort()
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!
}

const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0)
const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0)

interface Totals {
  provider: string
  calls: number
  errors: number
  tokens: { input: number; output: number }
  cost_usd: number
  unpriced_calls: number
  latencyMs: number
}

function summarizeCalls(calls: readonly WindowCall[]): {
  total: Totals
  byModel: Record<string, ModelSummary>
} {
  const total = totals('')
  const models = new Map<string, Totals>()
  for (const call of calls) {
    let model = models.get(call.model)
    if (model === undefined) models.set(call.model, (model = totals(call.provider)))
    add(total, call)
    add(model, call)
  }
  const byModel: Record<string, ModelSummary> = {}
  for (const [name, t] of models) {
    const { latencyMs, ...rest } = t
    byModel[name] = { ...rest, average_latency_ms: ratio(latencyMs, t.calls) }
  }
  return { total, byModel }
}

function totals(provider: string): Totals {
  const tokens = { input: 0, output: 0 }
  return { provider, calls: 0, errors: 0, tokens, cost_usd: 0, unpriced_calls: 0, latencyMs: 0 }
}

function add(t: Totals, call: WindowCall): void {
  t.calls++
  if (call.failed) t.errors++
  t.tokens.input += call.input
  t.tokens.output += call.output
  if (call.costUsd === null) t.unpriced_calls++
  else t.cost_usd += call.costUsd
  t.latencyMs += call.durationMs
}
