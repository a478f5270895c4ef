/** Config schemas of the builtin notifiers (`notify:`). */
import { durationSchema } from '../utils/duration-schema.js'
import * as z from '../utils/zod.js'

const described = <T extends z.ZodMiniType>(schema: T, text: string): T =>
  schema.check(z.describe(text))
const envName = z
  .string()
  .check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'))

/** Every pipeline event a notifier may subscribe to. */
export const EVENT_NAMES = [
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
  'canary.started',
  'canary.step',
  'canary.paused',
  'canary.promoted',
  'canary.aborted',
] as const

const events = z.optional(described(z.array(z.enum(EVENT_NAMES)), 'Events sent; all when absent.'))

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

export type NotifierConfig = z.output<typeof notifierSchema>
