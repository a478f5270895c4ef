import * as z from '../utils/zod.js'

/**
 * An object section of the config that may be left out: it then parses as `{}` would. Its
 * defaults are stated once, on its own keys, and stages read the section without a `??`.
 * Each parse gets a fresh value, so no two loaded configs share (and could mutate) one default.
 * (The description goes on the object: `.check()` on the result would copy the default once.)
 */
export function section<T extends z.ZodMiniObject>(
  schema: T,
  description: string,
): z.ZodMiniDefault<T> {
  const described = schema.check(z.describe(description))
  return z._default(described, () => z.parse(described, {}) as z.util.NoUndefined<z.output<T>>)
}
