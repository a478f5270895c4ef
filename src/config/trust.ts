import { isAbsolute, relative, resolve } from 'node:path'
import type { ConfigIssue } from '../errors.js'
import type { LocatedCase } from './cases.js'
import { clip } from './quote.js'

/** Assertion types whose value is code that runs. */
const CODE_TYPES: ReadonlySet<string> = new Set(['javascript', 'not-javascript'])

/**
 * What a cases file may not do unless its suite sets `trustCases: true`: declare code (a
 * `javascript` assertion or a `transform`, inline or `file://`) or name a file outside the project directory
 * (`file://` resolving outside `root`). Cases files are data — exported from a spreadsheet,
 * generated, contributed — and must not run code or read `/etc/passwd` by being evaluated.
 * Returns an issue at each such assertion.
 */
export function untrustedCaseIssues(
  cases: readonly LocatedCase[],
  where: { suite: string; root: string; casesDir: string },
): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  const hint = `cases files are data: move the assertion into the config, or set \`trustCases: true\` on suite "${where.suite}" if you trust whoever writes this file (docs/security.md)`
  for (const kase of cases) {
    if (kase.config.transform !== undefined) {
      const at = { file: kase.file, ...kase.position }
      issues.push({ ...at, message: 'a transform in a cases file runs code', hint })
    }
    kase.config.assert.forEach((assertion, index) => {
      const at = { file: kase.file, ...kase.assertionPosition(index) }
      if (CODE_TYPES.has(assertion.type) || assertion.transform !== undefined) {
        const what = CODE_TYPES.has(assertion.type)
          ? `a ${assertion.type} assertion`
          : 'a transform'
        issues.push({ ...at, message: `${what} in a cases file runs code`, hint })
        return
      }
      for (const ref of fileRefs(assertion.value)) {
        if (inside(where.root, resolveRef(ref, where.casesDir))) continue
        issues.push({
          ...at,
          message: `"${clip(ref)}" points outside the project directory`,
          hint,
        })
      }
    })
  }
  return issues
}

/** The `file://` strings anywhere in an assertion's value. */
function fileRefs(value: unknown): string[] {
  if (typeof value === 'string') return value.startsWith('file://') ? [value] : []
  if (Array.isArray(value)) return value.flatMap(fileRefs)
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(fileRefs)
  return []
}

function resolveRef(ref: string, baseDir: string): string {
  const path = ref.slice('file://'.length).replace(/:[A-Za-z_$][\w$]*$/, '')
  return isAbsolute(path) ? path : resolve(baseDir, path)
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}
