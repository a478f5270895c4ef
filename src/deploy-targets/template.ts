/**
 * Liquid templates of target commands (`railway up --service {{ version }}`): undefined
 * variables are errors, no file system access, no escaping (these are shell lines, not HTML).
 */
import { errorMessage } from '../utils/errors.js'
import { strictLiquid } from '../utils/liquid.js'
import type { ReleaseManifest } from '../contracts/release.js'

const engine = strictLiquid()

/** A rendered template, or why it could not be rendered. */
export type Rendered =
  { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string }

/** Renders `source` with `vars`; an unknown variable or bad syntax is a value, not a throw. */
export function render(source: string, vars: Readonly<Record<string, unknown>>): Rendered {
  try {
    return { ok: true, text: engine.parseAndRenderSync(source, vars) as string }
  } catch (error) {
    const message = errorMessage(error)
    return { ok: false, reason: `cannot render "${source}": ${message.replace(/, file:.*$/, '')}` }
  }
}

/** Throws when `source` is not valid liquid; for checking config when a target is created. */
export function checkTemplate(source: string): void {
  engine.parse(source)
}

/** The name a release is shown by: its name, else its id. */
export function versionOf(release: ReleaseManifest): string {
  return release.name ?? release.id
}

/** Template variables for a step about `release` (replacing `previous`). */
export function releaseVars(
  release: ReleaseManifest,
  previous: ReleaseManifest | null,
  extra: Readonly<Record<string, unknown>> = {},
): Record<string, unknown> {
  return { release, previous, version: versionOf(release), env: release.env, ...extra }
}
