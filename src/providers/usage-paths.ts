import type { Usage } from '../contracts/usage.js'
import { getJsonPath } from '../utils/json-path.js'
import * as z from '../utils/zod.js'

/** Where in a JSON answer the token counts are, for providers that call the user's own code. */
export const usagePaths = z.optional(
  z
    .strictObject({
      input: z.optional(z.string()),
      output: z.optional(z.string()),
      cacheRead: z.optional(z.string()),
      cacheWrite: z.optional(z.string()),
      reasoning: z.optional(z.string()),
    })
    .check(
      z.describe('JSON paths of token counts in the answer, e.g. { input: usage.input_tokens }.'),
    ),
)

/** Usage read from an answer by paths; `null` when no path is configured or none resolves. */
export function usageAt(answer: unknown, paths: z.output<typeof usagePaths>): Usage | null {
  if (paths === undefined) return null
  const read = (path: string | undefined): number | undefined => {
    const value = path === undefined ? undefined : getJsonPath(answer, path)
    return typeof value === 'number' && Number.isFinite(value) ? value : undefined
  }
  const counts = {
    input: read(paths.input),
    output: read(paths.output),
    cacheRead: read(paths.cacheRead),
    cacheWrite: read(paths.cacheWrite),
    reasoning: read(paths.reasoning),
  }
  if (Object.values(counts).every((v) => v === undefined)) return null
  return {
    input: counts.input ?? 0,
    output: counts.output ?? 0,
    cacheRead: counts.cacheRead ?? 0,
    cacheWrite: counts.cacheWrite ?? 0,
    reasoning: counts.reasoning ?? 0,
  }
}

/** The answer's text at `path`: strings as they are, anything else as JSON. */
export function outputAt(answer: unknown, path: string | undefined): string | undefined {
  const value = path === undefined ? answer : getJsonPath(answer, path)
  if (value === undefined) return undefined
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/** An answer of the user's own code: its JSON when it is JSON, its text otherwise. */
export function parseAnswer(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}
