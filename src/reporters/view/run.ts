/**
 * The run page: the run's header and links, each suite's statistics with their intervals, its
 * metrics, then one page of its cases (failing first) with the filter form and page links.
 */
import type { SuiteResult } from '../../contracts/results.js'
import type { CaseFilters, CaseStatus, RunView } from '../../contracts/view.js'
import { html, type Markup } from '../html/escape.js'
import { badge, estimate, formatUsd } from '../html/format.js'
import { renderHeader, SUITE_STAT_HEADERS, suiteStatCells } from '../html/run.js'
import { renderCaseItem, runHref } from './case.js'
import { compactHtml } from './compact.js'
import { renderViewPage } from './layout.js'

/** The page as HTML. */
export function renderRunPage(view: RunView): string {
  const { run } = view.results
  return compactHtml(
    renderViewPage({
      title: `Run ${run.id}`,
      section: 'runs',
      body: html`${renderHeader(view.results)} ${runLinks(view)}
        <h2>Suites</h2>
        ${suitesTable(view)} ${metricsTable(view.results.suites)}
        <h2 id="cases">Cases</h2>
        ${filterForm(view)} ${statusLinks(view)} ${pageLinks(view)}
        ${
          view.cases.length === 0
            ? html`<p class="empty">No cases match.</p>`
            : html`<div class="cases">${view.cases.map((c) => renderCaseItem(run.id, c))}</div>`
        }
        ${pageLinks(view)}`,
    }),
  )
}

function runLinks({ results: { run } }: RunView): Markup {
  const branch = run.git?.branch ?? null
  const runs = (q: Record<string, string>) => `/?${new URLSearchParams(q).toString()}`
  return html`<p class="links">
    <a class="compare-link" href="/compare?b=${encodeURIComponent(run.id)}"
      >compare with baseline</a
    >
    ${
      branch === null
        ? null
        : html` · runs on <a href="${runs({ branch })}">${branch}</a> ·
            <a href="${runs({ branch, status: 'completed' })}">completed runs on ${branch}</a>`
    }
  </p>`
}

function suitesTable(view: RunView): Markup {
  return html`<table class="list suites">
    <thead>
      <tr>
        <th>suite</th>
        <th>result</th>
        ${SUITE_STAT_HEADERS}
        <th>judges</th>
      </tr>
    </thead>
    <tbody>
      ${view.results.suites.map((s) => suiteRow(view, s))}
    </tbody>
  </table>`
}

function suiteRow(view: RunView, suite: SuiteResult): Markup {
  const s = suite.stats
  const href = casesHref(view, { suite: suite.name, status: 'all', q: undefined, page: 1 })
  return html`<tr data-suite="${suite.name}">
    <td><a href="${href}">${suite.name}</a></td>
    <td>${badge(suite.pass ? 'pass' : 'fail')}</td>
    ${suiteStatCells(s)}
    <td>${s.judge.calls === 0 ? '-' : `${s.judge.calls} calls · ${formatUsd(s.judge.costUsd)}`}</td>
  </tr>`
}

function metricsTable(suites: readonly SuiteResult[]): Markup | null {
  const rows = suites.flatMap((s) =>
    Object.entries(s.stats.metrics).map(([name, m]) => ({ s, name, m })),
  )
  if (rows.length === 0) return null
  return html`<table class="list metrics">
    <thead>
      <tr>
        <th>suite</th>
        <th>metric</th>
        <th>mean [95% CI]</th>
        <th>pass rate</th>
        <th>samples</th>
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        ({ s, name, m }) =>
          html`<tr>
            <td>${s.name}</td>
            <td>${name}</td>
            <td>${estimate(m.mean)}</td>
            <td>${m.passRate.toFixed(2)}</td>
            <td>${m.samples}</td>
          </tr>`,
      )}
    </tbody>
  </table>`
}

/** The run page's URL with these filters (the defaults left out). */
function casesHref(view: RunView, f: CaseFilters): string {
  const params = new URLSearchParams()
  if (f.status !== 'all') params.set('status', f.status)
  if (f.suite !== undefined) params.set('suite', f.suite)
  if (f.q !== undefined) params.set('q', f.q)
  if (f.page !== 1) params.set('page', String(f.page))
  const query = params.toString()
  return `${runHref(view.results.run.id)}${query === '' ? '' : `?${query}`}#cases`
}

function filterForm(view: RunView): Markup {
  const f = view.filters
  const option = (value: string, label: string, selected: boolean) =>
    html`<option value="${value}" ${selected ? html`selected` : null}>${label}</option>`
  return html`<form
    class="filters"
    method="get"
    action="${runHref(view.results.run.id)}#cases"
    role="search"
  >
    <label
      >status
      <select name="status">
        ${(['all', 'fail', 'flaky', 'pass'] as const).map((s) => option(s, s, s === f.status))}
      </select></label
    >
    <label
      >suite
      <select name="suite">
        ${option('', 'all', f.suite === undefined)}
        ${view.results.suites.map((s) => option(s.name, s.name, s.name === f.suite))}
      </select></label
    >
    <label>search id, vars, output <input name="q" type="search" value="${f.q ?? ''}" /></label>
    <button type="submit">Filter</button>
    <a href="${runHref(view.results.run.id)}#cases">clear</a>
  </form>`
}

function statusLinks(view: RunView): Markup {
  const f = view.filters
  const all = view.counts.fail + view.counts.flaky + view.counts.pass
  const link = (status: CaseStatus | 'all', count: number) =>
    html`<a
      href="${casesHref(view, { ...f, status, page: 1 })}"
      data-filter="${status}"
      ${status === f.status ? html`aria-current="true" class="here"` : null}
      >${status} (${count})</a
    >`
  return html`<nav class="pages status" aria-label="case status">
    ${link('all', all)} ${link('fail', view.counts.fail)} ${link('flaky', view.counts.flaky)}
    ${link('pass', view.counts.pass)}
  </nav>`
}

function pageLinks(view: RunView): Markup | null {
  const f = view.filters
  if (view.pages <= 1) return null
  const to = (page: number) => casesHref(view, { ...f, page })
  return html`<nav class="pages" aria-label="pages">
    ${
      f.page <= 1
        ? null
        : html`<a href="${to(1)}">first</a><a rel="prev" href="${to(f.page - 1)}">← previous</a>`
    }
    <span data-field="page">page ${f.page} of ${view.pages} (${view.matched} cases)</span>
    ${
      f.page >= view.pages
        ? null
        : html`<a rel="next" href="${to(f.page + 1)}">next →</a
            ><a href="${to(view.pages)}">last</a>`
    }
  </nav>`
}
