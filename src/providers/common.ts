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

/** Options of the providers that call a model API (anthropic, openai). */
export const modelApiCommon = {
  model: z.string().check(z.minLength(1), z.describe('Model id, e.g. claude-3-5-haiku-20241022.')),
  baseUrl: z.optional(
    z
      .string()
      .check(z.url(), z.describe('API base URL (a proxy, a gateway, or a compatible server).')),
  ),
  params: z
    ._default(z.record(z.string(), z.unknown()), {})
    .check(z.describe('Request parameters passed as is: temperature, max_tokens, top_p, ...')),
  stream: z
    ._default(z.boolean(), false)
    .check(z.describe('Stream the answer (measures time to first token).')),
  headers: z
    ._default(z.record(z.string(), z.string()), {})
    .check(z.describe('Extra request headers (e.g. anthropic-beta); use ${VAR} for secrets.')),
}

/** The name of the environment variable holding a provider's API key. */
export function apiKeyEnv(defaultName: string) {
  return z
    ._default(
      z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name')),
      defaultName,
    )
    .check(z.describe(`Environment variable holding the API key (default ${defaultName}).`))
}
