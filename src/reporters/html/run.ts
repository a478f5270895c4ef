/** The run's header and each suite's statistics with their intervals. */
import type { ResultsDocument, SuiteResult, SuiteStats } from '../../contracts/results.js'
import { formatRunCost } from '../format.js'
import { renderCases } from './cases.js'
import { html, type Markup } from './escape.js'
import { badge, estimate, formatMs, formatUsd } from './format.js'

/** Id, status, git, pass/fail, counts, cost and duration of the run. */
export function renderHeader(results: ResultsDocument): Markup {
  const { run, summary } = results
  const git =
    run.git === null
      ? 'no git'
      : `${run.git.branch ?? '(detached)'} @ ${(run.git.commit ?? '?').slice(0, 12)}${run.git.dirty ? ' (dirty)' : ''}`
  return html`<header>
    <h1>shipgate run <code>${run.id}</code> ${badge(summary.pass ? 'pass' : 'fail')}</h1>
    <dl class="header">
      <dt>status</dt>
      <dd data-field="status">${run.status}</dd>
      <dt>git</dt>
      <dd>${git}</dd>
      <dt>started</dt>
      <dd>${run.startedAt}</dd>
      <dt>suites</dt>
      <dd>${summary.suites}</dd>
      <dt>cases</dt>
      <dd>${summary.cases}</dd>
      <dt>samples</dt>
      <dd>
        ${summary.samples}: <span data-field="passed">${summary.passed}</span> passed,
        <span data-field="failed">${summary.failed}</span> failed, ${summary.errors} errors
      </dd>
      <dt>cost</dt>
      <dd>
        ${formatRunCost(summary)}${summary.judgeCostUsd === null ? '' : ` + judges ${formatUsd(summary.judgeCostUsd)}`}
      </dd>
      <dt>duration</dt>
      <dd>${formatMs(summary.durationMs)}</dd>
      <dt>shipgate</dt>
      <dd>${run.shipgateVersion}</dd>
    </dl>
  </header>`
}

/** Every suite: its statistics, then its cases. */
export function renderSuites(results: ResultsDocument): Markup {
  return html`<h2>Suites</h2>
    ${results.suites.map(renderSuite)}`
}

/** The header cells of a suite's statistics, as {@link suiteStatCells} fills them. */
export const SUITE_STAT_HEADERS: Markup = html`<th>cases</th>
  <th>passed cases</th>
  <th>flaky</th>
  <th>samples</th>
  <th>pass rate [95% CI]</th>
  <th>score [95% CI]</th>
  <th>p50 / p95</th>
  <th>cost</th>
  <th>cost / case</th>
  <th>tokens in / out</th>`

/** A suite's statistics as table cells: counts, rates with intervals, latency, cost, tokens. */
export function suiteStatCells(s: SuiteStats): Markup {
  return html`<td>${s.cases}</td>
    <td>${s.casesPassed}</td>
    <td>${s.flaky}</td>
    <td>${s.samples}</td>
    <td>${estimate(s.passRate)}</td>
    <td>${estimate(s.score)}</td>
    <td>${formatMs(s.latencyMs.p50)} / ${formatMs(s.latencyMs.p95)}</td>
    <td>${formatUsd(s.costUsd.total)}</td>
    <td>${formatUsd(s.costUsd.perCase)}</td>
    <td>${s.usage.input} / ${s.usage.output}</td>`
}

function renderSuite(suite: SuiteResult): Markup {
  const s = suite.stats
  return html`<section class="suite" data-suite="${suite.name}">
    <h3>${suite.name} ${badge(suite.pass ? 'pass' : 'fail')}</h3>
    <p class="muted">
      ${suite.provider.id} · prompt ${suite.prompt.name}@${suite.prompt.version} · threshold
      ${suite.threshold} · repeat ${suite.repeat}
    </p>
    <table>
      <tr>
        ${SUITE_STAT_HEADERS}
      </tr>
      <tr>
        ${suiteStatCells(s)}
      </tr>
    </table>
    ${renderMetrics(suite)} ${renderCases(suite)}
  </section>`
}

function renderMetrics(suite: SuiteResult): Markup | null {
  const metrics = Object.entries(suite.stats.metrics)
  if (metrics.length === 0) return null
  return html`<table class="metrics">
    <tr>
      <th>metric</th>
      <th>mean [95% CI]</th>
      <th>pass rate</th>
      <th>samples</th>
    </tr>
    ${metrics.map(
      ([name, m]) =>
        html`<tr>
          <td>${name}</td>
          <td>${estimate(m.mean)}</td>
          <td>${m.passRate.toFixed(2)}</td>
          <td>${m.samples}</td>
        </tr>`,
    )}
  </table>`
}
