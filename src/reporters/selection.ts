import type { Selection } from '../contracts/select.js'

/** The selection for people: each selected suite with the files that selected it. */
export function renderSelection(s: Selection): string {
  const files = `${s.changed.length} file${s.changed.length === 1 ? '' : 's'}`
  const out = [`${files} changed since ${s.since} (merge base ${s.base.slice(0, 12)})`]
  if (s.suites.length === 0) out.push('no suite is affected')
  for (const suite of s.suites) {
    out.push(`selected ${suite.suite}`)
    for (const r of suite.reasons.slice(0, 10)) out.push(`  ${r.file}: ${r.why}`)
    if (suite.reasons.length > 10) out.push(`  … and ${suite.reasons.length - 10} more`)
  }
  if (s.skipped.length > 0) out.push(`not affected: ${s.skipped.join(', ')}`)
  return `${out.join('\n')}\n`
}
