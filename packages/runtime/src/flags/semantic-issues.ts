/**
 * What the flagd schema cannot check, because it needs two places of a flag at once: the
 * default variant must be one of the variants, and so must every variant a `fractional` bucket
 * names (flagd-core would only fail at evaluation time, for the users in that bucket).
 */
import type { PointerIssue } from './schema-issues.js'

/** Issues in the parsed file; shapes the schema rejects are skipped, the schema reports them. */
export function semanticIssues(file: unknown): PointerIssue[] {
  const flags = isRecord(file) && isRecord(file.flags) ? file.flags : {}
  return Object.entries(flags).flatMap(([key, flag]) => flagIssues(key, flag))
}

function flagIssues(key: string, flag: unknown): PointerIssue[] {
  if (!isRecord(flag) || !isRecord(flag.variants)) return []
  const names = Object.keys(flag.variants)
  const known = (name: string): boolean => names.includes(name)
  const issues: PointerIssue[] = []
  const { defaultVariant } = flag
  if (typeof defaultVariant === 'string' && defaultVariant !== '' && !known(defaultVariant)) {
    issues.push({
      pointer: ['flags', key, 'defaultVariant'],
      message: `'${defaultVariant}' is not one of the variants (${names.join(', ')})`,
    })
  }
  for (const { path, variant } of fractionalVariants(flag.targeting, [])) {
    if (known(variant)) continue
    issues.push({
      pointer: ['flags', key, 'targeting', ...path],
      message: `names variant '${variant}', which is not one of the variants (${names.join(', ')})`,
    })
  }
  return issues
}

interface BucketVariant {
  readonly path: readonly string[]
  readonly variant: string
}

/** Every literal variant name in a `fractional` bucket, anywhere in a json-logic rule. */
function fractionalVariants(rule: unknown, path: readonly string[]): BucketVariant[] {
  if (Array.isArray(rule)) {
    return rule.flatMap((item, i) => fractionalVariants(item, [...path, String(i)]))
  }
  if (!isRecord(rule)) return []
  return Object.entries(rule).flatMap(([op, args]) => {
    const here = [...path, op]
    if (op !== 'fractional' || !Array.isArray(args)) return fractionalVariants(args, here)
    return args.flatMap((bucket, i) =>
      Array.isArray(bucket) && typeof bucket[0] === 'string'
        ? [{ path: [...here, String(i), '0'], variant: bucket[0] }]
        : fractionalVariants(bucket, [...here, String(i)]),
    )
  })
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
