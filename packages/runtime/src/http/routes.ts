import { pathOf } from './fetch.js'

/**
 * How the `route` label of a request is found: one fixed template for the whole handler, a
 * list of templates (`/users/:id`, `/files/*`) matched against the path, or a function.
 */
export type RouteOption = string | readonly string[] | ((request: Request) => string)

/** The label of requests no template matched. */
export const OTHER_ROUTE = '_other'

/**
 * A function from request to route label. Templates match segment by segment: `:name` is any
 * one segment, a final `*` is the rest of the path; the first template that matches wins.
 * Raw paths never become labels, so the series stay bounded. Default: `*` for every request.
 */
export function routeResolver(option: RouteOption = '*'): (request: Request) => string {
  if (typeof option === 'string') return () => option
  if (typeof option === 'function') return option
  const compiled = option.map((template) => ({ template, parts: segments(template) }))
  return (request) => {
    const parts = segments(pathOf(request.url))
    return compiled.find((c) => matches(c.parts, parts))?.template ?? OTHER_ROUTE
  }
}

function segments(path: string): string[] {
  return path.split('/').filter((s) => s !== '')
}

function matches(template: readonly string[], path: readonly string[]): boolean {
  for (let i = 0; i < template.length; i++) {
    const t = template[i]!
    if (t === '*' && i === template.length - 1) return true
    if (i >= path.length || (!t.startsWith(':') && t !== path[i])) return false
  }
  return template.length === path.length
}
