/**
 * Token usage of one model call, normalized across APIs.
 *
 * `input` counts every prompt token, cached ones included (OpenAI's convention); the
 * uncached part is `input - cacheRead - cacheWrite` (see {@link uncachedInput}).
 */
export interface Usage {
  /** All input tokens, including those read from or written to the prompt cache. */
  readonly input: number
  /** Output tokens, reasoning tokens included. */
  readonly output: number
  /** Input tokens served from the prompt cache. */
  readonly cacheRead: number
  /** Input tokens written to the prompt cache. */
  readonly cacheWrite: number
  /** Output tokens spent on reasoning (a subset of `output`). */
  readonly reasoning: number
}

/** Input tokens billed at the plain input rate. */
export function uncachedInput(usage: Usage): number {
  return Math.max(0, usage.input - usage.cacheRead - usage.cacheWrite)
}

/** A usage record of all zeros. */
export const ZERO_USAGE: Usage = Object.freeze({
  input: 0,
  output: 0,
  cacheRead: 0,
  cacheWrite: 0,
  reasoning: 0,
})

/** Sums two usage records. */
export function addUsage(a: Usage, b: Usage): Usage {
  return {
    input: a.input + b.input,
    output: a.output + b.output,
    cacheRead: a.cacheRead + b.cacheRead,
    cacheWrite: a.cacheWrite + b.cacheWrite,
    reasoning: a.reasoning + b.reasoning,
  }
}
