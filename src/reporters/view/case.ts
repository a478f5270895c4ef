/**
 * A case as the run pages draw it: in the run page's list, outputs cut at a preview length with
 * a link to the case page; on the case page, every sample whole.
 */
import type { CaseResult, SampleResult } from '../../contracts/results.js'
import type { CaseView, SuiteCase } from '../../contracts/view.js'
import { caseStatus, renderSample, renderVars } from '../html/cases.js'
import { html, type Markup } from '../html/escape.js'
import { badge } from '../html/format.js'
import { compactHtml } from './compact.js'
import { renderViewPage } from './layout.js'
import { renderListSample } from './sample.js'

/** Characters of an output the run page's list shows; the case page shows the rest. */
export const OUTPUT_PREVIEW = 2000

/** `/runs/ID`. */
export function runHref(id: string): string {
  return `/runs/${encodeURIComponent(id)}`
}

/** `/runs/ID/case?suite=S&case=C`. */
export function caseHref(run: string, suite: string, id: string): string {
  return `${runHref(run)}/case?${new URLSearchParams({ suite, case: id }).toString()}`
}

/** One case of the run page's list, a `<details>` open when it fails. */
export function renderCaseItem(run: string, { suite, case: c }: SuiteCase): Markup {
  const status = caseStatus(c)
  const href = caseHref(run, suite, c.id)
  return html`<details
    class="case"
    data-suite="${suite}"
    data-case="${c.id}"
    data-status="${status}"
    ${status === 'fail' ? html`open` : null}
  >
    <summary>
      ${badge(status)} <span class="muted">${suite} ›</span> <span class="case-id">${c.id}</span>
      <span class="muted">${c.passRate.toFixed(2)} of ${c.samples.length} samples</span>
      <a class="case-link" href="${href}">case page</a>
    </summary>
    ${c.description === undefined ? null : html`<p>${c.description}</p>`} ${renderVars(c.vars)}
    ${c.samples.map((s) => previewSample(s, href))}
  </details>`
}

function previewSample(s: SampleResult, href: string): Markup {
  const output = s.output
  if (output === null || output.length <= OUTPUT_PREVIEW)
    return renderListSample(s, output === null ? null : html`${output}`)
  return renderListSample(
    s,
    html`${output.slice(0, OUTPUT_PREVIEW)}…`,
    html`<p class="muted more">
      ${output.length - OUTPUT_PREVIEW} more characters:
      <a href="${href}">the whole output on the case page</a>
    </p>`,
  )
}

/** The case page: the case's vars and every sample, outputs whole. */
export function renderCasePage({ run, suite, case: c }: CaseView): string {
  const status = caseStatus(c)
  return compactHtml(
    renderViewPage({
      title: `${suite} › ${c.id}`,
      section: 'runs',
      body: html`<h1>
          ${badge(status)} <span class="muted">${suite} ›</span>
          <span class="case-id">${c.id}</span>
        </h1>
        <p>
          run <a href="${runHref(run.id)}"><code>${run.id}</code></a> · ${c.passRate.toFixed(2)} of
          ${c.samples.length} samples passed ·
          <a href="/compare?b=${encodeURIComponent(run.id)}">compare with baseline</a>
        </p>
        ${caseFacts(c)} ${renderVars(c.vars)}
        <section class="samples" data-case="${c.id}" data-status="${status}">
          ${c.samples.map(renderSample)}
        </section>`,
    }),
  )
}

function caseFacts(c: CaseResult): Markup {
  return html`${c.description === undefined ? null : html`<p>${c.description}</p>`}
  ${c.tags.length === 0 ? null : html`<p class="muted">tags: ${c.tags.join(', ')}</p>`}
  ${c.source === undefined ? null : html`<p class="muted">declared at ${c.source.file}:${c.source.line}</p>`}`
}
