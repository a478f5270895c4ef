import { Buffer } from 'node:buffer'
import type { Metric, Registry } from 'prom-client'
import { CounterFamily, HistogramFamily } from './series.js'

/** The Prometheus series the telemetry writes; see docs/runtime.md for the table. */
export interface RuntimeMetrics {
  /** Label values: method, route, status_class. */
  readonly requests: CounterFamily
  /** method, route, error_type. */
  readonly errors: CounterFamily
  /** method, route, status_class. */
  readonly requestDuration: HistogramFamily
  /** method, route, status_class. */
  readonly timeToFirstByte: HistogramFamily
  /** operation, provider, model, token type. */
  readonly tokenUsage: HistogramFamily
  /** operation, provider, model, error_type ('' on success: no label). */
  readonly operationDuration: HistogramFamily
  /** operation, provider, model: streamed calls only. */
  readonly timeToFirstChunk: HistogramFamily
  /** operation, provider, model. */
  readonly cost: CounterFamily
  /** operation, provider, model. */
  readonly unpriced: CounterFamily
  /** Every family, in registration order. */
  readonly all: readonly (CounterFamily | HistogramFamily)[]
}

/** OpenTelemetry's advice for `http.server.request.duration`, seconds. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]
/** OpenTelemetry's advice for `gen_ai.client.token.usage` (up to 4M tokens). */
const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304]
/** OpenTelemetry's advice for `gen_ai.client.operation.duration`, seconds. */
const GEN_AI_BUCKETS = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
]
/** OpenTelemetry's advice for `gen_ai.server.time_to_first_token`, seconds. */
const FIRST_TOKEN_BUCKETS = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
]

const HTTP = ['method', 'route', 'status_class']
const GEN_AI = ['gen_ai_operation_name', 'gen_ai_provider_name', 'gen_ai_request_model']

/**
 * Creates the runtime's series, each carrying the `constant` labels, and registers them in
 * `registry` (once per registry: names must be unique there).
 */
export function createMetrics(
  registry: Registry,
  constant: Readonly<Record<string, string>>,
): RuntimeMetrics {
  const counter = (name: string, help: string, labels: string[]) =>
    new CounterFamily(name, help, labels, constant)
  const histogram = (name: string, help: string, labels: string[], buckets: number[]) =>
    new HistogramFamily(name, help, labels, constant, buckets)
  const metrics = {
    requests: counter(
      'http_server_requests_total',
      'HTTP requests served, by method, route template and status class.',
      HTTP,
    ),
    errors: counter(
      'http_server_errors_total',
      'HTTP requests that failed: a 5xx status (error_type = the status) or a thrown handler (error_type = the error class).',
      ['method', 'route', 'error_type'],
    ),
    requestDuration: histogram(
      'http_server_request_duration_seconds',
      'Duration of HTTP server requests, to the end of the response body (OpenTelemetry http.server.request.duration).',
      HTTP,
      HTTP_BUCKETS,
    ),
    timeToFirstByte: histogram(
      'http_server_time_to_first_byte_seconds',
      'Time from the start of an HTTP server request to the first byte of its response body (the whole request when it has none).',
      HTTP,
      HTTP_BUCKETS,
    ),
    tokenUsage: histogram(
      'gen_ai_client_token_usage',
      'Tokens used per LLM call, input (cached included) or output (OpenTelemetry gen_ai.client.token.usage).',
      [...GEN_AI, 'gen_ai_token_type'],
      TOKEN_BUCKETS,
    ),
    operationDuration: histogram(
      'gen_ai_client_operation_duration_seconds',
      'Duration of LLM calls, to the end of the stream when streamed (OpenTelemetry gen_ai.client.operation.duration).',
      [...GEN_AI, 'error_type'],
      GEN_AI_BUCKETS,
    ),
    timeToFirstChunk: histogram(
      'gen_ai_client_operation_time_to_first_chunk_seconds',
      'Time from a streamed LLM call to its first chunk (OpenTelemetry gen_ai.client.operation.time_to_first_chunk).',
      GEN_AI,
      FIRST_TOKEN_BUCKETS,
    ),
    cost: counter(
      'llm_cost_usd_total',
      'Cost of LLM calls in USD, from the usage and the price table.',
      GEN_AI,
    ),
    unpriced: counter(
      'llm_unpriced_calls_total',
      'LLM calls whose cost is unknown (no usage reported, or a model without a price); not in llm_cost_usd_total.',
      GEN_AI,
    ),
  }
  const all = Object.values(metrics)
  // prom-client takes any object with its metrics' shape (name, help, type, get, reset).
  for (const family of all) registry.registerMetric(family as unknown as Metric)
  return { ...metrics, all }
}

/** Pieces are gathered into chunks of about this many bytes. */
const CHUNK = 64 * 1024
const UTF8 = new TextEncoder()

/**
 * The registry's text exposition as UTF-8 chunks of about 64 KB: the runtime's families render
 * themselves, the rest (the service's own metrics) as prom-client renders them. Chunks, not one
 * string: a multi-megabyte string costs far more to build and encode than its pieces. An
 * OpenMetrics registry is left to prom-client whole.
 */
export async function renderRegistry(
  registry: Registry,
  metrics: RuntimeMetrics,
): Promise<Uint8Array[]> {
  if (registry.contentType !== 'text/plain; version=0.0.4; charset=utf-8') {
    return [UTF8.encode(await registry.metrics())]
  }
  const ours = new Map<unknown, CounterFamily | HistogramFamily>(metrics.all.map((f) => [f, f]))
  const chunks: Uint8Array[] = []
  let batch: Uint8Array[] = []
  let size = 0
  const push = (bytes: Uint8Array): void => {
    batch.push(bytes)
    size += bytes.byteLength
    if (size < CHUNK) return
    chunks.push(Buffer.concat(batch, size))
    batch = []
    size = 0
  }
  let first = true
  for (const metric of registry.getMetricsAsArray()) {
    if (!first) push(SEPARATOR)
    first = false
    const family = ours.get(metric)
    if (family === undefined) push(UTF8.encode(await registry.getSingleMetricAsString(metric.name)))
    else family.render(push)
  }
  push(NEWLINE)
  if (size > 0) chunks.push(Buffer.concat(batch, size))
  return chunks
}

const SEPARATOR = UTF8.encode('\n\n')
const NEWLINE = UTF8.encode('\n')
