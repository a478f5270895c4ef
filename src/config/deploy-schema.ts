/**
 * The CD half of `shipgate.yaml`: what a release contains (`release:`), where it deploys
 * (`targets:`), how it is checked after (`smoke:`, `monitor:`) and who hears about it (`notify:`).
 * Each section is owned by the module that reads it; keep descriptions short, they become docs.
 */
import * as z from '../utils/zod.js'
import { targetSchema } from '../deploy-targets/schemas.js'
import { notifierSchema } from '../notifiers/schemas.js'
import { metricSourceSchema } from '../metric-sources/schemas.js'
import { durationSchema } from '../utils/duration-schema.js'
import {
  DEFAULT_DEPLOY,
  DEFAULT_MONITOR,
  DEFAULT_SMOKE,
  HEALTH_FAIL_ON,
  type HealthFailOn,
} from '../core/rollout/defaults.js'
import { DEFAULT_VERSION_ENV } from '../core/release/rollback.js'
import { DEFAULT_CANARY_RULES } from '../core/rollout/canary.js'
import { section } from './section.js'

const described = <T extends z.ZodMiniType>(schema: T, text: string): T =>
  schema.check(z.describe(text))
const share = z.number().check(z.minimum(0), z.maximum(1))
const positive = z.number().check(z.positive())
const envName = z
  .string()
  .check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'))

/** What `shipgate release create` records besides the code, the prompts and the models. */
export const releaseSchema = z.strictObject({
  flags: z.optional(
    described(z.string().check(z.minLength(1)), 'The flagd flag file, relative to this file.'),
  ),
  promptVersionEnv: described(
    z._default(envName, DEFAULT_VERSION_ENV.prompt),
    'Variable the service reads its prompt version from (rollback --only prompt sets it).',
  ),
  modelVersionEnv: described(
    z._default(envName, DEFAULT_VERSION_ENV.model),
    'Variable the service reads its model id from (rollback --only model sets it).',
  ),
  promptFlag: z.optional(
    described(
      z.string().check(z.minLength(1)),
      'Flag in the flag file that chooses the prompt version; rollback --only prompt sets its default variant.',
    ),
  ),
})

/** How `shipgate deploy` runs its steps. */
export const deploySchema = z.strictObject({
  healthPath: described(
    z._default(z.string().check(z.startsWith('/')), DEFAULT_DEPLOY.healthPath),
    'Polled after apply until healthy.',
  ),
  healthTimeout: described(
    z._default(durationSchema, DEFAULT_DEPLOY.healthTimeout),
    'How long the new release may take to answer healthy (and name itself in /health).',
  ),
  monitor: described(
    z._default(z.boolean(), DEFAULT_DEPLOY.monitor),
    'Whether a deploy watches the release with `monitor:` before it succeeds.',
  ),
})

