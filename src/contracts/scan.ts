/**
 * The secret scan's results (`shipgate scan`): what was found where, what was suppressed and
 * what was not read. Nothing here holds a secret: a finding carries its masked form only.
 */

/** A credential found in a file. Positions are 1-based; columns count UTF-16 code units. */
export interface SecretFinding {
  /** The file, relative to the repository root with `/` separators (absolute when outside it). */
  readonly file: string
  readonly line: number
  readonly column: number
  /** Where the secret ends: the position just after its last character. */
  readonly endLine: number
  readonly endColumn: number
  /** The rule that matched: secretlint's rule and message id, e.g. `github/GITHUB_TOKEN`. */
  readonly rule: string
  /** What was found, e.g. "GitHub Token". */
  readonly title: string
  /** The rule's message with the secret masked. */
  readonly message: string
  /** The secret as shown: first 4 characters, `…`, last 2 (fewer for short secrets). */
  readonly masked: string
  /** `file:rule:line`, the form `.gitleaksignore` lists to suppress this finding. */
  readonly fingerprint: string
  /** GitHub code scanning's `security-severity` of the rule ("9.0" is critical). */
  readonly severity: string
  /** The rule's documentation. */
  readonly helpUri: string | undefined
}

/** A file that was not scanned, and why. */
export interface SkippedFile {
  readonly file: string
  readonly reason: 'binary' | 'too-large' | 'unreadable'
}

/** What a scan found, once `.gitleaksignore` and the baseline have been applied. */
export interface ScanReport {
  /** Files read and scanned. */
  readonly filesScanned: number
  /** Findings neither ignored nor in the baseline: each one fails the scan. */
  readonly findings: readonly SecretFinding[]
  /** Findings suppressed by a fingerprint in `.gitleaksignore`. */
  readonly ignored: number
  /** Findings accepted by the baseline (same file, rule and secret). */
  readonly baselined: number
  readonly skipped: readonly SkippedFile[]
  /** The baseline file used (relative to the repository root), if it exists or was written. */
  readonly baseline: string | undefined
  /** Whether this scan wrote the baseline (`--update-baseline`). */
  readonly baselineUpdated: boolean
}
