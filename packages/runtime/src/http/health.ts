import type { Identity } from '../telemetry/summary.js'

/** What a check answers: a verdict, optionally with a detail for the report. */
export type HealthCheckResult = boolean | { readonly ok: boolean; readonly detail?: string }

/** A health check: resolves to its verdict; a throw or a timeout is a failure. */
export type HealthCheckFn = () => HealthCheckResult | Promise<HealthCheckResult>

/** A check with its weight: a failing critical check makes the service unhealthy (503). */
export interface HealthCheck {
  readonly check: HealthCheckFn
  /** Default `true`. A failing non-critical check only makes the service `degraded` (200). */
  readonly critical?: boolean
}

/** The `health` option of the runtime handler. */
export interface HealthOptions {
  /** Checks by name, run concurrently on each `GET /health`. */
  readonly checks?: Readonly<Record<string, HealthCheckFn | HealthCheck>>
  /** Milliseconds a check may take before it counts as failed. Default 2000. */
  readonly timeoutMs?: number
  /**
   * The release `/health` names, asked at each request; default the telemetry's. A service whose
   * prompt and model release follows a flag names the one the flag serves by default
   * (`FlagReleases.current`), so a deploy waiting for the new release sees it once it is live.
   */
  readonly release?: () => string
}

/** One check in the report. */
export interface CheckReport {
  readonly status: 'pass' | 'fail'
  readonly critical: boolean
  /** The check's detail, the error message, or the timeout. */
  readonly detail?: string
  /** How long the check took, in whole milliseconds. */
  readonly durationMs: number
}

/** The `GET /health` document. */
export interface HealthReport extends Identity {
  /** `unhealthy` when a critical check failed, `degraded` when only others did. */
  readonly status: 'healthy' | 'degraded' | 'unhealthy'
  readonly checks: Readonly<Record<string, CheckReport>>
}

/** Runs every check concurrently, each bounded by the timeout, into a report. */
export async function runHealthChecks(
  options: HealthOptions,
  identity: Identity,
  now: () => number,
): Promise<HealthReport> {
  const timeoutMs = options.timeoutMs ?? 2000
  const entries = Object.entries(options.checks ?? {})
  const reports = await Promise.all(
    entries.map(async ([name, c]) => {
      const check = typeof c === 'function' ? { check: c } : c
      return [name, await runCheck(check, timeoutMs, now)] as const
    }),
  )
  const failed = reports.filter(([, r]) => r.status === 'fail')
  const status =
    failed.length === 0 ? 'healthy' : failed.some(([, r]) => r.critical) ? 'unhealthy' : 'degraded'
  const release = options.release?.() ?? identity.release
  return { status, ...identity, release, checks: Object.fromEntries(reports) }
}

async function runCheck(
  check: HealthCheck,
  timeoutMs: number,
  now: () => number,
): Promise<CheckReport> {
  const started = now()
  const critical = check.critical ?? true
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<HealthCheckResult>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, detail: `timed out after ${timeoutMs} ms` }),
      timeoutMs,
    )
  })
  let result: HealthCheckResult
  try {
    result = await Promise.race([Promise.resolve().then(check.check), timeout])
  } catch (error) {
    result = { ok: false, detail: error instanceof Error ? error.message : String(error) }
  } finally {
    clearTimeout(timer)
  }
  const { ok, detail } = typeof result === 'boolean' ? { ok: result, detail: undefined } : result
  // Whole milliseconds: a performance clock gives fractions no reader needs.
  const durationMs = Math.round(now() - started)
  return {
    status: ok ? 'pass' : 'fail',
    critical,
    ...(detail === undefined ? {} : { detail }),
    durationMs,
  }
}
