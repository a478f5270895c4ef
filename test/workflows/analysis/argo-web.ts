/**
 * A test client that measures the way Argo Rollouts' `web` metric provider does, by the rules of
 * its documentation (../shared/vendor/argo-rollouts/web-metric-provider.md) and its
 * evaluation: `{{ args.NAME }}` substituted into the URL and header values, a GET with the
 * headers, a non-2xx answer a measurement error, `jsonPath` (`{$.a.b}`) applied to the JSON
 * body as `result`, then the failure condition, then the success condition: Failed when the
 * failure condition holds (or, without one, when the success condition does not), Successful
 * when the success condition holds (or, without one, when the failure condition does not),
 * Inconclusive otherwise. Only the expression subset shipgate's templates use is understood:
 * `result == "text"`, `result == true|false`, joined by `||` or `&&`.
 */

/** The `web` metric of an AnalysisTemplate, as generated. */
export interface WebMetric {
  readonly name: string
  readonly successCondition?: string
  readonly failureCondition?: string
  readonly provider: {
    readonly web: {
      readonly url: string
      readonly method?: string
      readonly timeoutSeconds?: number
      readonly headers?: readonly { readonly key: string; readonly value: string }[]
      readonly jsonPath?: string
    }
  }
}

/** A measurement's phase, as Argo names it. */
export type Phase = 'Successful' | 'Failed' | 'Inconclusive' | 'Error'

/** Takes one measurement of `metric` with `args`; the phase and the body Argo saw. */
export async function measure(
  metric: WebMetric,
  args: Readonly<Record<string, string>>,
): Promise<{ phase: Phase; body: unknown; status: number | null }> {
  const web = metric.provider.web
  const headers = Object.fromEntries(
    (web.headers ?? []).map((h) => [h.key, substitute(h.value, args)]),
  )
  let response: Response
  try {
    response = await fetch(substitute(web.url, args), {
      method: web.method ?? 'GET',
      headers,
      signal: AbortSignal.timeout((web.timeoutSeconds ?? 10) * 1000),
    })
  } catch {
    return { phase: 'Error', body: null, status: null }
  }
  const text = await response.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {
    // Plain text: the body string is the result.
  }
  if (response.status < 200 || response.status >= 300) {
    return { phase: 'Error', body, status: response.status }
  }
  const result = web.jsonPath === undefined ? body : jsonPath(body, web.jsonPath)
  return { phase: evaluate(metric, result), body, status: response.status }
}

/** `{{ args.name }}` → its value; an unknown argument is an error, as in Argo. */
function substitute(template: string, args: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{\s*args\.([\w-]+)\s*\}\}/g, (_, name: string) => {
    const value = args[name]
    if (value === undefined) throw new Error(`argument ${name} is not set`)
    return value
  })
}

function jsonPath(body: unknown, path: string): unknown {
  const match = /^\{\$((?:\.[\w-]+)*)\}$/.exec(path)
  if (match === null) throw new Error(`jsonPath ${path} is beyond this client's subset`)
  let value = body
  for (const key of (match[1] ?? '').split('.').filter((k) => k !== '')) {
    value = (value as Record<string, unknown> | null)?.[key]
  }
  return value
}

function evaluate(metric: WebMetric, result: unknown): Phase {
  const { successCondition: success, failureCondition: failure } = metric
  if (success === undefined && failure === undefined) return 'Successful'
  let succeeded = success === undefined ? false : condition(success, result)
  let failed = failure === undefined ? false : condition(failure, result)
  if (failure === undefined) failed = !succeeded
  if (success === undefined) succeeded = !failed
  if (failed) return 'Failed'
  return succeeded ? 'Successful' : 'Inconclusive'
}

function condition(expression: string, result: unknown): boolean {
  if (expression.includes('||')) return expression.split('||').some((e) => condition(e, result))
  if (expression.includes('&&')) return expression.split('&&').every((e) => condition(e, result))
  const match = /^\s*result\s*==\s*(?:"([^"]*)"|(true|false))\s*$/.exec(expression)
  if (match === null) throw new Error(`condition ${expression} is beyond this client's subset`)
  return match[2] === undefined ? result === match[1] : result === (match[2] === 'true')
}

/** How an AnalysisRun's metric stands after its measurements (Argo's assessment). */
export function assess(
  phases: readonly Phase[],
  limits: {
    count: number
    failureLimit: number
    inconclusiveLimit: number
    consecutiveErrorLimit: number
  },
): 'Running' | Exclude<Phase, 'Error'> | 'Error' {
  const failed = phases.filter((p) => p === 'Failed').length
  const inconclusive = phases.filter((p) => p === 'Inconclusive').length
  let consecutiveErrors = 0
  for (const p of phases) consecutiveErrors = p === 'Error' ? consecutiveErrors + 1 : 0
  if (failed > limits.failureLimit) return 'Failed'
  if (inconclusive > limits.inconclusiveLimit) return 'Inconclusive'
  if (consecutiveErrors > limits.consecutiveErrorLimit) return 'Error'
  return phases.filter((p) => p !== 'Error').length >= limits.count ? 'Successful' : 'Running'
}
