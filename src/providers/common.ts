import * as z from '../utils/zod.js'

/** Options every provider accepts besides its own. */
export const providerCommon = {
  /** Most calls in flight to this provider at once (within the global limit). */
  concurrency: z.optional(
    z.int().check(z.positive(), z.describe('Most calls in flight to this provider at once.')),
  ),
  /** Per-call timeout, overriding `runner.timeoutMs`. */
  timeoutMs: z.optional(
    z.int().check(z.positive(), z.describe('Per-call timeout in milliseconds.')),
  ),
}

const count = z.int().check(z.nonnegative())

/** Token counts as written in config. */
export const tokenCounts = z.strictObject({
  input: count,
  output: count,
  cacheRead: z.optional(count),
  cacheWrite: z.optional(count),
  reasoning: z.optional(count),
})

/** The error kinds a provider reports, as written in config (failure injection). */
export const errorKind = z.enum([
  'auth',
  'rate_limited',
  'timeout',
  'bad_request',
  'unavailable',
  'unknown',
])
