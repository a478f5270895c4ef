/** A suite's cases, failing and flaky first, each with its vars and its samples. */
import type {
  AssertionGrade,
  CaseResult,
  SampleResult,
  SuiteResult,
} from '../../contracts/results.js'
import { html, type Markup } from './escape.js'
import { badge, formatMs, formatUsd, varText } from './format.js'
import { renderToolCalls } from './tool-calls.js'

/** Failing cases first, then flaky ones, then the rest; declaration order within each. */
export function orderCases(cases: readonly CaseResult[]): CaseResult[] {
  const rank = (c: CaseResult) => (!c.pass ? 0 : c.flaky ? 1 : 2)
  return cases
    .map((c, i) => ({ c, i }))
    .sort((x, y) => rank(x.c) - rank(y.c) || x.i - y.i)
    .map((x) => x.c)
}

/** The cases of `suite`, each a `<details>`; failing ones open. */
export function renderCases(suite: SuiteResult): Markup {
  return html`<div class="cases">${orderCases(suite.cases).map(renderCase)}</div>`
}

/** `pass`, `fail` or `flaky` for a case. */
export function caseStatus(c: CaseResult): 'pass' | 'fail' | 'flaky' {
  return !c.pass ? 'fail' : c.flaky ? 'flaky' : 'pass'
}

function renderCase(c: CaseResult): Markup {
  const status = caseStatus(c)
  return html`<details
    class="case"
    data-case="${c.id}"
    data-status="${status}"
    ${status === 'fail' ? html` open` : null}
  >
    <summary>
      ${badge(status)} <span class="case-id">${c.id}</span>
      <span class="muted">${c.passRate.toFixed(2)} of ${c.samples.length} samples</span>
    </summary>
    ${c.description === undefined ? null : html`<p>${c.description}</p>`} ${renderVars(c.vars)}
    ${c.samples.map(renderSample)}
  </details>`
}

/** A case's vars as a table; nothing when it has none. */
export function renderVars(vars: Readonly<Record<string, unknown>>): Markup | null {
  const entries = Object.entries(vars)
  if (entries.length === 0) return null
  return html`<table class="vars">
    <tr>
      <th>var</th>
      <th>value</th>
    </tr>
    ${entries.map(
      ([k, v]) =>
        html`<tr>
          <td>${k}</td>
          <td><pre>${varText(v)}</pre></td>
        </tr>`,
    )}
  </table>`
}

/** One sample: its output and tool calls, error, grades, cost, tokens and latency. */
export function renderSample(s: SampleResult): Markup {
  const tokens = s.usage === null ? '-' : `${s.usage.input} in / ${s.usage.output} out`
  return html`<div class="sample" data-sample="${s.sample}">
    <p>
      sample ${s.sample + 1} ${badge(s.pass ? 'pass' : 'fail')} score ${s.score.toFixed(2)} · cost
      ${formatUsd(s.costUsd)} · tokens ${tokens} · latency
      ${formatMs(s.latencyMs)}${s.cached ? ' · replayed' : ''}${s.reused === true ? ' · reused' : ''}
    </p>
    ${s.output === null ? html`<p class="muted">no output</p>` : html`<pre class="output">${s.output}</pre>`}
    ${renderToolCalls(s)}
    ${s.error === null ? null : html`<p class="fail">${s.error.kind}: ${s.error.message}</p>`}
    ${renderGrades(s.grades)}
  </div>`
}

function renderGrades(grades: readonly AssertionGrade[]): Markup | null {
  if (grades.length === 0) return null
  return html`<table class="grades">
    <tr>
      <th>check</th>
      <th>result</th>
      <th>score</th>
      <th>reason</th>
      <th>judge</th>
    </tr>
    ${grades.map(
      (g) =>
        html`<tr class="grade">
          <td>${g.type}${g.metric === undefined ? '' : ` (${g.metric})`}</td>
          <td>${badge(g.pass ? 'pass' : 'fail')}${g.error === true ? ' error' : ''}</td>
          <td>${g.score.toFixed(2)}${g.value === undefined ? '' : ` (${g.value})`}</td>
          <td class="reason">${g.reason}</td>
          <td>
            ${g.judge === undefined ? '-' : `${g.judge.provider} · ${formatUsd(g.judge.costUsd)} · ${formatMs(g.judge.latencyMs)}`}
          </td>
        </tr>`,
    )}
  </table>`
}
