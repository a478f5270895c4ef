import type { ImportReport } from '../contracts/import.js'

/** An import for people: what was (or would be) written, then every finding at file:line. */
export function renderImport(r: ImportReport): string {
  const out: string[] = []
  const verb = r.checked ? 'would write' : r.written ? 'wrote' : 'did not write'
  out.push(`${r.source} → ${r.out}: ${verb} ${r.files.length} files, ${r.cases} cases`)
  for (const f of r.files) {
    const note =
      f.status === 'same' ? ' (unchanged)' : f.status === 'differs' ? ' (exists, differs)' : ''
    out.push(`  ${f.path}${note}`)
  }
  const unmapped = r.findings.filter((f) => f.kind === 'unmapped')
  const changed = r.findings.filter((f) => f.kind === 'changed')
  if (unmapped.length > 0) out.push(`not mapped (${unmapped.length}):`)
  for (const f of unmapped) out.push(`  ${f.file}:${f.line}: ${f.feature}: ${f.reason}`)
  if (changed.length > 0) out.push(`mapped with a difference to review (${changed.length}):`)
  for (const f of changed) out.push(`  ${f.file}:${f.line}: ${f.feature}: ${f.reason}`)
  if (r.loadIssues.length > 0) {
    out.push('the result does not load in shipgate (nothing written):')
    for (const line of r.loadIssues) out.push(`  ${line}`)
  }
  if (r.findings.length === 0 && r.loadIssues.length === 0) out.push('everything was mapped')
  return `${out.join('\n')}\n`
}
