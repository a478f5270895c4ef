/** Config schemas of the builtin deploy targets; `targets:` in shipgate.yaml is a map of these. */
import { durationSchema } from '../utils/duration-schema.js'
import * as z from '../utils/zod.js'

const described = <T extends z.ZodMiniType>(schema: T, text: string): T =>
  schema.check(z.describe(text))
const envName = z
  .string()
  .check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'))

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
