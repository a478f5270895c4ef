/** What `shipgate import promptfoo` reports: shared by the import stage and its reporter. */

/**
 * Something an import did not carry over exactly: `unmapped` was left out (with why); `changed`
 * was carried over with a difference to review.
 */
export interface ImportFinding {
  readonly kind: 'unmapped' | 'changed'
  /** The promptfoo file it is in, relative to the promptfoo config's directory. */
  readonly file: string
  /** 1-based line in that file. */
  readonly line: number
  /** The promptfoo feature, e.g. `assert type "python"` or `provider "bedrock:..."`. */
  readonly feature: string
  readonly reason: string
}

/** What happens to a file of the import in the output directory. */
export type ImportFileStatus = 'new' | 'same' | 'differs'

/** What an import did (or, when checked, would do). */
export interface ImportReport {
  /** The promptfoo config read, as given or found. */
  readonly source: string
  /** The output directory (absolute). */
  readonly out: string
  /** `--check`: nothing was to be written. */
  readonly checked: boolean
  /** Every file of the import and its status before writing. */
  readonly files: readonly { readonly path: string; readonly status: ImportFileStatus }[]
  /** Whether the files were written (false when checked, or when the result does not load). */
  readonly written: boolean
  /** Cases of the imported suite, as shipgate loads them. */
  readonly cases: number
  /** What was not carried over (or carried over with a difference), with file:line. */
  readonly findings: readonly ImportFinding[]
  /** shipgate's loader's issues with the result; empty when it loads (the expected case). */
  readonly loadIssues: readonly string[]
}
