/** Config schemas of the builtin deploy targets; `targets:` in shipgate.yaml is a map of these. */
import { durationSchema } from '../utils/duration-schema.js'
import * as z from '../utils/zod.js'

const described = <T extends z.ZodMiniType>(schema: T, text: string): T =>
  schema.check(z.describe(text))
const envName = z
  .string()
  .check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'))

/** `command`: a shell command per step (Railway, Fly, Render, Heroku, Vercel CLIs). */
export const commandTargetSchema = z
  .strictObject({
    type: z.literal('command'),
    url: z.optional(described(z.string(), 'Base URL of the deployed service (smoke, monitor).')),
    verify: z.optional(described(z.string(), 'Command that checks the CLI and its login.')),
    deploy: z.optional(
      described(
        z.string(),
        'Command that deploys; liquid variables: release, previous, version, percent, env. Required unless `canary: variables`.',
      ),
    ),
    rollback: z.optional(
      described(
        z.string(),
        'Command that puts the previous release back. Required with `deploy`, and only then.',
      ),
    ),
    setVariables: z.optional(
      described(z.string(), 'Command run once per variable with {{ key }} and {{ value }}.'),
    ),
    shiftTraffic: z.optional(
      described(z.string(), 'Command that sets a traffic share ({{ percent }}).'),
    ),
    canary: z.optional(
      described(
        z.enum(['variables']),
        'How a canary splits users without `shiftTraffic`: `variables` sets CANARY_VERSION, CANARY_PERCENTAGE and RELEASE_ID through `setVariables`, for a service routing users with the runtime SDK (docs/canary.md).',
      ),
    ),
    timeout: described(z._default(durationSchema, '10m'), 'Longest any one command may run.'),
    env: described(
      z._default(z.array(envName), []),
      'Variables passed to the commands (e.g. RAILWAY_TOKEN), by name; PATH and HOME always are, and RELEASE_ID and SHIPGATE_RELEASE name the release a command is about.',
    ),
  })
  .check(
    z.refine((t) => t.canary !== 'variables' || t.setVariables !== undefined, {
      path: ['canary'],
      message:
        'canary: variables sets CANARY_VERSION and CANARY_PERCENTAGE through setVariables, which is not set: add setVariables (e.g. railway variables set {{ key }}={{ value }} --service agent)',
    }),
    z.refine((t) => t.canary !== 'variables' || t.shiftTraffic === undefined, {
      path: ['shiftTraffic'],
      message:
        'give one way to split traffic: shiftTraffic (the platform splits it) or canary: variables (the service does), not both',
    }),
    z.refine((t) => t.canary === 'variables' || t.deploy !== undefined, {
      message:
        'missing required key "deploy": the command that deploys (only a target with canary: variables may go without one)',
    }),
    z.refine((t) => t.deploy === undefined || t.rollback !== undefined, {
      message:
        'missing required key "rollback": the command that puts the previous release back after deploy (e.g. railway rollback --service agent)',
    }),
    z.refine((t) => t.deploy !== undefined || t.rollback === undefined, {
      path: ['rollback'],
      message:
        'rollback undoes the deploy command, and there is none: with canary: variables a rollback sets the variables; remove rollback, or add the deploy command it undoes',
    }),
  )

const threshold = z.int().check(z.minimum(1), z.maximum(100))

/** The local target's `healthCheck`: probing running instances, as a load balancer does. */
const localHealthCheckSchema = z.strictObject({
  interval: described(
    z._default(durationSchema, '2s'),
    'How often the supervisor probes each running instance at healthPath.',
  ),
  timeout: described(
    z._default(durationSchema, '1s'),
    'A probe without a 200 answer within this fails (a hung instance times out).',
  ),
  unhealthyThreshold: described(
    z._default(threshold, 3),
    'Failed probes in a row that take an instance out of rotation (its weight is kept).',
  ),
  healthyThreshold: described(
    z._default(threshold, 2),
    'Passed probes in a row that bring it back.',
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
  healthCheck: z._default(
    localHealthCheckSchema.check(
      z.describe(
        'Health checks of running instances: an unhealthy one gets no new requests until it recovers.',
      ),
    ),
    () => z.parse(localHealthCheckSchema, {}),
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

/** `flags`: a prompt- or model-only release through the flag file a running service watches. */
export const flagsTargetSchema = z.strictObject({
  type: z.literal('flags'),
  file: described(
    z.string().check(z.minLength(1)),
    'The flagd flag file the service watches, relative to the config.',
  ),
  flag: described(
    z._default(z.string().check(z.minLength(1)), 'release'),
    'The flag whose variants are release ids.',
  ),
  url: z.optional(
    described(z.string(), 'Base URL of the service reading the file (health, smoke, metrics).'),
  ),
  onCodeChange: described(
    z._default(z.enum(['refuse', 'warn']), 'refuse'),
    'A release whose commit differs from the stable one: refuse it, or only warn (another pipeline deployed the code).',
  ),
})

export const targetSchema = z.discriminatedUnion('type', [
  commandTargetSchema,
  localTargetSchema,
  kubernetesTargetSchema,
  flagsTargetSchema,
])

export type TargetConfig = z.output<typeof targetSchema>
export type CommandTargetConfig = z.output<typeof commandTargetSchema>
export type LocalTargetConfig = z.output<typeof localTargetSchema>
export type KubernetesTargetConfig = z.output<typeof kubernetesTargetSchema>
export type FlagsTargetConfig = z.output<typeof flagsTargetSchema>
