/**
 * The compare page: the form naming two runs, then B against A — each suite's paired deltas
 * with their intervals, suites and cases in only one run — and the broken, fixed and flaky
 * cases with both runs' outputs side by side, what changed marked.
 */
import type { SuiteComparison } from '../../contracts/compare.js'
import type { ResultsDocument } from '../../contracts/results.js'
import type {
  CaseChangeKind,
  CompareForm,
  ComparedView,
  CompareView,
} from '../../contracts/view.js'
import { html, type Markup } from '../html/escape.js'
import { formatUsd, percent, signedEstimate } from '../html/format.js'
import { renderChangedCase } from './changed.js'
import { DiffBudget } from './diff.js'
import { compactHtml } from './compact.js'
import { renderViewPage } from './layout.js'
import { runHref } from './case.js'

/** Case ids listed per suite as added or removed before the rest are counted only. */
const IDS_SHOWN = 100

/** The page as HTML. */
export function renderComparePage(view: CompareView): string {
  const c = view.compared
  return compactHtml(
    renderViewPage({
      title: c === null ? 'Compare' : `Compare ${c.b.run.id} with ${c.a.run.id}`,
      section: 'compare',
      body: html`<h1>Compare</h1>
        ${compareForm(view.form)}
        ${view.why === undefined ? null : html`<p class="error" data-field="why">${view.why}</p>`}
        ${c === null ? null : compared(view.form, c)}`,
    }),
  )
}

function compareForm(f: CompareForm): Markup {
  return html`<form class="filters" method="get" action="/compare">
    <label>run A (id, prefix or latest) <input name="a" value="${f.a ?? ''}" /></label>
    <label>run B <input name="b" value="${f.b ?? ''}" /></label>
    <label>baseline branch, when A is empty <input name="base" value="${f.base}" /></label>
    <button type="submit">Compare</button>
  </form>`
}

function compared(form: CompareForm, c: ComparedView): Markup {
  const x = c.comparison
  return html`<section class="runs-compared">
      <p>B ${runLine(c.b)}</p>
      <p>A ${runLine(c.a)}</p>
      ${
        c.baselineBranch === null
          ? null
          : html`<p class="muted">
              A is B's baseline: the newest completed run on branch
              <code>${c.baselineBranch}</code> started before it.
            </p>`
      }
      <p>
        cost ${formatUsd(x.a.costUsd)} → ${formatUsd(x.b.costUsd)} (${percent(x.costChangePct)})
      </p>
    </section>
    <h2>Suites</h2>
    ${deltaTable(x.suites)}
    ${
      x.onlyInA.length === 0
        ? null
        : html`<p data-field="only-in-a">suites only in A: ${x.onlyInA.join(', ')}</p>`
    }
    ${
      x.onlyInB.length === 0
        ? null
        : html`<p data-field="only-in-b">suites only in B: ${x.onlyInB.join(', ')}</p>`
    }
    <h2 id="changed">Changed cases</h2>
    ${changeLinks(form, c)} ${pageLinks(form, c)} ${changedList(c)} ${pageLinks(form, c)}
    ${addedRemoved(x.suites)}`
}

function runLine(doc: ResultsDocument): Markup {
  const { run, summary } = doc
  const git =
    run.git === null
      ? 'no git'
      : `${run.git.branch ?? '(detached)'} @ ${(run.git.commit ?? '?').slice(0, 7)}`
  return html`<a href="${runHref(run.id)}"><code>${run.id}</code></a> · ${git} · started
    ${run.startedAt.replace('T', ' ').slice(0, 19)} · ${run.status} ·
    ${summary.passed}/${summary.samples} samples passed`
}

function deltaTable(suites: readonly SuiteComparison[]): Markup {
  if (suites.length === 0) return html`<p class="empty">No suite ran in both.</p>`
  return html`<table class="list deltas">
    <thead>
      <tr>
        <th>suite</th>
        <th>paired cases</th>
        <th>pass rate A → B</th>
        <th>Δ pass rate [95% CI]</th>
        <th>McNemar p</th>
        <th>Δ score [95% CI]</th>
        <th>cost / case</th>
        <th>p95 latency</th>
        <th>broken</th>
        <th>fixed</th>
        <th>flaky</th>
        <th>unchanged</th>
        <th>added</th>
        <th>removed</th>
      </tr>
    </thead>
    <tbody>
      ${suites.map(deltaRow)}
    </tbody>
  </table>`
}

