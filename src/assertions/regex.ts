import * as z from '../utils/zod.js'
import type { AssertionType } from '../contracts/assertion.js'
import { quote, verdict } from './shared.js'

/** A pattern, or a JavaScript regex literal `/pattern/flags`. */
const value = z.pipe(
  z.string(),
  z.transform((source, ctx) => {
    const literal = /^\/(.*)\/([dgimsuvy]*)$/s.exec(source)
    try {
      return literal === null ? new RegExp(source) : new RegExp(literal[1] ?? '', literal[2])
    } catch (error) {
      ctx.issues.push({
        code: 'custom',
        message: `not a valid regular expression: ${String(error)}`,
        input: source,
      })
      return z.NEVER
    }
  }),
)

/** `regex`: the output matches the regular expression. */
export const regex: AssertionType<RegExp> = {
  type: 'regex',
  negatable: true,
  value,
  prepare(pattern) {
    // A global or sticky regex keeps state between calls; test on a stateless copy.
    const re = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''))
    return ({ output }) =>
      re.test(output)
        ? verdict(true, `output matches ${String(re)}`)
        : verdict(false, `output does not match ${String(re)}`)
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
