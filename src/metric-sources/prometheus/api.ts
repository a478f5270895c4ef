/**
 * Prometheus's HTTP API as the source uses it: instant queries (one value, or a vector by a
 * label) and range queries, with unreachable servers and error answers turned into messages.
 */
import { getText } from '../http.js'

interface ApiAnswer {
  status?: string
  errorType?: string
  error?: string
  data?: {
    resultType?: string
    result?: {
      metric?: Record<string, string>
      value?: [number, string]
      values?: [number, string][]
    }[]
  }
}

/**
 * The single value of an instant query at `time` (seconds); `null` for an empty vector (no
 * series: no traffic) or NaN. Rejects when Prometheus is unreachable or answers an error.
 */
export async function instantQuery(
  base: string,
  promql: string,
  time: number,
  signal: AbortSignal,
): Promise<number | null> {
  const body = await api(base, 'query', { query: promql, time: time.toFixed(3) }, signal)
  const value = body.data?.result?.[0]?.value?.[1]
  if (value === undefined) return null
  const number = Number(value)
  return Number.isNaN(number) ? null : number
}

/**
 * An instant query's vector at `time` (seconds) as `label` value → sample value: what a
 * `sum by (label) (…)` query gives. Empty without series; rejects like {@link instantQuery}.
 */
export async function vectorQuery(
  base: string,
  promql: string,
  time: number,
  label: string,
  signal: AbortSignal,
): Promise<Map<string, number>> {
  const body = await api(base, 'query', { query: promql, time: time.toFixed(3) }, signal)
  const samples = body.data?.result ?? []
  return new Map(samples.map((s) => [s.metric?.[label] ?? '', Number(s.value?.[1])]))
}

/**
 * The values of a range query: timestamp (seconds) → value, for the one series the query sums
 * to; empty when there is no series (no traffic). Rejects like {@link instantQuery}.
 */
export async function rangeQuery(
  base: string,
  promql: string,
  range: { readonly start: number; readonly end: number; readonly step: number },
  signal: AbortSignal,
): Promise<Map<number, number>> {
  const params = {
    query: promql,
    start: range.start.toFixed(3),
    end: range.end.toFixed(3),
    step: `${range.step}s`,
  }
  const body = await api(base, 'query_range', params, signal)
  const values = body.data?.result?.[0]?.values ?? []
  return new Map(values.map(([t, v]) => [Math.round(t * 1000) / 1000, Number(v)]))
}

/** One call of the HTTP API; rejects when unreachable, not Prometheus, or an error answer. */
async function api(
  base: string,
  endpoint: 'query' | 'query_range',
  params: Record<string, string>,
  signal: AbortSignal,
): Promise<ApiAnswer> {
  const url = new URL(`api/v1/${endpoint}`, base.endsWith('/') ? base : `${base}/`)
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value)
  const promql = params.query ?? ''
  const answer = await getText(url, 'application/json', signal, `Prometheus at ${base}`)
  let body: ApiAnswer
  try {
    body = JSON.parse(answer.text) as ApiAnswer
  } catch {
    throw new Error(
      `Prometheus at ${base}: ${answer.status} ${answer.statusText}, not the Prometheus API`,
    )
  }
  if (body.status !== 'success') {
    throw new Error(
      `Prometheus at ${base} rejected ${promql}: ${body.errorType ?? 'error'}: ${body.error ?? answer.statusText}`,
    )
  }
  return body
}
