/**
 * The HTML report's renderer: its structure (header, suites, cases failing first, samples with
 * every grade, the comparison), its policy (no script, no URL), and its one escape function.
 */
import { describe, expect, it } from 'vitest'
import { compareRuns } from '../../src/core/gate/compare.js'
import { buildResults } from '../../src/core/eval/aggregate.js'
import { escapeHtml, html } from '../../src/reporters/html/escape.js'
import { contentSecurityPolicy, renderHtmlReport } from '../../src/reporters/html/index.js'
import { completedRun, sampleResult, suiteInfo } from '../helpers/results.js'
import { fixtureResults, HOSTILE } from './fixtures.js'

describe('escapeHtml and html', () => {
  it('escapes every character that means something in content or attributes', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&\`</a>`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;',
    )
  })

  it('escapes interpolated text but not markup it made itself', () => {
    const inner = html`<b>${'<i>'}</b>`
    expect(html`<p title="${'"x'}">${inner}${['<', html`<br />`]}${null}${false}</p>`.text).toBe(
      '<p title="&quot;x"><b>&lt;i&gt;</b>&lt;<br /></p>',
    )
  })
})

describe('renderHtmlReport', () => {
  /** The report with each run of whitespace as one space, as a browser shows it. */
  const flat = (text: string) => text.replace(/\s+/g, ' ')
  const report = flat(renderHtmlReport({ results: fixtureResults() }))

  it('is one document with a strict policy, an inline style and no script or URL', () => {
    expect(report.startsWith('<!doctype html>')).toBe(true)
    expect(report).toContain(`content="${escapeHtml(contentSecurityPolicy())}"`)
    expect(contentSecurityPolicy()).toMatch(/^default-src 'none'; style-src 'sha256-[^']+'/)
    expect(report).not.toMatch(/<script|<img|<svg|<link|<iframe|https?:\/\//i)
  })

  it('has the run header: id, status, git, counts, cost and duration', () => {
    expect(report).toContain('run-0002')
    expect(report).toContain('feature/x @ abcdef012345')
    expect(report).toMatch(/<span data-field="passed">5<\/span> passed/)
    expect(report).toContain('42.5 s')
    expect(report).toContain('$0.0084 + judges $0.00050')
  })

  it('lists each suite with its intervals, and its failing and flaky cases first', () => {
    expect(report).toContain('data-suite="code-review"')
    expect(report).toContain('0.50 [')
    const order = [...report.matchAll(/data-case="([^"]+)" data-status="(\w+)"/g)].map(
      (m) => `${m[1]}:${m[2]}`,
    )
    expect(order).toEqual([
      'xss:fail',
      'csrf:fail',
      'sql-injection:pass',
      'clean-code:pass',
      'long-text:fail',
      'short-text:pass',
    ])
  })

  it('shows every sample with output, grades and reasons, cost, tokens and latency', () => {
    expect(report).toContain('<pre class="output">review of sql-injection</pre>')
    expect(report).toContain('timeout: no answer in 30000 ms')
    expect(report).toContain('llm-rubric')
    expect(report).toContain('tokens 120 in / 40 out · latency 800 ms')
    expect(report).toContain(escapeHtml(HOSTILE))
    expect(report).not.toContain('<script>alert(1)</script>')
  })

  it('compares with a baseline: deltas and the changed cases side by side', () => {
    const current = fixtureResults()
    const base = buildResults({
      run: completedRun({ id: 'base-1' }),
      suites: [suiteInfo({ name: 'code-review' })],
      cases: ['xss', 'sql-injection'].map((id) => ({
        suite: 'code-review',
        id,
        vars: {},
        tags: [],
      })),
      samples: [
        sampleResult({ suite: 'code-review', caseId: 'xss', output: 'old answer' }),
        sampleResult({ suite: 'code-review', caseId: 'sql-injection', pass: false, score: 0 }),
      ],
    })
    const comparison = compareRuns(base, current)
    const out = flat(
      renderHtmlReport({ results: current, baseline: { results: base, comparison } }),
    )
    expect(out).toContain('Against baseline <code>base-1</code>')
    expect(out).toContain('data-change="broken" data-case="xss"')
    expect(out).toContain('data-change="fixed" data-case="sql-injection"')
    expect(out).toContain('<pre class="output">old answer</pre>')
    expect(out).toContain('suites only in this run: summarize')
  })
})
