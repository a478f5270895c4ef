/**
 * The CD half of `shipgate.yaml`: what a release contains (`release:`), where it deploys
 * (`targets:`), how it is checked after (`smoke:`, `monitor:`) and who hears about it (`notify:`).
 * Each section is owned by the module that reads it; keep descriptions short, they become docs.
 */
import * as z from '../utils/zod.js'
import { isDuration } from '../utils/duration.js'

const described = <T extends z.ZodMiniType>(schema: T, text: string): T =>
  schema.check(z.describe(text))
const share = z.number().check(z.minimum(0), z.maximum(1))
const positive = z.number().check(z.positive())
const envName = z
  .string()
  .check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'))

/** `30s`, `5m`, `1h`, `250ms`, or a number of ms. */
export const durationSchema = z.union([
  z.int().check(z.nonnegative()),
  z.string().check(z.refine(isDuration, 'a duration such as 500ms, 30s, 5m or 1h')),
])

/** What `shipgate release create` records besides the code, the prompts and the models. */
export const releaseSchema = z.strictObject({
  flags: z.optional(
    described(z.string().check(z.minLength(1)), 'The flagd flag file, relative to this file.'),
  ),
  promptVersionEnv: described(
    z._default(envName, 'PROMPT_VERSION'),
    'Variable the service reads its prompt version from (rollback --only prompt sets it).',
  ),
  modelVersionEnv: described(
    z._default(envName, 'MODEL_VERSION'),
    'Variable the service reads its model id from (rollback --only model sets it).',
  ),
  promptFlag: z.optional(
    described(
      z.string().check(z.minLength(1)),
      'Flag in the flag file that chooses the prompt version; rollback --only prompt sets its default variant.',
    ),
  ),
})

/** `command`: a shell command per step (Railway, Fly, Render, Heroku, Vercel CLIs). */
export const commandTargetSchema = z.strictObject({
  type: z.literal('command'),
  url: z.optional(described(z.string(), 'Base URL of the deployed service (smoke, monitor).')),
  verify: z.optional(described(z.string(), 'Command that checks the CLI and its login.')),
  deploy: described(
    z.string(),
    'Command that deploys; liquid variables: release, version, percent, env.',
  ),
  rollback: described(z.string(), 'Command that puts the previous release back.'),
  setVariables: z.optional(
    described(z.string(), 'Command run once per variable with {{ key }} and {{ value }}.'),
  ),
  shiftTraffic: z.optional(
    described(z.string(), 'Command that sets a traffic share ({{ percent }}).'),
  ),
  timeout: described(z._default(durationSchema, '10m'), 'Longest any one command may run.'),
  env: described(
    z._default(z.array(envName), []),
    'Variables passed to the commands (e.g. RAILWAY_TOKEN), by name; PATH and HOME always are.',
  ),
})

/** `local`: versions of a service as child processes behind a weighted loopback proxy. */
export const localTargetSchema = z.strictObject({
  type: z.literal('local'),
  command: described(
    z.string().check(z.minLength(1)),
    'Starts one instance; gets PORT, SHIPGATE_RELEASE and the release env.',
  ),
  port: described(
    z._default(z.int().check(z.minimum(0), z.maximum(65_535)), 0),
    'Port of the proxy; 0 picks one.',
  ),
  host: described(z._default(z.string(), '127.0.0.1'), 'Address the proxy binds to.'),
  healthPath: described(
    z._default(z.string(), '/health'),
    'Path polled until an instance is healthy.',
  ),
  healthTimeout: described(
    z._default(durationSchema, '30s'),
    'How long an instance may take to be healthy.',
  ),
  stickyHeader: z.optional(
    described(z.string(), 'Request header (e.g. x-user-id) that keeps a user on one version.'),
  ),
  drain: described(
    z._default(durationSchema, '5s'),
    'Grace for in-flight requests when an instance stops.',
  ),
  env: described(
    z._default(z.record(z.string(), z.string()), {}),
    'Extra environment of every instance.',
  ),
})

/** `kubernetes`: kubectl against the current context (or `context`). */
export const kubernetesTargetSchema = z.strictObject({
  type: z.literal('kubernetes'),
  url: z.optional(described(z.string(), 'Base URL of the deployed service (smoke, monitor).')),
  deployment: described(z.string().check(z.minLength(1)), 'The Deployment to update.'),
  container: z.optional(
    described(z.string(), 'Container whose image is set; default: the Deployment name.'),
  ),
  image: described(
    z.string(),
    'Image reference, liquid: e.g. registry/agent:{{ release.code.commit }}.',
  ),
  namespace: z.optional(z.string()),
  context: z.optional(z.string()),
  manifests: z.optional(
    described(z.string(), 'File or directory applied with kubectl apply -f first.'),
  ),
  kubectl: described(z._default(z.string(), 'kubectl'), 'kubectl executable.'),
  timeout: described(z._default(durationSchema, '5m'), 'How long `rollout status` waits.'),
})

export const targetSchema = z.discriminatedUnion('type', [
  commandTargetSchema,
  localTargetSchema,
  kubernetesTargetSchema,
])

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

