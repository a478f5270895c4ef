/** What `shipgate select` finds: the suites a change affects, and why. */

/** Why a suite depends on a file: `prompt file`, `case file`, `imported by exec entry`, ... */
export interface Dependency {
  /** Repository-relative path, `/`-separated. */
  readonly path: string
  readonly why: string
}

/** A suite the change selects, with what selected it. */
export interface SelectedSuite {
  readonly suite: string
  readonly reasons: readonly { readonly file: string; readonly why: string }[]
}

/** The selection and what it was made from. */
export interface Selection {
  readonly since: string
  /** The merge base compared with. */
  readonly base: string
  /** Changed files since the base, uncommitted and untracked ones included (repo-relative). */
  readonly changed: readonly string[]
  readonly suites: readonly SelectedSuite[]
  /** Suites of the config the change does not affect. */
  readonly skipped: readonly string[]
}
