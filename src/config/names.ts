import * as z from '../utils/zod.js'

/** Names of providers, prompts and suites: letters, digits, `.`, `_` and `-`. */
export const configName = z
  .string()
  .check(
    z.regex(
      /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
      'use letters, digits, ".", "_" and "-" (starting with a letter or digit)',
    ),
  )

/**
 * Names of a suite's variants: a config name that may hold `@` too, as the `prompt@provider`
 * names a `matrix` makes do.
 */
export const variantName = z
  .string()
  .check(
    z.regex(
      /^[A-Za-z0-9][A-Za-z0-9._@-]*$/,
      'use letters, digits, ".", "_", "-" and "@" (starting with a letter or digit)',
    ),
  )
