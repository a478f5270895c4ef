import { z } from 'zod'

/** Options every provider accepts besides its own. */
export const providerCommon = {
  /** Most calls in flight to this provider at once (within the global limit). */
  concurrency: z
    .int()
    .positive()
    .optional()
    .describe('Most calls in flight to this provider at once.'),
  /** Per-call timeout, overriding `runner.timeoutMs`. */
  timeoutMs: z.int().positive().optional().describe('Per-call timeout in milliseconds.'),
}

/** Token counts as written in config. */
export const tokenCounts = z.strictObject({
  input: z.int().nonnegative(),
  output: z.int().nonnegative(),
  cacheRead: z.int().nonnegative().optional(),
  cacheWrite: z.int().nonnegative().optional(),
  reasoning: z.int().nonnegative().optional(),
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
