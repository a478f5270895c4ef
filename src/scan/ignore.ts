/**
 * Fingerprints and `.gitleaksignore`: a finding is named `file:rule:line`, and the ignore file
 * at the repository root lists the fingerprints to suppress, one a line, as gitleaks does.
 */

/** The name of the ignore file, at the repository root. */
export const IGNORE_FILE = '.gitleaksignore'

/** A finding's fingerprint: `file:rule:line`, with the file relative to the repository root. */
export function fingerprint(file: string, rule: string, line: number): string {
  return `${file}:${rule}:${line}`
}

/** gitleaks' git-mode fingerprints start with the commit: `commit:file:rule:line`. */
const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64}):/

/**
 * The fingerprints a `.gitleaksignore` lists. Blank lines and `#` comments are skipped; a
 * leading commit (gitleaks' `commit:file:rule:line` form) is dropped, so the entry suppresses the
 * finding wherever the scan sees it.
 */
export function parseIgnoreFile(text: string): Set<string> {
  const entries = new Set<string>()
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    entries.add(line.replace(COMMIT, ''))
  }
  return entries
}
