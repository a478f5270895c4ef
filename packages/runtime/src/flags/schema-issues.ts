/**
 * Turns the flagd schema's validation errors into one readable issue per problem. The schema
 * (json-logic targeting especially) is a tree of `anyOf`/`oneOf` alternatives, so a single
 * mistake comes back as dozens of errors, one per alternative tried; the deepest ones name it.
 */

/** One error as ajv reports it (flagd-core's validator is ajv standalone code). */
export interface SchemaError {
  readonly instancePath: string
  readonly keyword: string
  readonly params: Readonly<Record<string, unknown>>
  readonly message?: string
}

/** A problem at a JSON pointer of the flag file, pointer split into its segments. */
export interface PointerIssue {
  readonly pointer: readonly string[]
  readonly message: string
}

const ALTERNATIVES = new Set(['anyOf', 'oneOf'])

/** Groups the errors by flag and keeps, within each flag, the deepest distinct ones. */
export function schemaIssues(errors: readonly SchemaError[]): PointerIssue[] {
  const specific = errors.filter((e) => !ALTERNATIVES.has(e.keyword))
  const kept = specific.length > 0 ? specific : errors
  return [...groupBy(kept, (e) => flagOf(segments(e.instancePath))).values()].flatMap(flagIssues)
}

/** Splits a JSON pointer (`/flags/a~1b/variants`) into its unescaped segments. */
export function segments(pointer: string): string[] {
  if (pointer === '') return []
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
}

function flagOf(path: readonly string[]): string {
  return path[0] === 'flags' && path.length >= 2 ? `flags/${path[1]}` : ''
}

function flagIssues(group: readonly SchemaError[]): PointerIssue[] {
  const first = segments(group[0]?.instancePath ?? '')
  if (group.every(isVariantTypeError)) {
    return [
      {
        pointer: [...first.slice(0, 2), 'variants'],
        message: 'must all be booleans, all strings, all numbers or all objects',
      },
    ]
  }
  const depth = Math.max(...group.map((e) => segments(e.instancePath).length))
  const deepest = group.filter((e) => segments(e.instancePath).length === depth)
  return [...groupBy(deepest, (e) => e.instancePath)].map(([path, errs]) => ({
    pointer: segments(path),
    message: describe(errs),
  }))
}

function isVariantTypeError(e: SchemaError): boolean {
  const path = segments(e.instancePath)
  return e.keyword === 'type' && path.length === 4 && path[2] === 'variants'
}

/** One message for the errors at one path: other keywords win over the alternatives' types. */
function describe(errors: readonly SchemaError[]): string {
  const others = errors.filter((e) => e.keyword !== 'type')
  if (others.length > 0) return unique(others.map(text)).join('; ')
  return `must be ${unique(errors.map((e) => String(e.params.type))).join(' or ')}`
}

function text(e: SchemaError): string {
  const { params } = e
  switch (e.keyword) {
    case 'required':
      return `missing required property '${String(params.missingProperty)}'`
    case 'additionalProperties':
      return `has unexpected property '${String(params.additionalProperty)}'`
    case 'enum':
      return Array.isArray(params.allowedValues)
        ? `must be one of ${params.allowedValues.map(String).join(', ')}`
        : 'must be one of the allowed values'
    default:
      return e.message ?? `fails the schema's '${e.keyword}' rule`
  }
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const k = key(item)
    groups.set(k, [...(groups.get(k) ?? []), item])
  }
  return groups
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)]
}
