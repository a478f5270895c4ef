import type { CaseConfig } from './schema.js'

/**
 * The cases of a list when every one is plain — at most an `id`, a `description`, `vars` and
 * `tags`, all well-typed — checked by hand, as the case schema would give them; otherwise
 * `undefined`, and the list goes through the schema, which reports what is wrong. A CLI run
 * loads its cases while zod's generic parse is still cold: it took ~13 µs a case (130 ms at
 * 10,000 cases), this ~1 µs. test/config/plain-cases.test.ts holds it equal to the schema.
 */
export function plainCases(value: unknown): CaseConfig[] | undefined {
  if (!Array.isArray(value)) return undefined
  const cases: CaseConfig[] = []
  for (const item of value) {
    const kase = plainCase(item)
    if (kase === undefined) return undefined
    cases.push(kase)
  }
  return cases
}

function plainCase(item: unknown): CaseConfig | undefined {
  if (!isPlainObject(item)) return undefined
  let id: string | undefined
  let description: string | undefined
  let vars: Record<string, unknown> | undefined
  let tags: string[] | undefined
  for (const key of Object.keys(item)) {
    const field = item[key]
    if (key === 'id') {
      if (typeof field !== 'string' || field === '') return undefined
      id = field
    } else if (key === 'description') {
      if (typeof field !== 'string') return undefined
      description = field
    } else if (key === 'vars') {
      vars = plainVars(field)
      if (vars === undefined) return undefined
    } else if (key === 'tags') {
      tags = stringList(field)
      if (tags === undefined) return undefined
    } else return undefined
  }
  // In the schema's key order, with its defaults; absent optional keys stay absent.
  const kase: { -readonly [K in keyof CaseConfig]: CaseConfig[K] } = {} as CaseConfig
  if (id !== undefined) kase.id = id
  if (description !== undefined) kase.description = description
  kase.vars = vars ?? {}
  kase.assert = []
  kase.tags = tags ?? []
  return kase
}

/** A copy of a plain record, as the schema's `z.record` makes; which drops a `__proto__` key. */
function plainVars(value: unknown): Record<string, unknown> | undefined {
  if (!isPlainObject(value) || Object.hasOwn(value, '__proto__')) return undefined
  const vars: Record<string, unknown> = {}
  for (const key of Object.keys(value)) vars[key] = value[key]
  return vars
}

function stringList(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined
  for (const item of value) if (typeof item !== 'string') return undefined
  return [...(value as string[])]
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false
  return Object.getPrototypeOf(value) === Object.prototype
}
