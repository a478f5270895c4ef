import type {
  CheckStatus,
  GateCheck,
  GateVerdict,
  NewlyFailingCase,
  SuiteDelta,
} from '../contracts/gate.js'
import type { CaseResult, Estimate, ResultsDocument, SuiteResult } from '../contracts/results.js'
import { formatMs, formatRunCost, formatUsd, oneLine } from './format.js'
import { safe } from './markdown.js'

export { safe }

/**
 * The pieces of a gate report (PR comment, job summary) as markdown lines, rendered from a
 * verdict and the current run's results. Every piece of untrusted text (case ids, reasons,
 * messages that may quote model output) is clipped to one line and escaped here.
 */

const ICONS = {
  failed: '❌',
  warned: '⚠️',
  approved: '☑️',
  skipped: '⏭️',
  passed: '✅',
} as const satisfies Record<CheckStatus, string>

const ORDER: readonly CheckStatus[] = ['failed', 'warned', 'approved', 'skipped', 'passed']

/** Our own identifiers (run ids, commits, branches) as a code span. */
export function code(text: string): string {
  return `\`${oneLine(text, 80).replace(/`/g, "'")}\``
}

/** `1 case`, `3 cases`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

/** The heading, the verdict with the counts of checks by status, and the approvals in force. */
export function verdictLines(verdict: GateVerdict): string[] {
  const count = (status: CheckStatus): number =>
    verdict.checks.filter((c) => c.status === status).length
  const counts = ORDER.filter((s) => count(s) > 0).map((s) =>
    s === 'failed' ? `**${count(s)} failed**` : `${count(s)} ${s}`,
  )
  const heading = verdict.pass ? '## ✅ shipgate: gate passed' : '## ❌ shipgate: gate failed'
  const total = plural(verdict.checks.length, 'check')
  const lines = [
    heading,
    '',
    counts.length === 0 ? 'no checks' : `${counts.join(' · ')} — ${total}`,
  ]
  const approvals = verdict.approvals.map((a) => `${code(a.key)} (${safe(a.from, 80)})`)
  if (approvals.length > 0) lines.push('', `approved: ${approvals.join(', ')}`)
  return lines
}

/** The table header of {@link checkRows}. */
export const CHECKS_HEADER = [
  '| | check | suite | actual | limit | message |',
  '| :-: | --- | --- | ---: | ---: | --- |',
]

/** One table row per check, failed then warned ones first (so cutting rows keeps them). */
export function checkRows(verdict: GateVerdict): string[] {
  const rank = (c: GateCheck): number => ORDER.indexOf(c.status)
  return [...verdict.checks]
    .sort((a, b) => rank(a) - rank(b))
    .map(
      (c) =>
        `| ${ICONS[c.status]} | ${safe(c.name, 80)} | ${c.suite === undefined ? '—' : safe(c.suite, 60)} | ${num(c.actual)} | ${num(c.limit)} | ${safe(c.message, 300)} |`,
    )
}

/** The table header of {@link deltaRows}. */
export const DELTAS_HEADER = [
  '| suite | pass rate | Δ pass rate [95% CI] | Δ score [95% CI] | cost per case | p95 latency |',
  '| --- | --- | --- | --- | --- | --- |',
]

/** One table row per suite compared with the baseline. */
export function deltaRows(verdict: GateVerdict): string[] {
  return verdict.suites.map((d: SuiteDelta) => {
    const p = d.passRate
    return [
      '',
      safe(d.suite, 60),
      `${p.baseline.toFixed(2)} → ${p.current.toFixed(2)}`,
      `${signedEstimate(p.difference)} (p=${p.pValue.toPrecision(2)})`,
      signedEstimate(d.score.difference),
      change(d.costPerCase, formatUsd),
      change(d.latencyP95, formatMs),
      '',
    ]
      .join(' | ')
      .trim()
  })
}

