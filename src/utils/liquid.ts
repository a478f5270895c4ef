/**
 * liquidjs configured for text that is not HTML (prompts, shell lines of deploy targets):
 * undefined variables are errors (a typo must not silently render as nothing) except in
 * `{% if %}` tests; unknown filters are errors; no file system access; output is not escaped.
 * Dates format in `en-US` whatever the machine's locale, so a prompt renders the same in CI as
 * on a laptop (and liquidjs does not start `Intl` to look the locale up: ~30 ms of start-up).
 */
import { Liquid } from 'liquidjs'

/** A new strict, sandboxed liquid engine. */
export function strictLiquid(): Liquid {
  return new Liquid({
    strictVariables: true,
    lenientIf: true,
    strictFilters: true,
    relativeReference: false,
    root: [],
    partials: [],
    layouts: [],
    locale: 'en-US',
  })
}
