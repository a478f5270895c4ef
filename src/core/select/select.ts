import type { Dependency, SelectedSuite } from '../../contracts/select.js'
import picomatch from 'picomatch'

/** What one suite depends on. */
export interface SuiteDependencies {
  readonly suite: string
  readonly files: readonly Dependency[]
  /** Glob patterns (`depends_on`), repository-relative. */
  readonly globs: readonly string[]
  /** Config entries it uses that changed since the base (`suites.x`, `prompts.y`, ...). */
  readonly changedEntries: readonly string[]
}

/** What {@link selectSuites} decides from. */
export interface SelectionInput {
  readonly changed: readonly string[]
  readonly suites: readonly SuiteDependencies[]
  /** Suites that always run (`select.always`). */
  readonly always: readonly string[]
  /** A change to the config outside any suite's entries (runner, judge, pricing...): all run. */
  readonly globalChange: { readonly file: string; readonly what: string } | null
}

/**
 * The suites a change affects: every suite when the config changed globally; otherwise each
 * suite whose config entries changed or that depends on a changed file (directly, by a
 * `depends_on` glob, or through the import graph of its provider's entry), plus the `always`
 * suites. Each comes with the reasons, in a stable order.
 */
export function selectSuites(input: SelectionInput): SelectedSuite[] {
  const changed = new Set(input.changed)
  const selected: SelectedSuite[] = []
  for (const suite of input.suites) {
    const reasons: { file: string; why: string }[] = []
    if (input.globalChange !== null) {
      reasons.push({ file: input.globalChange.file, why: input.globalChange.what })
    }
    for (const entry of suite.changedEntries)
      reasons.push({ file: entry, why: 'config entry changed' })
    for (const dep of suite.files)
      if (changed.has(dep.path)) reasons.push({ file: dep.path, why: dep.why })
    if (suite.globs.length > 0) {
      const match = picomatch(suite.globs as string[], { dot: true })
      for (const file of input.changed) {
        if (match(file) && !reasons.some((r) => r.file === file)) {
          reasons.push({ file, why: 'matches depends_on' })
        }
      }
    }
    if (reasons.length === 0 && input.always.includes(suite.suite)) {
      reasons.push({ file: '(select.always)', why: 'always runs' })
    }
    if (reasons.length > 0) selected.push({ suite: suite.suite, reasons: dedupe(reasons) })
  }
  return selected
}

function dedupe(reasons: { file: string; why: string }[]): { file: string; why: string }[] {
  const seen = new Set<string>()
  return reasons.filter((r) => {
    const key = `${r.file}\u0000${r.why}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
