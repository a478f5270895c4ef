import type { Usage } from '../../contracts/usage.js'

/** Anthropic's usage fields (message, message_start and message_delta share them). */
export interface AnthropicUsage {
  input_tokens?: number | null
  output_tokens?: number | null
  cache_read_input_tokens?: number | null
  cache_creation_input_tokens?: number | null
}

/**
 * Normalized usage. Anthropic's `input_tokens` excludes the tokens read from and written to the
 * cache, which it reports apart; shipgate's `input` counts them all.
 */
export function normalizeUsage(usage: AnthropicUsage): Usage {
  const cacheRead = usage.cache_read_input_tokens ?? 0
  const cacheWrite = usage.cache_creation_input_tokens ?? 0
  return {
    input: (usage.input_tokens ?? 0) + cacheRead + cacheWrite,
    output: usage.output_tokens ?? 0,
    cacheRead,
    cacheWrite,
    reasoning: 0,
  }
}

/**
 * Folds a streamed usage update into what is known so far. `message_delta` usage is cumulative,
 * so a field it reports replaces the earlier value rather than adding to it.
 */
export function mergeUsage(
  known: AnthropicUsage,
  update: AnthropicUsage | null | undefined,
): AnthropicUsage {
  if (update === null || update === undefined) return known
  const merged: AnthropicUsage = { ...known }
  for (const key of [
    'input_tokens',
    'output_tokens',
    'cache_read_input_tokens',
    'cache_creation_input_tokens',
  ] as const) {
    const value = update[key]
    if (typeof value === 'number') merged[key] = value
  }
  return merged
}
