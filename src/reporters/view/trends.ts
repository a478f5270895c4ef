/**
 * The trends page: the form, four charts (drawn by /assets/view.js with uPlot from the numbers
 * in each chart's `data-series`, since the CSP allows no inline script) and a table of the same
 * numbers, so the page reads without JavaScript.
 */
import type { TrendEstimate, TrendPoint, TrendsView } from '../../contracts/view.js'
import { TREND_RUNS } from '../../contracts/view.js'
import { html, type Markup } from '../html/escape.js'
import { formatMs, formatUsd } from '../html/format.js'
import { renderViewPage } from './layout.js'

/** The charted measures, in page order. */
type Measure = 'passRate' | 'judgeScore' | 'costPerCase' | 'latencyP95'

const CHARTS: readonly {
  readonly measure: Measure
  readonly title: string
  /** How view.js labels the axis: a share (0–1), dollars or milliseconds. */
  readonly unit: 'share' | 'usd' | 'ms'
  readonly format: (v: number) => string
}[] = [
  { measure: 'passRate', title: 'Pass rate', unit: 'share', format: (v) => v.toFixed(3) },
  { measure: 'judgeScore', title: 'Judge score', unit: 'share', format: (v) => v.toFixed(3) },
  { measure: 'costPerCase', title: 'Cost per case', unit: 'usd', format: formatUsd },
  { measure: 'latencyP95', title: 'p95 latency', unit: 'ms', format: formatMs },
]

/** The page as HTML. */
export function renderTrendsPage(view: TrendsView): string {
  const suite = view.filters.suite
  return renderViewPage({
    title: suite === undefined ? 'Trends' : `Trends · ${suite}`,
    section: 'trends',
    scripts: suite === undefined ? ['view.js'] : ['uplot.js', 'view.js'],
    styles: suite === undefined ? [] : ['uplot.css'],
    body: html`<h1>Trends${suite === undefined ? null : html` of <code>${suite}</code>`}</h1>
      ${form(view)} ${suite === undefined ? suiteList(view.suites) : trends(view.points)}`,
  })
}

function form({ filters: f, suites }: TrendsView): Markup {
  return html`<form class="filters" method="get" action="/trends" role="search">
    <label
      >suite
      <select name="suite" data-autosubmit>
        <option value="">pick a suite</option>
        ${suites.map(
          (s) => html`<option value="${s}" ${s === f.suite ? html`selected` : null}>${s}</option>`,
        )}
      </select></label
    >
    <label>branch <input name="branch" value="${f.branch ?? ''}" placeholder="any" /></label>
    <label
      >runs <input name="runs" type="number" min="1" max="${TREND_RUNS.max}" value="${f.runs}"
    /></label>
    <button type="submit">Show</button>
  </form>`
}

function suiteList(suites: readonly string[]): Markup {
  if (suites.length === 0) return html`<p class="empty">No runs yet.</p>`
  return html`<p>Suites of recent runs:</p>
    <ul class="suites">
      ${suites.map((s) => html`<li><a href="/trends?suite=${encodeURIComponent(s)}">${s}</a></li>`)}
    </ul>`
}

function trends(points: readonly TrendPoint[]): Markup {
  return html`<p class="muted">
      ${points.length} completed run${points.length === 1 ? '' : 's'}, oldest first; shaded: the 95%
      interval (docs/view.md says how each is computed).
    </p>
    ${CHARTS.map((c) => chart(c, points))} ${table(points)}`
}

function chart(c: (typeof CHARTS)[number], points: readonly TrendPoint[]): Markup {
  const body = points.some((p) => p[c.measure] !== null)
    ? html`<div
        class="chart"
        data-chart="${c.measure}"
        data-unit="${c.unit}"
        data-label="${c.title}"
        data-series="${JSON.stringify(series(points, c.measure))}"
        role="img"
        aria-label="${c.title} per run, with its 95% interval"
      ></div>`
    : html`<p class="empty">${EMPTY[c.measure]}</p>`
  return html`<section class="trend">
    <h2>${c.title}</h2>
    ${body}
  </section>`
}

/** What a chart with no point says instead. */
const EMPTY: Readonly<Record<Measure, string>> = {
  passRate: 'No samples.',
  judgeScore: 'No judge graded these runs.',
  costPerCase: 'No sample had a price.',
  latencyP95: 'No latency was measured.',
}

/** A chart's columns: start time (Unix seconds), value, lower and upper end (null: none). */
function series(points: readonly TrendPoint[], measure: Measure) {
  const of = (p: TrendPoint) => p[measure]
  return {
    x: points.map((p) => Date.parse(p.startedAt) / 1000),
    y: points.map((p) => of(p)?.value ?? null),
    lower: points.map((p) => of(p)?.lower ?? null),
    upper: points.map((p) => of(p)?.upper ?? null),
  }
}

function table(points: readonly TrendPoint[]): Markup {
  return html`<table class="list trends">
    <thead>
      <tr>
        <th>run</th>
        <th>started (UTC)</th>
        <th>branch</th>
        <th>commit</th>
        <th>cases</th>
        ${CHARTS.map((c) => html`<th>${c.title} [95% interval]</th>`)}
      </tr>
    </thead>
    <tbody>
      ${[...points].reverse().map(
        (p) =>
          html`<tr data-run="${p.runId}">
            <td>
              <a href="/runs/${encodeURIComponent(p.runId)}"><code>${p.runId}</code></a>
            </td>
            <td>${p.startedAt.replace('T', ' ').slice(0, 19)}</td>
            <td>${p.branch ?? ''}</td>
            <td><code>${(p.commit ?? '').slice(0, 7)}</code></td>
            <td>${p.cases}</td>
            ${CHARTS.map((c) => html`<td data-measure="${c.measure}">${cell(p[c.measure], c.format)}</td>`)}
          </tr>`,
      )}
    </tbody>
  </table>`
}

/** `0.920 [0.861, 0.958]`; an unbounded end is `∞`; no value is `-`. */
function cell(e: TrendEstimate | null, format: (v: number) => string): string {
  if (e === null) return '-'
  return `${format(e.value)} [${format(e.lower)}, ${e.upper === null ? '∞' : format(e.upper)}]`
}
