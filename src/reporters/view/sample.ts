/**
 * A sample as the viewer's lists draw it: its verdict, score, cost, tokens and latency, its
 * output and tool calls, error and every grade with its reason and judge. The grades are a list, not the
 * HTML report's table per sample: a page of 100 cases with three samples each parses about
 * twice as fast in Chromium so.
 */
import type { AssertionGrade, SampleResult } from '../../contracts/results.js'
import { html, type Markup } from '../html/escape.js'
import { badge, formatMs, formatUsd } from '../html/format.js'
import { renderToolCalls } from '../html/tool-calls.js'

/** The sample's figures on one line: `sample 2 fail score 0.00 · cost $0.0003 · …`. */
export function sampleLine(s: SampleResult): Markup {
  const tokens = s.usage === null ? '-' : `${s.usage.input} in / ${s.usage.output} out`
  return html`<p>
    sample ${s.sample + 1} ${badge(s.pass ? 'pass' : 'fail')} score ${s.score.toFixed(2)} · cost
    ${formatUsd(s.costUsd)} · tokens ${tokens} · latency
    ${formatMs(s.latencyMs)}${s.cached ? ' · replayed' : ''}${s.reused === true ? ' · reused' : ''}
  </p>`
}

/** The sample with `output` (its output, or a part of it, or a diff) as the output shown. */
export function renderListSample(
  s: SampleResult,
  output: Markup | null,
  after: Markup | null = null,
): Markup {
  return html`<div class="sample" data-sample="${s.sample}">
    ${sampleLine(s)}
    ${output === null ? html`<p class="muted">no output</p>` : html`<pre class="output">${output}</pre>`}
    ${renderToolCalls(s)} ${after}
    ${s.error === null ? null : html`<p class="fail">${s.error.kind}: ${s.error.message}</p>`}
    ${renderGradeList(s.grades)}
  </div>`
}

/** Every grade: verdict, check, score, reason and what its judge cost; nothing without grades. */
export function renderGradeList(grades: readonly AssertionGrade[]): Markup | null {
  if (grades.length === 0) return null
  return html`<ul class="grades">
    ${grades.map(
      (g) =>
        html`<li class="grade">
          ${badge(g.pass ? 'pass' : 'fail')}${g.error === true ? ' error' : ''}
          <code>${g.type}</code>${g.metric === undefined ? '' : ` (${g.metric})`} · score
          ${g.score.toFixed(2)}${g.value === undefined ? '' : ` (${g.value})`} ·
          <span class="reason">${g.reason}</span>
          ${
            g.judge === undefined
              ? null
              : html` · judge
                  <span class="judge"
                    >${g.judge.provider} · ${formatUsd(g.judge.costUsd)} ·
                    ${formatMs(g.judge.latencyMs)}</span
                  >`
          }
        </li>`,
    )}
  </ul>`
}
