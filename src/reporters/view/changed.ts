/**
 * One changed case of the compare page: sample by sample, run A's on the left and run B's on
 * the right, the outputs diffed (deletions marked on the left, insertions on the right), each
 * side with its verdict, cost, tokens, latency, error and grades.
 */
import type { SampleResult } from '../../contracts/results.js'
import type { ChangedCase } from '../../contracts/view.js'
import { html, type Markup } from '../html/escape.js'
import { caseHref } from './case.js'
import { diffPair, type DiffBudget } from './diff.js'
import { renderListSample } from './sample.js'

/** Characters of each output the compare page diffs and shows; the case pages show the rest. */
export const DIFF_CHARS = 10_000

const LABELS = { broken: 'fail', fixed: 'pass', flaky: 'flaky' } as const

/** The case as a `<details>`, open, with links to both runs' case pages. */
export function renderChangedCase(
  x: ChangedCase,
  runs: { readonly a: string; readonly b: string },
  budget: DiffBudget,
): Markup {
  const hrefA = caseHref(runs.a, x.suite, x.diff.id)
  const hrefB = caseHref(runs.b, x.suite, x.diff.id)
  const count = Math.max(x.before.samples.length, x.after.samples.length)
  return html`<details
    class="changed"
    data-change="${x.change}"
    data-suite="${x.suite}"
    data-case="${x.diff.id}"
    open
  >
    <summary>
      <span class="${LABELS[x.change]}">${x.change}</span>
      <span class="muted">${x.suite} ›</span> <span class="case-id">${x.diff.id}</span>
      <span class="muted">pass rate ${x.diff.before.toFixed(2)} → ${x.diff.after.toFixed(2)}</span>
      · <a href="${hrefA}" data-run="a">in A</a> · <a href="${hrefB}" data-run="b">in B</a>
    </summary>
    ${Array.from({ length: count }, (_, i) =>
      samplePair(x.before.samples[i], x.after.samples[i], { a: hrefA, b: hrefB }, budget),
    )}
  </details>`
}

function samplePair(
  before: SampleResult | undefined,
  after: SampleResult | undefined,
  hrefs: { readonly a: string; readonly b: string },
  budget: DiffBudget,
): Markup {
  const textA = before?.output ?? ''
  const textB = after?.output ?? ''
  const pair = diffPair(textA.slice(0, DIFF_CHARS), textB.slice(0, DIFF_CHARS), budget)
  return html`<div class="side" data-sample="${(before ?? after)?.sample ?? 0}">
      <div class="before">
        <h4>A</h4>
        ${sideOf(before, pair.before, textA.length, hrefs.a)}
      </div>
      <div class="after">
        <h4>B</h4>
        ${sideOf(after, pair.after, textB.length, hrefs.b)}
      </div>
    </div>
    ${pair.plain === null ? null : html`<p class="muted">${pair.plain}</p>`}`
}

function sideOf(s: SampleResult | undefined, output: Markup, length: number, href: string): Markup {
  if (s === undefined) return html`<p class="muted">no such sample</p>`
  const more =
    length > DIFF_CHARS
      ? html`<p class="muted">
          ${length - DIFF_CHARS} more characters: <a href="${href}">the whole output</a>
        </p>`
      : null
  return renderListSample(s, s.output === null ? null : output, more)
}
