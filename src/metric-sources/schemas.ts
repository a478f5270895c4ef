/** Config schemas of the builtin metric sources (`monitor.source`). */
import * as z from '../utils/zod.js'

const described = <T extends z.ZodMiniType>(schema: T, text: string): T =>
  schema.check(z.describe(text))

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

export type MetricSourceConfig = z.output<typeof metricSourceSchema>
