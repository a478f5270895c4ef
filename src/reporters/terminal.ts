import type { CaseResult, ResultsDocument, SuiteResult } from '../contracts/results.js'
import {
  formatEstimate,
  formatMs,
  formatRunCost,
  formatUsd,
  oneLine,
  suiteDetails,
  table,
} from './format.js'
import { VARIANT_HEADER, variantGroups, variantRows } from './variants.js'

/** The final results for the terminal: a table per run, then each failing case with its reasons. */
export function renderSummary(results: ResultsDocument, maxFailures: number): string {
  const out: string[] = []
  const header = [
    'suite',
    'cases',
    'samples',
    'pass rate [95% CI]',
    'score',
    'p50',
    'p95',
    'cost',
    'result',
  ]
  const rows = results.suites.map((s) => [
    oneLine(s.name, 60),
    String(s.stats.cases),
    String(s.stats.samples),
    formatEstimate(s.stats.passRate),
    s.stats.score.value.toFixed(2),
    formatMs(s.stats.latencyMs.p50),
    formatMs(s.stats.latencyMs.p95),
    formatUsd(s.stats.costUsd.total),
    suiteVerdict(s, results),
  ])
  out.push(table([header, ...rows]), '')
  out.push(...variantTables(results.suites))
  for (const suite of results.suites) {
    const details = suiteDetails(suite.stats)
    if (details.length > 0)
      out.push(`${oneLine(suite.name, 60)}:`, ...details.map((d) => `  ${d}`), '')
  }
  const flaky = flakyLines(results.suites, maxFailures)
  if (flaky.length > 0) out.push('Flaky (mixed outcomes over repeats)', ...flaky, '')
  const failures = failureLines(results.suites, maxFailures)
  if (failures.length > 0) out.push('Failures', ...failures, '')
  out.push(runLine(results), '')
  return out.join('\n')
}

/** A side-by-side table of each suite's variants (untrusted names made one safe line each). */
function variantTables(suites: readonly SuiteResult[]): string[] {
  return variantGroups(suites).flatMap((group) => {
    const rows = variantRows(group).map((row) => row.map((cell) => oneLine(cell, 60)))
    return [`${oneLine(group.suite, 60)} variants:`, table([[...VARIANT_HEADER], ...rows]), '']
  })
}

function suiteVerdict(suite: SuiteResult, results: ResultsDocument): string {
  const threshold = `(min ${suite.threshold.toFixed(2)})`
  if (suite.stats.samples === 0) return 'NO RESULTS'
  if (results.run.status !== 'completed')
    return `${suite.pass ? 'pass' : 'FAIL'} so far ${threshold}`
  return `${suite.pass ? 'PASS' : 'FAIL'} ${threshold}`
}

function failureLines(suites: readonly SuiteResult[], max: number): string[] {
  const failing = suites.flatMap((s) =>
    s.cases.filter((c) => c.samples.length > 0 && !c.pass).map((c) => [s, c] as const),
  )
  const lines = failing.slice(0, max).flatMap(([suite, kase]) => caseLines(suite, kase))
  if (failing.length > max)
    lines.push(`  … and ${failing.length - max} more failing cases (see the results file)`)
  return lines
}

function flakyLines(suites: readonly SuiteResult[], max: number): string[] {
  const flaky = suites.flatMap((s) => s.cases.filter((c) => c.flaky).map((c) => [s, c] as const))
  const lines = flaky.slice(0, max).map(([suite, kase]) => {
    const passed = kase.samples.filter((s) => s.pass).length
    return `  ~ ${caseName(suite, kase)}${where(kase)}  ${passed}/${kase.samples.length} samples passed${kase.pass ? '' : ', case fails'}`
  })
  if (flaky.length > max) lines.push(`  … and ${flaky.length - max} more flaky cases`)
  return lines
}

/** `suite › case`: both untrusted (a case id comes from a case file), so one safe line. */
function caseName(suite: SuiteResult, kase: CaseResult): string {
  return `${oneLine(suite.name, 60)} › ${oneLine(kase.id, 120)}`
}

function where(kase: CaseResult): string {
  return kase.source === undefined ? '' : ` (${oneLine(kase.source.file)}:${kase.source.line})`
}

function caseLines(suite: SuiteResult, kase: CaseResult): string[] {
  const rate =
    kase.samples.length > 1
      ? `  ${kase.samples.filter((s) => s.pass).length}/${kase.samples.length} samples passed`
      : ''
  const lines = [`  ✗ ${caseName(suite, kase)}${where(kase)}${rate}`]
  const failed = kase.samples.find((s) => !s.pass)
  if (failed === undefined) return lines
  if (failed.error !== null) {
    lines.push(`      error (${failed.error.kind}): ${oneLine(failed.error.message)}`)
    return lines
  }
  for (const g of failed.grades.filter((g) => !g.pass))
    lines.push(`      ${g.type}: ${oneLine(g.reason)}`)
  if (failed.output !== null) lines.push(`      output: ${oneLine(failed.output, 160)}`)
  const calls = failed.toolCalls ?? []
  if (calls.length > 0) {
    const text = calls.map((c) => `${c.name}(${JSON.stringify(c.arguments) ?? ''})`).join(', ')
    lines.push(`      calls: ${oneLine(text, 160)}`)
  }
  return lines
}

function runLine(results: ResultsDocument): string {
  const s = results.summary
  const status =
    results.run.status === 'completed' ? (s.pass ? 'passed' : 'failed') : results.run.status
  const judge = s.judgeCostUsd === null ? '' : ` · judge cost ${formatUsd(s.judgeCostUsd)}`
  const reused = s.reused === undefined ? '' : ` · ${s.reused} samples reused from the baseline`
  const shard =
    results.run.shard === undefined
      ? ''
      : ` (shard ${results.run.shard.index}/${results.run.shard.count})`
  return `run ${results.run.id}${shard} ${status}: ${s.passed}/${s.samples} samples passed, ${s.errors} errors · cost ${formatRunCost(s)}${judge}${reused} · ${formatMs(s.durationMs)}`
}
