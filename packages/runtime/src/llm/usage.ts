import type { Usage } from '../contracts/usage.js'

/**
 * Usage as the SDKs spell it, normalized into shipgate's {@link Usage} (`input` counts every
 * prompt token, cached ones included). A copy of the few lines `providers/` uses: the runtime
 * ships inside the user's service and may not import providers.
 */

type Fields = Readonly<Record<string, unknown>>

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0)
/** Reads `key` of an unknown value; `undefined` when it is not an object. */
export const field = (o: unknown, key: string): unknown =>
  typeof o === 'object' && o !== null ? (o as Fields)[key] : undefined

/** Anthropic `usage`: `input_tokens` excludes the cache reads and writes it reports apart. */
export function anthropicUsage(u: Fields): Usage {
  const cacheRead = num(u.cache_read_input_tokens)
  const cacheWrite = num(u.cache_creation_input_tokens)
  return {
    input: num(u.input_tokens) + cacheRead + cacheWrite,
    output: num(u.output_tokens),
    cacheRead,
    cacheWrite,
    reasoning: 0,
  }
}

/** Chat Completions `usage`: `prompt_tokens` already includes the cached tokens. */
export function chatUsage(u: Fields): Usage {
  return {
    input: num(u.prompt_tokens),
    output: num(u.completion_tokens),
    cacheRead: num(field(u.prompt_tokens_details, 'cached_tokens')),
    cacheWrite: 0,
    reasoning: num(field(u.completion_tokens_details, 'reasoning_tokens')),
  }
}

/** Responses API `usage`: `input_tokens` already includes the cached tokens. */
export function responsesUsage(u: Fields): Usage {
  return {
    input: num(u.input_tokens),
    output: num(u.output_tokens),
    cacheRead: num(field(u.input_tokens_details, 'cached_tokens')),
    cacheWrite: 0,
    reasoning: num(field(u.output_tokens_details, 'reasoning_tokens')),
  }
}

/**
 * Folds a streamed Anthropic usage update into what is known so far: `message_delta` usage is
 * cumulative, so a field it reports replaces the earlier value.
 */
export function mergeAnthropicUsage(known: Fields, update: unknown): Fields {
  if (typeof update !== 'object' || update === null) return known
  const merged: Record<string, unknown> = { ...known }
  for (const [key, value] of Object.entries(update))
    if (typeof value === 'number') merged[key] = value
  return merged
}

/**
 * The usage of whatever an observed call returned: `{ usage }` (or the usage itself) in
 * shipgate's shape, or as Anthropic, Chat Completions or the Responses API spell it. `null`
 * when there is none. `provider` settles the one ambiguity: Anthropic and the Responses API
 * both say `input_tokens`.
 */
export function usageOf(provider: string, result: unknown): Usage | null {
  const u = field(result, 'usage') ?? result
  if (typeof u !== 'object' || u === null) return null
  const o = u as Fields
  if (typeof o.input === 'number' && typeof o.output === 'number') return shipgateUsage(o)
  if (typeof o.prompt_tokens === 'number') return chatUsage(o)
  if (typeof o.input_tokens !== 'number') return null
  const responsesShape = 'input_tokens_details' in o || 'total_tokens' in o
  return provider === 'anthropic' || !responsesShape ? anthropicUsage(o) : responsesUsage(o)
}

function shipgateUsage(o: Fields): Usage {
  return {
    input: num(o.input),
    output: num(o.output),
    cacheRead: num(o.cacheRead),
    cacheWrite: num(o.cacheWrite),
    reasoning: num(o.reasoning),
  }
}
