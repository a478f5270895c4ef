import type { AssertionSpec } from '../../contracts/assertion.js'
import { assertionTypeNames } from '../../assertions/index.js'
import { assertionSchema, type AssertionConfig } from '../../config/schema.js'
import { closest } from '../../config/suggest.js'
import { usageError } from '../../errors.js'
import * as z from '../../utils/zod.js'

/**
 * An assertion given in code, validated as the config validates one (`weight` defaults to 1).
 * Throws a usage error naming what is wrong, with the closest type for an unknown one.
 */
export function parseAssertion(spec: AssertionSpec): AssertionConfig {
  const type = (spec as { type?: unknown } | null)?.type
  if (typeof type !== 'string' || !assertionTypeNames.includes(type)) {
    const guess = typeof type === 'string' ? closest(type, assertionTypeNames) : undefined
    throw usageError(
      `unknown assertion type ${JSON.stringify(type)}`,
      guess === undefined ? 'see docs/assertions.md for the types' : `did you mean "${guess}"?`,
    )
  }
  const parsed = z.safeParse(assertionSchema, spec)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  const where = issue === undefined || issue.path.length === 0 ? '' : ` at ${issue.path.join('.')}`
  throw usageError(
    `invalid ${type} assertion${where}: ${issue?.message ?? 'invalid'}`,
    `see docs/assertions.md#${type.replace(/^not-/, '')}`,
  )
}
