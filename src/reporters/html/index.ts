/**
 * The self-contained HTML report (`eval -o report.html`, `shipgate report RUN -o report.html`):
 * one file with inline CSS, no script and no request, rendered from a results document and,
 * when there is one, its comparison with the baseline. Every string from a run goes through
 * `html`'s escaping (escape.ts), so model text is shown, never interpreted.
 */
import type { Comparison } from '../../contracts/compare.js'
import type { ResultsDocument } from '../../contracts/results.js'
import { renderComparison } from './comparison.js'
import { html } from './escape.js'
import { page } from './page.js'
import { renderHeader, renderSuites } from './run.js'

export { escapeHtml } from './escape.js'
export { contentSecurityPolicy } from './page.js'

/** What the report shows: a run, and optionally its baseline and their comparison. */
export interface HtmlReportInput {
  readonly results: ResultsDocument
  readonly baseline?: { readonly results: ResultsDocument; readonly comparison: Comparison }
}

/** The whole report as one HTML document. */
export function renderHtmlReport(input: HtmlReportInput): string {
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