export const smokeSchema = z.strictObject({
  checks: z.optional(
    described(
      z.array(smokeCheckSchema),
      'Checks; the seed four (health, query, rate limit, metrics) when absent.',
    ),
  ),
  retries: described(
    z._default(z.int().check(z.nonnegative()), 5),
    'Retries of a failing check while the service warms up.',
  ),
  retryDelay: described(z._default(durationSchema, '2s'), 'Wait between retries.'),
  timeout: described(z._default(durationSchema, '10s'), 'Timeout of one request.'),
})

/** Where the monitor reads metrics. */
export const metricSourceSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('endpoint'),
    url: z.optional(described(z.string(), 'Metrics URL; default: the target URL + /metrics.')),
    format: described(
      z._default(z.enum(['prometheus', 'json']), 'prometheus'),
      'What the endpoint serves.',
    ),
  }),
  z.strictObject({
    type: z.literal('prometheus'),
    url: described(z.string(), 'Prometheus server, e.g. http://127.0.0.1:9090.'),
    selector: described(z._default(z.string(), ''), 'Extra label matchers, e.g. service="agent".'),
  }),
])

export const monitorSchema = z.strictObject({
  source: described(
    z._default(metricSourceSchema, { type: 'endpoint', format: 'prometheus' }),
    'Where metrics come from.',
  ),
  duration: described(z._default(durationSchema, '5m'), 'How long a monitor watches.'),
  interval: described(z._default(durationSchema, '30s'), 'Length of each judged interval.'),
  minRequests: described(
    z._default(z.int().check(z.nonnegative()), 20),
    'Fewer requests in an interval is inconclusive.',
  ),
  failAfter: described(
    z._default(z.int().check(z.positive()), 1),
    'Failed intervals that fail the monitor.',
  ),
  thresholds: described(
    z._default(
      z.strictObject({
        errorRate: described(z._default(share, 0.05), 'Highest error rate.'),
        latencyP95Ms: described(z._default(positive, 5_000), 'Highest p95 latency in ms.'),
        costPerRequestUsd: z.optional(described(positive, 'Highest cost per request in USD.')),
        costPerHourUsd: z.optional(
          described(positive, 'Highest spend per hour in USD (`monitor --once`).'),
        ),
      }),
      { errorRate: 0.05, latencyP95Ms: 5_000 },
    ),
    'Absolute limits.',
  ),
  compare: described(
    z._default(
      z.strictObject({
        errorRatePoints: described(
          z._default(share, 0.02),
          'Error rate may rise this much over the previous release.',
        ),
        latencyIncreasePct: described(
          z._default(positive, 50),
          'p95 latency may rise this many % over the previous release.',
        ),
        costPerRequestIncreasePct: described(
          z._default(positive, 30),
          'Cost per request may rise this many %.',
        ),
      }),
      { errorRatePoints: 0.02, latencyIncreasePct: 50, costPerRequestIncreasePct: 30 },
    ),
    'Limits relative to the previous release (the seed defaults).',
  ),
})

const eventNames = [
  'gate.failed',
  'gate.passed',
  'deploy.started',
  'deploy.succeeded',
  'deploy.failed',
  'smoke.failed',
  'monitor.failed',
  'monitor.passed',
  'rollback.started',
  'rollback.succeeded',
  'rollback.failed',
  'health.failed',
] as const

const events = z.optional(described(z.array(z.enum(eventNames)), 'Events sent; all when absent.'))

export const notifierSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('slack'),
    name: z.optional(z.string()),
    webhookUrlEnv: described(
      z._default(envName, 'SLACK_WEBHOOK_URL'),
      'Variable holding the incoming-webhook URL.',
    ),
    events,
  }),
  z.strictObject({
    type: z.literal('webhook'),
    name: z.optional(z.string()),
    url: z.optional(described(z.string(), 'Where events are POSTed (not a secret).')),
    urlEnv: z.optional(described(envName, 'Variable holding the URL, when it is a secret.')),
    secretEnv: z.optional(
      described(
        envName,
        'Variable holding the HMAC-SHA256 key of the X-Shipgate-Signature header.',
      ),
    ),
    retries: described(z._default(z.int().check(z.nonnegative()), 3), 'Retries with backoff.'),
    timeout: described(z._default(durationSchema, '5s'), 'Timeout of one POST.'),
    events,
  }),
])

export type ReleaseConfig = z.output<typeof releaseSchema>
export type TargetConfig = z.output<typeof targetSchema>
export type CommandTargetConfig = z.output<typeof commandTargetSchema>
export type LocalTargetConfig = z.output<typeof localTargetSchema>
export type KubernetesTargetConfig = z.output<typeof kubernetesTargetSchema>
export type SmokeConfig = z.output<typeof smokeSchema>
export type SmokeCheckConfig = z.output<typeof smokeCheckSchema>
export type MonitorConfig = z.output<typeof monitorSchema>
export type MetricSourceConfig = z.output<typeof metricSourceSchema>
export type NotifierConfig = z.output<typeof notifierSchema>
