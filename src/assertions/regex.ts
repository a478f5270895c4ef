import * as z from '../utils/zod.js'
import type { AssertionType } from '../contracts/assertion.js'
import { DerivedCache } from '../utils/cache.js'
import { quote, verdict } from './shared.js'

/**
 * How many distinct patterns the process keeps compiled (a suite may write one per case); a
 * `regex` check keeps its pattern as written, so past this bound a pattern is compiled again
 * when its check runs. See docs/decisions/0007-compiled-assertion-caches.md and 0010-lean-plan.md.
 */
const PATTERN_LIMIT = 2_000

// Keyed by the value as written, so an entry is never stale. Only compiled patterns are kept.
const patterns = new DerivedCache<string, RegExp>(PATTERN_LIMIT)

/** Valid flags, as `new RegExp` takes them. */
const FLAGS = /^[dgimsuvy]*$/

/**
 * A pattern, or a JavaScript regex literal `/pattern/flags`, compiled once per distinct value.
 * The RegExp is stateless (without `g` or `y`, which would keep `lastIndex` between tests), so
 * checks share it. Throws a SyntaxError for a pattern or flags that do not compile; a value
 * that reads as a literal with letters after its last slash is a literal, never plain text.
 */
export function parsePattern(source: string): RegExp {
  return patterns.get(source, compilePattern)
}

function compilePattern(source: string): RegExp {
  const literal = /^\/(.*)\/([A-Za-z]*)$/s.exec(source)
  if (literal === null) return new RegExp(source)
  const [, body = '', flags = ''] = literal
  if (!FLAGS.test(flags)) {
    throw new SyntaxError(
      `invalid flags "${flags}" in ${source} (valid flags are d, g, i, m, s, u, v, y); ` +
        `to match the text itself, escape the slashes: ${source.replaceAll('/', '\\/')}`,
    )
  }
  return new RegExp(body, flags.replace(/[gy]/g, ''))
}

/** A pattern as written, checked to compile (the check compiles it again if it was dropped). */
const value = z.string().check(
  z.superRefine((source, ctx) => {
    try {
      parsePattern(source)
    } catch (error) {
      const message = (error as Error).message
      ctx.addIssue({
        code: 'custom',
        message: message.startsWith('invalid flags')
          ? message
          : `not a valid regular expression: ${String(error)}`,
        input: source,
      })
    }
  }),
)

/**
 * `regex`: the output matches the regular expression. The check keeps the pattern as written
 * and takes its RegExp from the bounded cache when it runs: a plan of 10,000 distinct patterns
 * would otherwise hold 10,000 RegExps with their compiled code (~5 MB) to the end of the run.
 */
export const regex: AssertionType<string> = {
  type: 'regex',
  negatable: true,
  value,
  prepare(source) {
    return ({ output }) => {
      const re = parsePattern(source)
      return re.test(output)
        ? verdict(true, `output matches ${String(re)}`)
        : verdict(false, `output does not match ${String(re)}`)
    }
  },
}

/** `starts-with`: the output begins with the value. */
export const startsWith: AssertionType<string> = {
  type: 'starts-with',
  negatable: true,
  value: z.pipe(z.union([z.string(), z.number()]), z.transform(String)),
  prepare(prefix) {
    return ({ output }) =>
      output.startsWith(prefix)
        ? verdict(true, `output starts with ${quote(prefix)}`)
        : verdict(
            false,
            `output starts with ${quote(output.slice(0, prefix.length))}, not ${quote(prefix)}`,
          )
  },
}
