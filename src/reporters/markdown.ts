import type { CaseResult, ResultsDocument, SuiteResult } from '../contracts/results.js'
import { noMentions, plainText } from '../utils/sanitize.js'
import {
  formatEstimate,
  formatMs,
  formatRunCost,
  formatUsd,
  oneLine,
  suiteDetails,
} from './format.js'
import { VARIANT_HEADER, variantGroups, variantRows } from './variants.js'

/**
 * A markdown summary of a run: the verdict first, a table of suites, then failing cases in a
 * collapsed block. Untrusted text (case ids, reasons, messages) is one escaped, clipped line:
 * it must not inject markup, drive a terminal, reorder text or mention anyone.
 */
export function renderMarkdown(results: ResultsDocument): string {
  const s = results.summary
  const verdict =
    results.run.status !== 'completed'
      ? `⚠️ **Run ${results.run.status}**`
      : s.pass
        ? '✅ **All suites passed**'
        : '❌ **Suites below threshold**'
  const lines = [
    '## shipgate eval',
    '',
    `${verdict} — ${s.passed}/${s.samples} samples passed, ${s.errors} errors, cost ${formatRunCost(s)}${s.judgeCostUsd === null ? '' : ` (+ judge ${formatUsd(s.judgeCostUsd)})`}${s.reused === undefined ? '' : `, ${s.reused} samples reused from the baseline`}, ${formatMs(s.durationMs)}`,
    '',
    '| suite | cases | pass rate [95% CI] | threshold | score | p95 latency | cost | result |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | --- |',
    ...results.suites.map(suiteRow),
    '',
    ...variantTables(results.suites),
  ]
  for (const suite of results.suites) {
    const details = suiteDetails(suite.stats)
    if (details.length > 0) {
      // Our own figures and the config's metric names: no untrusted text to escape.
      lines.push(`**${escape(suite.name)}**: ${details.join(' · ')}`, '')
    }
  }
  const flaky = results.suites.flatMap((suite) =>
    suite.cases.filter((c) => c.flaky).map((c) => flakyItem(suite, c)),
  )
  if (flaky.length > 0) {
    lines.push(
      '<details>',
      `<summary>${flaky.length} flaky case${flaky.length === 1 ? '' : 's'} (mixed outcomes over repeats)</summary>`,
      '',
      ...flaky,
      '',
      '</details>',
      '',
    )
  }
  const failing = results.suites.flatMap((suite) =>
    suite.cases.filter((c) => c.samples.length > 0 && !c.pass).map((c) => failureItem(suite, c)),
  )
  if (failing.length > 0) {
    lines.push(
      '<details>',
      `<summary>${failing.length} failing case${failing.length === 1 ? '' : 's'}</summary>`,
      '',
      ...failing,
      '',
      '</details>',
      '',
    )
  }
  lines.push(
    `<sub>run \`${results.run.id}\`${results.run.git?.commit ? ` · commit \`${results.run.git.commit.slice(0, 12)}\`` : ''} · shipgate ${results.run.shipgateVersion}</sub>`,
    '',
  )
  return lines.join('\n')
}

/**
 * Each suite's variants side by side, in markdown; every cell escaped (names come from the
 * config). Nothing for a run without variants.
 */
export function variantTables(suites: readonly SuiteResult[]): string[] {
  return variantGroups(suites).flatMap((group) => [
    `**${safe(group.suite, 60)}** variants:`,
    '',
    `| ${VARIANT_HEADER.join(' | ')} |`,
    '| --- | --- | --- | --- | ---: | ---: | ---: |',
    ...variantRows(group).map((row) => `| ${row.map((cell) => safe(cell, 80)).join(' | ')} |`),
    '',
  ])
}

function suiteRow(suite: SuiteResult): string {
  const st = suite.stats
  const result = st.samples === 0 ? '—' : suite.pass ? '✅' : '❌'
  return `| ${escape(suite.name)} | ${st.cases} | ${formatEstimate(st.passRate)} | ${suite.threshold.toFixed(2)} | ${st.score.value.toFixed(2)} | ${formatMs(st.latencyMs.p95)} | ${formatUsd(st.costUsd.total)} | ${result} |`
}

function flakyItem(suite: SuiteResult, kase: CaseResult): string {
  const passed = kase.samples.filter((s) => s.pass).length
  return `- ${escape(suite.name)} › ${safe(kase.id, 120)}: ${passed}/${kase.samples.length} samples passed${kase.pass ? '' : ' (case fails)'}`
}

function failureItem(suite: SuiteResult, kase: CaseResult): string {
  const where =
    kase.source === undefined ? '' : ` (${safe(kase.source.file, 200)}:${kase.source.line})`
  const failed = kase.samples.find((s) => !s.pass)
  const reasons =
    failed === undefined
      ? []
      : failed.error !== null
        ? [`error (${failed.error.kind}): ${safe(failed.error.message, 400)}`]
        : failed.grades.filter((g) => !g.pass).map((g) => `\`${g.type}\`: ${safe(g.reason, 400)}`)
  return [
    `- **${escape(suite.name)} › ${safe(kase.id, 120)}**${where}`,
    ...reasons.map((r) => `  - ${r}`),
  ].join('\n')
}

/** Untrusted text as one escaped line of at most `max` characters (before escaping). */
export function safe(text: string, max = 200): string {
  return escape(oneLine(text, max))
}

/**
 * Escapes text for markdown table cells and inline text: HTML is neutralized, line breaks
 * become spaces, control and bidi characters �, and @-mentions notify nobody.
 */
export function escape(text: string): string {
  return noMentions(plainText(text.replace(/\r\n|[\n\r\u2028\u2029]/g, ' ')))
    .replace(/([\\`*_[\]])/g, '\\$1')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
}