/** One list item per case that passed in the baseline and fails now. */
export function newlyFailingItems(verdict: GateVerdict): string[] {
  return verdict.newlyFailing.map(
    (c: NewlyFailingCase) =>
      `- **${safe(c.suite, 60)} › ${safe(c.caseId, 120)}**${where(c.source)}: ${safe(c.reason, 400)}`,
  )
}

/** One list item per case of the current run that fails, with its first failing reasons. */
export function failingItems(results: ResultsDocument): string[] {
  return results.suites.flatMap((suite: SuiteResult) =>
    suite.cases
      .filter((c) => c.samples.length > 0 && !c.pass)
      .map(
        (c) =>
          `- **${safe(suite.name, 60)} › ${safe(c.id, 120)}**${where(c.source)}: ${safe(reasonOf(c), 400)}`,
      ),
  )
}

/** What the run measured and cost, in one line. */
export function runSummaryLine(results: ResultsDocument): string {
  const s = results.summary
  const judge = s.judgeCostUsd === null ? '' : ` · judge cost ${formatUsd(s.judgeCostUsd)}`
  const reused =
    s.reused === undefined ? '' : ` · ${plural(s.reused, 'sample')} reused from the baseline`
  return `${plural(s.samples, 'sample')}: ${s.passed} passed, ${s.failed} failed (${plural(s.errors, 'error')}) · cost ${formatRunCost(s)}${judge}${reused} · ${formatMs(s.durationMs)}`
}

/** Run id, commit, baseline run id and shipgate's version, in small print. */
export function footerLine(verdict: GateVerdict, results: ResultsDocument): string {
  const commit = verdict.run.git?.commit ?? results.run.git?.commit
  const parts = [`run ${code(verdict.run.id)}`]
  if (commit) parts.push(`commit ${code(commit.slice(0, 12))}`)
  const b = verdict.baseline
  if (b === null) parts.push('no baseline')
  else {
    const from = b.branch ?? b.file
    const at = b.git?.commit ? ` @ ${code(b.git.commit.slice(0, 12))}` : ''
    parts.push(`baseline ${code(b.runId)}${from === undefined ? '' : ` (${code(from)}${at})`}`)
  }
  parts.push(`shipgate ${results.run.shipgateVersion}`)
  return `<sub>${parts.join(' · ')}</sub>`
}

function where(source: { readonly file: string; readonly line: number } | undefined): string {
  return source === undefined ? '' : ` (${safe(source.file, 160)}:${source.line})`
}

function reasonOf(kase: CaseResult): string {
  const failed = kase.samples.find((s) => !s.pass)
  if (failed === undefined) return 'failed'
  if (failed.error !== null) return `error (${failed.error.kind}): ${failed.error.message}`
  const grades = failed.grades.filter((g) => !g.pass).map((g) => `${g.type}: ${g.reason}`)
  return grades.join('; ') || `score ${failed.score.toFixed(2)} below the case threshold`
}

/** A number of unknown unit, short: integers as they are, others to 3 significant digits. */
function num(n: number | null): string {
  if (n === null) return '—'
  if (Number.isInteger(n) || Math.abs(n) >= 100) return String(Math.round(n))
  return String(Number(n.toPrecision(3)))
}

function signed(n: number, digits = 2): string {
  const text = n.toFixed(digits)
  return Number(text) === 0 ? `+${Math.abs(n).toFixed(digits)}` : n > 0 ? `+${text}` : text
}

function signedEstimate(e: Estimate): string {
  return `${signed(e.value)} [${signed(e.lower)}, ${signed(e.upper)}]`
}

function change(
  m: {
    readonly baseline: number | null
    readonly current: number | null
    readonly changePct: number | null
  },
  format: (n: number | null) => string,
): string {
  const pct = m.changePct === null ? '' : ` (${signed(m.changePct, 0)}%)`
  return `${format(m.baseline)} → ${format(m.current)}${pct}`
}
