/** The runs page: the filter form, a table of runs, and links to the pages either side. */
import type { StoredRun } from '../../contracts/store.js'
import { RUNS_PER_PAGE, type RunsView } from '../../contracts/view.js'
import { html, type Markup } from '../html/escape.js'
import { badge, formatMs, formatUsd } from '../html/format.js'
import { renderViewPage } from './layout.js'

/** The page as HTML. */
export function renderRunsPage(view: RunsView): string {
  return renderViewPage({
    title: 'Runs',
    section: 'runs',
    body: html`<h1>Runs</h1>
      ${filterForm(view)}
      ${view.runs.length === 0 ? html`<p class="empty">No runs match.</p>` : runsTable(view.runs)}
      ${pageLinks(view)}`,
  })
}

function filterForm({ filters: f, statuses }: RunsView): Markup {
  return html`<form class="filters" method="get" action="/" role="search">
    <label>branch <input name="branch" value="${f.branch ?? ''}" /></label>
    <label>suite <input name="suite" value="${f.suite ?? ''}" /></label>
    <label
      >status
      <select name="status">
        <option value="">any</option>
        ${statuses.map(
          (s) => html`<option value="${s}" ${s === f.status ? html`selected` : null}>${s}</option>`,
        )}
      </select></label
    >
    <label>from <input name="from" type="date" value="${f.from ?? ''}" /></label>
    <label>to <input name="to" type="date" value="${f.to ?? ''}" /></label>
    <button type="submit">Filter</button>
    <a href="/">clear</a>
  </form>`
}

function runsTable(runs: readonly StoredRun[]): Markup {
  return html`<table class="list runs">
    <thead>
      <tr>
        <th>run</th>
        <th>status</th>
        <th>result</th>
        <th>started (UTC)</th>
        <th>branch</th>
        <th>commit</th>
        <th>suites</th>
        <th>cases</th>
        <th>passed / failed</th>
        <th>cost</th>
        <th>duration</th>
        <th></th>
      </tr>
    </thead>
    <tbody>
      ${runs.map(runRow)}
    </tbody>
  </table>`
}

function runRow(run: StoredRun): Markup {
  const s = run.summary
  const suites = run.suites.map((x) => x.name)
  const href = `/runs/${encodeURIComponent(run.id)}`
  return html`<tr data-run="${run.id}">
    <td>
      <a href="${href}"><code>${run.id}</code></a>
    </td>
    <td>${run.status}</td>
    <td>${s === null ? '' : badge(s.pass ? 'pass' : 'fail')}</td>
    <td>${run.startedAt.replace('T', ' ').slice(0, 19)}</td>
    <td>${run.git?.branch ?? ''}</td>
    <td><code>${(run.git?.commit ?? '').slice(0, 7)}</code></td>
    <td class="wrap">
      ${suites.slice(0, 3).join(', ')}${suites.length > 3 ? ` +${suites.length - 3}` : ''}
    </td>
    <td>${s?.cases ?? ''}</td>
    <td>${s === null ? '' : `${s.passed} / ${s.failed}`}</td>
    <td>${s === null ? '' : formatUsd(s.costUsd)}</td>
    <td>${s === null ? '' : formatMs(s.durationMs)}</td>
    <td><a href="/compare?b=${encodeURIComponent(run.id)}">vs baseline</a></td>
  </tr>`
}

function pageLinks(view: RunsView): Markup {
  const link = (name: 'newer' | 'older', cursor: string) => {
    const params = new URLSearchParams()
    const f = view.filters
    for (const [key, value] of Object.entries({
      branch: f.branch,
      suite: f.suite,
      status: f.status,
      from: f.from,
      to: f.to,
    }))
      if (value !== undefined) params.set(key, value)
    if (f.limit !== RUNS_PER_PAGE) params.set('limit', String(f.limit))
    params.set(name, cursor)
    return `/?${params.toString()}`
  }
  return html`<nav class="pages" aria-label="pages">
    ${view.newer === null ? null : html`<a href="/">newest</a><a rel="prev" href="${link('newer', view.newer)}">← newer</a>`}
    ${view.older === null ? null : html`<a rel="next" href="${link('older', view.older)}">older →</a>`}
  </nav>`
}
