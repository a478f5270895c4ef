/**
 * The self-contained HTML report (`eval -o report.html`, `shipgate report RUN -o report.html`):
 * one file with inline CSS, no script and no request, rendered from a results document and,
 * when there is one, its comparison with the baseline. Every string from a run goes through
 * `html`'s escaping (escape.ts), so model text is shown, never interpreted.
 */
import type { RunReport } from '../../contracts/compare.js'
import type { ResultsDocument } from '../../contracts/results.js'
import { renderComparison } from './comparison.js'
import { html } from './escape.js'
import { page } from './page.js'
import { renderHeader, renderSuites } from './run.js'

export { escapeHtml } from './escape.js'
export { contentSecurityPolicy } from './page.js'

/** The whole report as one HTML document: the run, and its comparison when it has a baseline. */
export function renderHtmlReport(input: RunReport): string {
  const { results, baseline } = input
  const comparison =
    baseline === undefined
      ? null
      : renderComparison({
          comparison: baseline.comparison,
          baseline: baseline.results,
          current: results,
        })
  return page(
    `shipgate run ${results.run.id}`,
    html`${renderHeader(results)}${comparison}${renderSuites(results)}`,
  )
}

/** The report of a run alone, as the `-o report.html` file reporter writes it. */
export function renderHtml(results: ResultsDocument): string {
  return renderHtmlReport({ results })
}
