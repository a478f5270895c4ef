/**
 * `shipgate smoke` and the deploy pipeline's smoke step: each check is sent to the service,
 * retried a bounded number of times while the service warms up, and judged by
 * core/rollout/smoke.ts. Failures are values in the report; nothing here throws for a bad
 * service.
 */
import type { SmokeCheckResult, SmokeReport } from '../../contracts/checks.js'
import type { SmokeConfig } from '../../config/deploy-schema.js'
import type { Logger } from '../../contracts/logger.js'
import {
  checkLabel,
  defaultSmokeChecks,
  describeRequestError,
  judgeSmokeResponse,
  type SmokeCheck,
  type SmokeJudgement,
  type SmokeResponse,
} from '../../core/rollout/smoke.js'
import { systemClock } from '../../utils/clock.js'
import { durationToMs } from '../../utils/duration.js'

/** Options of {@link runSmoke}. */
export interface SmokeOptions {
  /** The service's base URL, e.g. `http://127.0.0.1:8080`. */
  readonly baseUrl: string
  readonly config: SmokeConfig
  /** Aborting stops between attempts; the checks not run are reported as failed. */
  readonly signal: AbortSignal
  readonly logger: Logger
  /** Waits between retries (tests pass a virtual one). */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>
}

/**
 * Runs the configured checks (the seed's four when none are configured) in order against
 * `baseUrl`. A check that gets a 5xx, no connection, a wrong body or a slow answer is retried up
 * to `config.retries` times, `config.retryDelay` apart; each request times out after
 * `config.timeout`.
 */
export async function runSmoke(options: SmokeOptions): Promise<SmokeReport> {
  const started = performance.now()
  const checks = smokeChecks(options.config)
  const results: SmokeCheckResult[] = []
  for (const check of checks) {
    results.push(await runCheck(check, options))
  }
  return {
    url: options.baseUrl,
    passed: results.every((r) => r.passed),
    checks: results,
    durationMs: Math.round(performance.now() - started),
  }
}

/** The checks of `config`, normalized: the default four when it lists none. */
export function smokeChecks(config: SmokeConfig): SmokeCheck[] {
  if (config.checks === undefined) return defaultSmokeChecks(config.failOn)
  return config.checks.map((c) => ({
    name: c.name,
    method: c.method,
    path: c.path,
    headers:
      c.body === undefined || hasHeader(c.headers, 'content-type')
        ? c.headers
        : { ...c.headers, 'content-type': 'application/json' },
    ...(c.body === undefined ? {} : { body: c.body }),
    status: c.status,
    expect: c.expect,
    maxLatencyMs: c.maxLatency === undefined ? null : durationToMs(c.maxLatency),
  }))
}

async function runCheck(check: SmokeCheck, options: SmokeOptions): Promise<SmokeCheckResult> {
  const { config, signal, logger } = options
  const retries = config.retries
  const delayMs = durationToMs(config.retryDelay)
  const sleep = options.sleep ?? ((t: number, s: AbortSignal) => systemClock.sleep(t, s))
  let last: Attempt = { response: null, judgement: interrupted(check) }
  let attempts = 0
  while (!signal.aborted) {
    attempts++
    last = await attempt(check, options.baseUrl, durationToMs(config.timeout), signal)
    const { judgement } = last
    if (judgement.passed || !judgement.retryable || attempts > retries) break
    logger.debug(`${judgement.reason}; retrying in ${delayMs} ms (${attempts}/${retries})`)
    await sleep(delayMs, signal)
  }
  if (signal.aborted && !last.judgement.passed) last = { ...last, judgement: interrupted(check) }
  const { judgement, response } = last
  return {
    name: check.name,
    request: checkLabel(check),
    passed: judgement.passed,
    status: response?.status ?? null,
    latencyMs: response === null ? null : Math.round(response.latencyMs),
    attempts,
    reason: judgement.passed ? null : judgement.reason,
  }
}

interface Attempt {
  readonly response: SmokeResponse | null
  readonly judgement: SmokeJudgement
}

/** One request, timed to the last byte of the body, and its judgement. */
async function attempt(
  check: SmokeCheck,
  baseUrl: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<Attempt> {
  const started = performance.now()
  try {
    const answer = await fetch(urlOf(baseUrl, check.path), {
      method: check.method,
      headers: check.headers,
      ...(check.body === undefined ? {} : { body: JSON.stringify(check.body) }),
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
      redirect: 'manual',
    })
    const body = await answer.text()
    const response = {
      status: answer.status,
      statusText: answer.statusText,
      body,
      latencyMs: performance.now() - started,
    }
    return { response, judgement: judgeSmokeResponse(check, response) }
  } catch (error) {
    if (signal.aborted) return { response: null, judgement: interrupted(check) }
    const reason = `${checkLabel(check)}: ${describeRequestError(error, timeoutMs)}`
    return { response: null, judgement: { passed: false, reason, retryable: true } }
  }
}

function interrupted(check: SmokeCheck): SmokeJudgement {
  return { passed: false, reason: `${checkLabel(check)}: interrupted`, retryable: false }
}

/** `path` under the base URL's own path: `http://host/api` + `/health` → `/api/health`. */
export function urlOf(baseUrl: string, path: string): URL {
  return new URL(path.replace(/^\//, ''), baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`)
}

function hasHeader(headers: Readonly<Record<string, string>>, name: string): boolean {
  return Object.keys(headers).some((h) => h.toLowerCase() === name)
}
