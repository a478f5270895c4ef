/** A sample's tool calls and trajectory, shown under its output. */
import type { ToolCall } from '../../contracts/provider.js'
import type { SampleResult } from '../../contracts/results.js'
import { html, type Markup } from './escape.js'
import { varText } from './format.js'

/** The sample's calls, then its trajectory; nothing when it has neither. */
export function renderToolCalls(s: Pick<SampleResult, 'toolCalls' | 'trajectory'>): Markup | null {
  const calls = s.toolCalls ?? []
  const steps = s.trajectory ?? []
  if (calls.length === 0 && steps.length === 0) return null
  return html`${calls.length === 0 ? null : callList('tool calls', 'tool-calls', calls)}
  ${steps.length === 0 ? null : callList('trajectory', 'trajectory', steps)}`
}

function callList(title: string, kind: string, calls: readonly ToolCall[]): Markup {
  return html`<div class="${kind}">
    <p class="muted">${title}</p>
    <ol>
      ${calls.map(
        (c) =>
          html`<li class="tool-call">
            ${c.step === undefined ? null : html`<span class="muted">step ${c.step + 1}</span> `}<code>${c.name}</code>${c.id === undefined ? null : html` <span class="muted">${c.id}</span>`}
            <pre class="args">${varText(c.arguments)}</pre>
            ${
              c.result === undefined ? null : html`<pre class="result">→ ${varText(c.result)}</pre>`
            }
          </li>`,
      )}
    </ol>
  </div>`
}
