import { z } from 'zod'
import { errorKind, providerCommon, tokenCounts } from '../common.js'

/** A reply: text, or any YAML value, which is sent as its JSON. */
const reply = z
  .union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())])
  .describe('Reply text; an object or list is replied as JSON.')

/** A fixed latency in ms, or a uniform range. */
const latency = z.union([
  z.number().nonnegative(),
  z
    .strictObject({ min: z.number().nonnegative(), max: z.number().nonnegative() })
    .refine((r) => r.min <= r.max, { message: '`min` must not exceed `max`' }),
])

const scriptedReply = z
  .strictObject({
    match: z
      .string()
      .optional()
      .describe('Substring of the rendered prompt that selects this reply.'),
    regex: z
      .string()
      .refine(isRegex, { message: 'not a valid regular expression' })
      .optional()
      .describe('Regular expression on the rendered prompt.'),
    output: reply,
    latencyMs: latency.optional(),
    usage: tokenCounts.optional(),
  })
  .refine((r) => (r.match === undefined) !== (r.regex === undefined), {
    message: 'give exactly one of `match` or `regex`',
  })

const failureRule = z
  .strictObject({
    every: z.int().positive().optional().describe('Fail every Nth call (the Nth, 2Nth, ...).'),
    rate: z.number().min(0).max(1).optional().describe('Fail this share of calls at random.'),
    kind: errorKind.default('unavailable'),
    status: z.int().optional(),
    retryAfterMs: z.number().nonnegative().optional(),
    message: z.string().optional(),
  })
  .refine((r) => (r.every === undefined) !== (r.rate === undefined), {
    message: 'give exactly one of `every` or `rate`',
  })

/** Options of the `mock` provider: scripted replies for offline demos and tests. */
export const mockOptions = z
  .strictObject({
    type: z.literal('mock'),
    ...providerCommon,
    model: z
      .string()
      .optional()
      .describe('Model name reported (and priced, if in the price table).'),
    responses: z.array(scriptedReply).default([]),
    default: reply
      .optional()
      .describe('Reply when no scripted reply matches; echoes the prompt if unset.'),
    latencyMs: latency.default(0),
    usage: z
      .union([z.literal('estimate'), tokenCounts])
      .default('estimate')
      .describe('Token usage reported: fixed counts, or estimated at 4 characters a token.'),
    failures: z.array(failureRule).default([]),
    seed: z
      .int()
      .default(1)
      .describe('Seed of the random choices (latency ranges, failure rates).'),
  })
  .describe('Scripted replies, for offline demos and tests.')

export type MockOptions = z.output<typeof mockOptions>

function isRegex(source: string): boolean {
  try {
    new RegExp(source)
    return true
  } catch {
    return false
  }
}
