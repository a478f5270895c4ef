/**
 * The run against its baseline: per suite the paired deltas with their intervals, then the
 * fixed, broken and flaky cases with both runs' outputs side by side.
 */
import type { CaseDiff, Comparison, SuiteComparison } from '../../contracts/compare.js'
import type { CaseResult, ResultsDocument } from '../../contracts/results.js'
import { renderSample } from './cases.js'
import { html, type Markup } from './escape.js'
import { formatUsd, percent, signedEstimate } from './format.js'

/** The two runs compared and how they were paired. */
export interface ComparedRuns {
  readonly comparison: Comparison
  readonly baseline: ResultsDocument
  readonly current: ResultsDocument
}

const CHANGES = ['broken', 'fixed', 'flaky'] as const

/** The comparison section. */
export function renderComparison({ comparison: c, baseline, current }: ComparedRuns): Markup {
  return html`<section class="comparison">
    <h2>Against baseline <code>${c.a.id}</code></h2>
    <p>cost ${formatUsd(c.a.costUsd)} → ${formatUsd(c.b.costUsd)} (${percent(c.costChangePct)})</p>
    <table>
      <tr>
        <th>suite</th>
        <th>paired</th>
        <th>pass rate</th>
        <th>Δ pass rate [95% CI]</th>
        <th>McNemar p</th>
        <th>Δ score [95% CI]</th>
        <th>cost/case</th>
        <th>p95</th>
        <th>fixed/broken/flaky/same</th>
      </tr>
      ${c.suites.map(deltaRow)}
    </table>
    ${c.onlyInA.length === 0 ? null : html`<p>suites only in the baseline: ${c.onlyInA.join(', ')}</p>`}
    ${c.onlyInB.length === 0 ? null : html`<p>suites only in this run: ${c.onlyInB.join(', ')}</p>`}
    ${c.suites.map((s) => changedCases(s, baseline, current))}
  </section>`
}

function count(s: SuiteComparison, change: string): number {
  return s.cases.filter((x) => x.change === change).length
}

function deltaRow(s: SuiteComparison): Markup {
  const d = s.delta
  return html`<tr data-suite="${s.suite}">
    <td>${s.suite}</td>
    <td>${d.pairedCases}</td>
    <td>${d.passRate.baseline.toFixed(3)} → ${d.passRate.current.toFixed(3)}</td>
    <td>${signedEstimate(d.passRate.difference)}</td>
    <td>${d.passRate.pValue.toFixed(3)}</td>
    <td>${signedEstimate(d.score.difference)}</td>
    <td>${percent(d.costPerCase.changePct)}</td>
    <td>${percent(d.latencyP95.changePct)}</td>
    <td>
      ${count(s, 'fixed')}/${count(s, 'broken')}/${count(s, 'flaky')}/${count(s, 'unchanged')}
    </td>
  </tr>`
}

function changedCases(
  s: SuiteComparison,
  baseline: ResultsDocument,
  current: ResultsDocument,
): Markup {
  const find = (doc: ResultsDocument, id: string) =>
    doc.suites.find((x) => x.name === s.suite)?.cases.find((x) => x.id === id)
  const groups = CHANGES.map((change) => ({
    change,
    cases: s.cases.filter((x) => x.change === change),
  }))
  return html`${groups.map(({ change, cases }) =>
    cases.length === 0
      ? null
      : html`<h3>${change} in ${s.suite}</h3>
          ${cases.map((x) => changedCase(x, find(baseline, x.id), find(current, x.id)))}`,
  )}
  ${s.added.length === 0 ? null : html`<p>only in this run (${s.suite}): ${s.added.join(', ')}</p>`}
  ${s.removed.length === 0 ? null : html`<p>only in the baseline (${s.suite}): ${s.removed.join(', ')}</p>`}`
}

function changedCase(
  x: CaseDiff,
  before: CaseResult | undefined,
  after: CaseResult | undefined,
): Markup {
  return html`<details class="changed" data-change="${x.change}" data-case="${x.id}" open>
    <summary>
      <span class="case-id">${x.id}</span> ${x.before.toFixed(2)} → ${x.after.toFixed(2)}
    </summary>
    <div class="side">
      <div>
        <h4>baseline</h4>
        ${before?.samples.map(renderSample)}
      </div>
      <div>
        <h4>this run</h4>
        ${after?.samples.map(renderSample)}
      </div>
    </div>
  </details>`
}
