import * as z from '../utils/zod.js'
import type { AssertionType } from '../contracts/assertion.js'
import { canonicalJson } from '../utils/hash.js'
import { parseJson, quote, verdict } from './shared.js'

const value = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.record(z.string(), z.unknown()),
  z.array(z.unknown()),
])

/** `equals`: the output is exactly the value; an object or list value is compared as JSON. */
export const equals: AssertionType<z.output<typeof value>> = {
  type: 'equals',
  negatable: true,
  value,
  prepare(expected) {
    if (typeof expected === 'object') {
      const want = canonicalJson(expected)
      return ({ output }) => {
        const parsed = parseJson(output)
        if (!parsed.ok) return verdict(false, parsed.reason)
        const same = sameJson(parsed.value, want)
        if (same === undefined) return verdict(false, 'output JSON is nested too deeply to compare')
        return verdict(
          same,
          same ? 'output equals the expected JSON' : 'output JSON differs from the expected JSON',
        )
      }
    }
    const want = String(expected)
    return ({ output }) =>
      output === want
        ? verdict(true, `output equals ${quote(want)}`)
        : verdict(false, `output ${quote(output)} does not equal ${quote(want)}`)
  },
}

/**
 * Whether `value` is `want` (canonical JSON); `undefined` when it is nested too deeply to write
 * (a hostile output parses fine, and then overflows the stack of a recursive writer).
 */
function sameJson(value: unknown, want: string): boolean | undefined {
  try {
    return canonicalJson(value) === want
  } catch (error) {
    if (error instanceof RangeError) return undefined
    throw error
  }
}
