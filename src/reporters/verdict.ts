import type { CheckStatus, GateVerdict } from '../contracts/gate.js'
import { oneLine, table } from './format.js'

const MARK: Record<CheckStatus, string> = {
  passed: 'pass',
  failed: 'FAIL',
  approved: 'approved',
  skipped: 'skipped',
}

/** The gate's verdict for the terminal: the checks as a table, newly failing cases, the result. */
export function renderVerdict(verdict: GateVerdict): string {
  const rows = verdict.checks.map((c) => [
    MARK[c.status],
    c.name,
    c.suite ?? '',
    oneLine(c.message, 140),
  ])
  const out = [table([['status', 'check', 'suite', 'detail'], ...rows]), '']
  if (verdict.newlyFailing.length > 0) {
    out.push('Newly failing (passed in the baseline)')
    for (const c of verdict.newlyFailing.slice(0, 20)) {
      const where = c.source === undefined ? '' : ` (${c.source.file}:${c.source.line})`
      out.push(`  ✗ ${c.suite} › ${c.caseId}${where}: ${oneLine(c.reason)}`)
    }
    if (verdict.newlyFailing.length > 20)
      out.push(`  … and ${verdict.newlyFailing.length - 20} more`)
    out.push('')
  }
  const count = (s: CheckStatus) => verdict.checks.filter((c) => c.status === s).length
  const against = verdict.baseline === null ? 'no baseline' : `baseline ${verdict.baseline.runId}`
  out.push(
    `gate ${verdict.pass ? 'passed' : 'FAILED'}: ${count('failed')} failed, ${count('approved')} approved, ${count('skipped')} skipped, ${count('passed')} passed · run ${verdict.run.id} · ${against}`,
    '',
  )
  return out.join('\n')
}