/** One smoke check: an HTTP request and what its answer must be. */
export const smokeCheckSchema = z.strictObject({
  name: described(z.string().check(z.minLength(1)), 'Shown in results.'),
  method: described(
    z._default(z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']), 'GET'),
    'HTTP method.',
  ),
  path: described(z.string().check(z.startsWith('/')), 'Path under the target URL.'),
  headers: described(z._default(z.record(z.string(), z.string()), {}), 'Request headers.'),
  body: z.optional(described(z.unknown(), 'JSON body.')),
  status: described(z._default(z.int(), 200), 'Expected status.'),
  expect: described(
    z._default(z.record(z.string(), z.unknown()), {}),
    'JSON path → expected value; `{ exists: true }` only needs the path to be there.',
  ),
  maxLatency: z.optional(described(durationSchema, 'Slowest acceptable answer.')),
})

/** Which `/health` status fails a health check; `degraded` still answers 200. */
function failOnSchema(who: string, fallback: HealthFailOn) {
  return described(
    z._default(z.enum(HEALTH_FAIL_ON), fallback),
    `${who} fails on this \`/health\` status or worse: \`unhealthy\`, or \`degraded\` too.`,
  )
}

export const smokeSchema = z.strictObject({
  checks: z.optional(
    described(
      z.array(smokeCheckSchema),
      'Checks; the default four (health, query, rate limit, metrics) when absent.',
    ),
  ),
  retries: described(
    z._default(z.int().check(z.nonnegative()), DEFAULT_SMOKE.retries),
    'Retries of a failing check while the service warms up.',
  ),
  retryDelay: described(
    z._default(durationSchema, DEFAULT_SMOKE.retryDelay),
    'Wait between retries.',
  ),
  timeout: described(z._default(durationSchema, DEFAULT_SMOKE.timeout), 'Timeout of one request.'),
  failOn: failOnSchema('The default health check', DEFAULT_SMOKE.failOn),
})

export const monitorSchema = z.strictObject({
  source: described(
    // The service's own /metrics; the format's default is the endpoint source's own.
    z._default(metricSourceSchema, () => z.parse(metricSourceSchema, { type: 'endpoint' })),
    'Where metrics come from.',
  ),
  duration: described(
    z._default(durationSchema, DEFAULT_MONITOR.duration),
    'How long a monitor watches.',
  ),
  interval: described(
    z._default(durationSchema, DEFAULT_MONITOR.interval),
    'Length of each judged interval.',
  ),
  alpha: described(
    z._default(z.number().check(z.positive(), z.maximum(0.5)), DEFAULT_MONITOR.alpha),
    'Chance of failing a release the rules allow, over the whole run however often it looks.',
  ),
  minRequests: described(
    z._default(z.int().check(z.nonnegative()), DEFAULT_MONITOR.minRequests),
    'Requests of the new release over the run below which it cannot pass (inconclusive).',
  ),
  onInconclusive: described(
    z._default(z.enum(['fail', 'pass']), DEFAULT_MONITOR.onInconclusive),
    'Too little traffic to judge: fail the check (exit 1; a deploy rolls back), or pass it with a warning.',
  ),
  failAfter: z.optional(
    described(
      z.unknown().check(
        z.refine(() => false, {
          error:
            'removed: the monitor fails as soon as a sequential test over the whole run is significant; delete this line (monitor.alpha sets how sure it must be)',
        }),
      ),
      'Removed: the monitor fails on a sequential test over the whole run (`alpha`); a config that sets it is refused.',
    ),
  ),
  failOn: failOnSchema('`monitor --once`', DEFAULT_MONITOR.failOn),
  thresholds: section(
    z.strictObject({
      errorRate: described(
        z._default(share, DEFAULT_MONITOR.thresholds.errorRate),
        'Error rate the release must not be significantly above.',
      ),
      latencyP95Ms: described(
        z._default(positive, DEFAULT_MONITOR.thresholds.latencyP95Ms),
        'p95 latency in ms the release must not be significantly above (tested on the duration histogram).',
      ),
      costPerRequestUsd: z.optional(
        described(positive, 'Cost per request in USD the release must not be significantly above.'),
      ),
      costPerHourUsd: z.optional(
        described(positive, 'Highest spend per hour in USD (`monitor --once`).'),
      ),
    }),
    'Absolute limits.',
  ),
  compare: section(
    z.strictObject({
      errorRatePoints: described(
        z._default(share, DEFAULT_MONITOR.compare.errorRatePoints),
        'Error rate may be this much (a share: 0.02 is 2 points) above the previous release’s before it fails.',
      ),
      latencyIncreasePct: described(
        z._default(positive, DEFAULT_MONITOR.compare.latencyIncreasePct),
        'Requests slower than the previous release’s p95 may be this many % more common before it fails.',
      ),
      costPerRequestIncreasePct: described(
        z._default(positive, DEFAULT_MONITOR.compare.costPerRequestIncreasePct),
        'Cost per request may be this many % above the previous release’s before it fails.',
      ),
    }),
    'Limits relative to the previous release.',
  ),
})

/** One canary step, as Argo Rollouts writes them. */
const canaryStepSchema = z.union([
  z.strictObject({
    setWeight: described(
      z.number().check(z.positive(), z.maximum(100)),
      'Share of the traffic (%) the canary gets from this step on.',
    ),
  }),
  z.strictObject({
    pause: z.strictObject({
      duration: z.optional(
        described(
          durationSchema,
          'How long to wait before the next step; without it, until `shipgate canary resume` (or promote).',
        ),
      ),
    }),
  }),
  z.strictObject({
    analysis: z.strictObject({
      duration: z.optional(described(durationSchema, 'How long (default: analysis.duration).')),
      interval: z.optional(described(durationSchema, 'How often (default: analysis.interval).')),
    }),
  }),
])

const strategySchema = z.enum(['replace', 'canary'])

/** How a deploy moves traffic: all at once, or a canary judged against stable. */
export const rolloutSchema = z.strictObject({
  strategy: described(
    z._default(strategySchema, 'replace'),
    '`replace` moves all traffic at once; `canary` grows the new release step by step, judged against the stable one serving at the same time.',
  ),
  steps: z.optional(
    described(
      z.array(canaryStepSchema).check(z.minLength(1)),
      'Canary steps (setWeight, pause, analysis); default 5% → analysis → 100%.',
    ),
  ),
  analysis: section(
    z.strictObject({
      duration: described(z._default(durationSchema, '15m'), 'Length of an analysis step.'),
      interval: described(
        z._default(durationSchema, '1m'),
        'The analysis looks after every interval of this length.',
      ),
      alpha: described(
        z._default(z.number().check(z.positive(), z.maximum(0.5)), DEFAULT_CANARY_RULES.alpha),
        'Chance of failing a canary as good as stable, over the whole analysis (Holm across metrics).',
      ),
      minRequests: described(
        z._default(z.int().check(z.nonnegative()), DEFAULT_CANARY_RULES.minRequests),
        'Canary requests below which an analysis step is inconclusive.',
      ),
      margins: section(
        z.strictObject({
          errorRate: described(
            z._default(z.number().check(z.minimum(1)), DEFAULT_CANARY_RULES.margins.errorRate),
            'Error-rate ratio the canary may have over stable (1: none).',
          ),
          latency: described(
            z._default(z.number().check(z.minimum(1)), DEFAULT_CANARY_RULES.margins.latency),
            "Ratio of the shares of requests slower than stable's p95.",
          ),
          cost: described(
            z._default(z.number().check(z.nonnegative()), DEFAULT_CANARY_RULES.margins.cost),
            'Cost-per-request increase the canary may have (0.2: +20%).',
          ),
        }),
        'How much worse than stable the canary may be.',
      ),
      limits: z.optional(
        z.strictObject({
          errorRate: z.optional(
            described(share, 'The canary fails when significantly above this error rate.'),
          ),
        }),
      ),
      onInconclusive: described(
        z._default(z.enum(['rollback', 'extend', 'pause']), 'rollback'),
        'What an analysis step without enough canary traffic does: roll back, run again, or wait for `shipgate canary resume|promote|abort`.',
      ),
      maxExtensions: described(
        z._default(z.int().check(z.nonnegative()), 2),
        'With `extend`: how many more times a step may run before rolling back.',
      ),
    }),
    'How the canary is judged (docs/canary.md).',
  ),
  targets: described(
    z._default(
      z.record(
        z.string(),
        z.strictObject({
          strategy: z.optional(strategySchema),
          steps: z.optional(z.array(canaryStepSchema).check(z.minLength(1))),
        }),
      ),
      {},
    ),
    'Per target: its own strategy or steps.',
  ),
})

export { metricSourceSchema, notifierSchema, targetSchema }
export type RolloutConfig = z.output<typeof rolloutSchema>
export type DeployConfig = z.output<typeof deploySchema>
export type ReleaseConfig = z.output<typeof releaseSchema>
export type SmokeConfig = z.output<typeof smokeSchema>
export type SmokeCheckConfig = z.output<typeof smokeCheckSchema>
export type MonitorConfig = z.output<typeof monitorSchema>
