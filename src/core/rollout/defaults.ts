/**
 * The defaults of the deploy pipeline's steps, stated once: the config schema (`deploy:`,
 * `smoke:`, `monitor:` in `config/deploy-schema.ts`) takes them from here, so the JSON Schema
 * and docs/config.md show these values and no stage needs a fallback of its own. Durations are
 * written as in config (`30s`); the stages parse them.
 */

/** How `shipgate deploy` waits for health and whether it monitors. */
export const DEFAULT_DEPLOY = Object.freeze({
  healthPath: '/health',
  healthTimeout: '60s',
  monitor: true,
})

/**
 * The `/health` statuses that fail a health check (`smoke.failOn`, `monitor.failOn`): a
 * `degraded` service still answers 200 (only a non-critical check failed), so by default only
 * `unhealthy` fails; `degraded` fails on `degraded` too.
 */
export const HEALTH_FAIL_ON = ['unhealthy', 'degraded'] as const

/** Which health fails by default: `unhealthy` only. */
export const DEFAULT_HEALTH_FAIL_ON: HealthFailOn = 'unhealthy'

/** One of {@link HEALTH_FAIL_ON}. */
export type HealthFailOn = (typeof HEALTH_FAIL_ON)[number]

/** How smoke checks are retried while a service warms up. */
export const DEFAULT_SMOKE = Object.freeze({
  retries: 5,
  retryDelay: '2s',
  /** Timeout of one request (the one-shot health check of `monitor --once` too). */
  timeout: '10s',
  failOn: DEFAULT_HEALTH_FAIL_ON,
})

/**
 * Post-deploy monitoring: how long, how finely, how sure (alpha, over the whole run, as the
 * canary's), the traffic it needs to pass, and the limits and margins it tests.
 */
export const DEFAULT_MONITOR = Object.freeze({
  duration: '5m',
  interval: '30s',
  alpha: 0.05,
  minRequests: 100,
  onInconclusive: 'fail',
  /** Which `/health` status fails `monitor --once`. */
  failOn: DEFAULT_HEALTH_FAIL_ON,
  thresholds: Object.freeze({ errorRate: 0.05, latencyP95Ms: 5_000 }),
  /** The seed's limits relative to the previous release. */
  compare: Object.freeze({
    errorRatePoints: 0.02,
    latencyIncreasePct: 50,
    costPerRequestIncreasePct: 30,
  }),
})
