import * as z from '../../utils/zod.js'
import { errorKind, providerCommon, tokenCounts } from '../common.js'

/** A reply: text, or any YAML value, which is sent as its JSON. */
const reply = z
  .union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())])
  .check(z.describe('Reply text; an object or list is replied as JSON.'))

const nonnegative = z.number().check(z.nonnegative())

/** A fixed latency in ms, or a uniform range. */
const latency = z.union([
  nonnegative,
  z
    .strictObject({ min: nonnegative, max: nonnegative })
    .check(z.refine((r) => r.min <= r.max, { message: '`min` must not exceed `max`' })),
])

const scriptedReply = z
  .strictObject({
    match: z.optional(
      z.string().check(z.describe('Substring of the rendered prompt that selects this reply.')),
    ),
    regex: z.optional(
      z
        .string()
        .check(
          z.refine(isRegex, { message: 'not a valid regular expression' }),
          z.describe('Regular expression on the rendered prompt.'),
        ),
    ),
    output: z.optional(reply),
    outputs: z.optional(
      z
        .array(
          z.strictObject({
            output: reply,
            weight: z._default(z.number().check(z.positive()), 1),
          }),
        )
        .check(
          z.minLength(1),
          z.describe(
            'Replies drawn at random by weight (seeded by `seed`): a non-deterministic model.',
          ),
        ),
    ),
    latencyMs: z.optional(latency),
    usage: z.optional(tokenCounts),
  })
  .check(
    z.refine((r) => (r.match === undefined) !== (r.regex === undefined), {
      message: 'give exactly one of `match` or `regex`',
    }),
    z.refine((r) => (r.output === undefined) !== (r.outputs === undefined), {
      message: 'give exactly one of `output` or `outputs`',
    }),
  )

const failureRule = z
  .strictObject({
    every: z.optional(
      z.int().check(z.positive(), z.describe('Fail every Nth call (the Nth, 2Nth, ...).')),
    ),
    rate: z.optional(
      z
        .number()
        .check(z.minimum(0), z.maximum(1), z.describe('Fail this share of calls at random.')),
    ),
    kind: z._default(errorKind, 'unavailable'),
    status: z.optional(z.int()),
    retryAfterMs: z.optional(nonnegative),
    message: z.optional(z.string()),
  })
  .check(
    z.refine((r) => (r.every === undefined) !== (r.rate === undefined), {
      message: 'give exactly one of `every` or `rate`',
    }),
  )

/** Options of the `mock` provider: scripted replies for offline demos and tests. */
export const mockOptions = z
  .strictObject({
    type: z.literal('mock'),
    ...providerCommon,
    model: z.optional(
      z.string().check(z.describe('Model name reported (and priced, if in the price table).')),
    ),
    responses: z
      ._default(z.array(scriptedReply), [])
      .check(
        z.describe(
          'Scripted replies, first match wins: { match | regex, output, latencyMs, usage }.',
        ),
      ),
    default: z.optional(
      reply.check(z.describe('Reply when no scripted reply matches; echoes the prompt if unset.')),
    ),
    latencyMs: z
      ._default(latency, 0)
      .check(z.describe('Latency of every call in ms, or { min, max } drawn uniformly.')),
    usage: z
      ._default(z.union([z.literal('estimate'), tokenCounts]), 'estimate')
      .check(
        z.describe('Token usage reported: fixed counts, or estimated at 4 characters a token.'),
      ),
    failures: z
      ._default(z.array(failureRule), [])
      .check(
        z.describe(
          'Failure injection: { every: N | rate: p, kind, status, retryAfterMs, message }.',
        ),
      ),
    seed: z
      ._default(z.int(), 1)
      .check(z.describe('Seed of the random choices (latency ranges, failure rates).')),
  })
  .check(z.describe('Scripted replies, for offline demos and tests.'))

export type MockOptions = z.output<typeof mockOptions>

function isRegex(source: string): boolean {
  try {
    new RegExp(source)
    return true
  } catch {
    return false
  }
}