function deltaRow(s: SuiteComparison): Markup {
  const d = s.delta
  const count = (change: string) => s.cases.filter((x) => x.change === change).length
  return html`<tr data-suite="${s.suite}">
    <td>${s.suite}</td>
    <td>${d.pairedCases}</td>
    <td>${d.passRate.baseline.toFixed(3)} → ${d.passRate.current.toFixed(3)}</td>
    <td>${signedEstimate(d.passRate.difference)}</td>
    <td>${d.passRate.pValue.toFixed(3)}</td>
    <td>${signedEstimate(d.score.difference)}</td>
    <td>
      ${formatUsd(d.costPerCase.baseline)} → ${formatUsd(d.costPerCase.current)}
      (${percent(d.costPerCase.changePct)})
    </td>
    <td>${percent(d.latencyP95.changePct)}</td>
    <td data-count="broken">${count('broken')}</td>
    <td data-count="fixed">${count('fixed')}</td>
    <td data-count="flaky">${count('flaky')}</td>
    <td data-count="unchanged">${count('unchanged')}</td>
    <td data-count="added">${s.added.length}</td>
    <td data-count="removed">${s.removed.length}</td>
  </tr>`
}

/** The compare page's URL for this form, with the defaults left out. */
function compareHref(f: CompareForm, over: Partial<CompareForm>): string {
  const g = { ...f, ...over }
  const params = new URLSearchParams()
  if (g.a !== undefined) params.set('a', g.a)
  if (g.b !== undefined) params.set('b', g.b)
  if (g.a === undefined) params.set('base', g.base)
  if (g.change !== undefined) params.set('change', g.change)
  if (g.page !== 1) params.set('page', String(g.page))
  return `/compare?${params.toString()}#changed`
}

function changeLinks(f: CompareForm, c: ComparedView): Markup {
  const n = c.counts
  const link = (change: CaseChangeKind | undefined, count: number) =>
    html`<a
      href="${compareHref(f, { change, page: 1 })}"
      data-filter="${change ?? 'all'}"
      ${change === f.change ? html`aria-current="true" class="here"` : null}
      >${change ?? 'all'} (${count})</a
    >`
  return html`<nav class="pages changes" aria-label="changes">
    ${link(undefined, n.broken + n.fixed + n.flaky)} ${link('broken', n.broken)}
    ${link('fixed', n.fixed)} ${link('flaky', n.flaky)}
  </nav>`
}

function pageLinks(f: CompareForm, c: ComparedView): Markup | null {
  if (c.pages <= 1) return null
  return html`<nav class="pages" aria-label="pages">
    ${f.page <= 1 ? null : html`<a rel="prev" href="${compareHref(f, { page: f.page - 1 })}">← previous</a>`}
    <span>page ${f.page} of ${c.pages}</span>
    ${f.page >= c.pages ? null : html`<a rel="next" href="${compareHref(f, { page: f.page + 1 })}">next →</a>`}
  </nav>`
}

function changedList(c: ComparedView): Markup {
  if (c.changed.length === 0) return html`<p class="empty">No case changed.</p>`
  const budget = new DiffBudget()
  const runs = { a: c.a.run.id, b: c.b.run.id }
  return html`<div class="changes">
    ${c.changed.map((x) => renderChangedCase(x, runs, budget))}
  </div>`
}

function addedRemoved(suites: readonly SuiteComparison[]): Markup {
  const ids = (list: readonly string[]) =>
    `${list.slice(0, IDS_SHOWN).join(', ')}${list.length > IDS_SHOWN ? ` and ${list.length - IDS_SHOWN} more` : ''}`
  const rows = suites.filter((s) => s.added.length > 0 || s.removed.length > 0)
  if (rows.length === 0) return html``
  return html`<h2>Cases in only one run</h2>
    ${rows.map(
      (s) =>
        html`${s.added.length === 0 ? null : html`<p data-suite="${s.suite}" data-field="added">added in B (${s.suite}): ${ids(s.added)}</p>`}
        ${s.removed.length === 0 ? null : html`<p data-suite="${s.suite}" data-field="removed">removed in B (${s.suite}): ${ids(s.removed)}</p>`}`,
    )}`
}
