import { Liquid, type Template } from 'liquidjs'
import { DerivedCache } from '../utils/cache.js'

const engine = new Liquid({ strictVariables: true, lenientIf: true, strictFilters: true })
/** Parsed templates by their text: a suite has a few distinct request templates, not thousands. */
const parsed = new DerivedCache<string, Template[]>(1000)

/**
 * Renders every string in a JSON-like value as a liquid template over `scope` (numbers, booleans
 * and null stay as they are). Templates are parsed once per distinct string. Throws on an
 * undefined variable, as prompts do.
 */
export function renderValue(value: unknown, scope: Readonly<Record<string, unknown>>): unknown {
  if (typeof value === 'string') return renderString(value, scope)
  if (Array.isArray(value)) return value.map((v) => renderValue(v, scope))
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderValue(v, scope)]))
  }
  return value
}

/** One template string rendered over `scope`; a string without `{` is returned as is. */
export function renderString(template: string, scope: Readonly<Record<string, unknown>>): string {
  if (!template.includes('{')) return template
  const tpl = parsed.get(template, (text) => engine.parse(text))
  return engine.renderSync(tpl, scope) as string
}
