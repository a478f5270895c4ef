/** A sample's tool calls and trajectory in the HTML report and the viewer's sample lists. */
import { describe, expect, it } from 'vitest'
import { buildResults } from '../../src/core/eval/aggregate.js'
import { renderHtmlReport } from '../../src/reporters/html/index.js'
import { renderSummary } from '../../src/reporters/terminal.js'
import { renderListSample } from '../../src/reporters/view/sample.js'
import { completedRun, sampleResult, suiteInfo } from '../helpers/results.js'

const HOSTILE = '<script>alert(1)</script>'

const calling = sampleResult({
  caseId: 'weather',
  output: '',
  toolCalls: [
    { id: 'call_1', name: 'get_weather', arguments: { city: 'Paris', note: HOSTILE } },
    { name: 'search', arguments: `{"q": ${HOSTILE}` },
  ],
  trajectory: [{ name: 'search', arguments: { q: 'x' }, result: { hits: 2 }, step: 0 }],
})
const plain = sampleResult({ caseId: 'plain', output: 'just text' })

/** The page with each run of whitespace as one space, as a browser shows it. */
const flat = (text: string) => text.replace(/\s+/g, ' ')

const results = (samples: (typeof calling)[]) =>
  buildResults({
    run: completedRun(),
    suites: [suiteInfo()],
    cases: [
      { suite: 's', id: 'weather', vars: {}, tags: [] },
      { suite: 's', id: 'plain', vars: {}, tags: [] },
    ],
    samples,
  })

describe('tool calls in the HTML report', () => {
  const report = flat(renderHtmlReport({ results: results([calling, plain]) }))

  it('lists every call under the output: name, id and arguments, escaped', () => {
    expect(report).toContain('<code>get_weather</code> <span class="muted">call_1</span>')
    expect(report).toContain(
      '{&quot;city&quot;:&quot;Paris&quot;,&quot;note&quot;:&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;}',
    )
    // Malformed arguments are shown as the raw text the model sent.
    expect(report).toContain('{&quot;q&quot;: &lt;script&gt;alert(1)&lt;/script&gt;')
    expect(report).not.toContain(HOSTILE)
  })

  it('shows the trajectory with each step and its result', () => {
    expect(report).toMatch(/class="trajectory">.*step 1.*<code>search<\/code>/)
    expect(report).toContain('→ {&quot;hits&quot;:2}')
  })

  it('shows no tool-call section for a sample without calls', () => {
    expect(report.match(/class="tool-calls"/g)).toHaveLength(1)
  })
})

describe("tool calls in the viewer's sample lists", () => {
  it('lists the calls after the output', () => {
    const page = flat(renderListSample(calling, null).text)
    expect(page).toMatch(/no output<\/p> <div class="tool-calls">/)
    expect(page).toContain('<code>search</code>')
    expect(page).not.toContain(HOSTILE)
    expect(flat(renderListSample(plain, null).text)).not.toContain('tool-calls')
  })
})

describe('tool calls in the terminal summary', () => {
  it("lists a failing sample's calls under its output, on one line", () => {
    const failing = { ...calling, pass: false, score: 0 }
    const text = renderSummary(results([failing, plain]), 5)
    expect(text).toContain(
      `      calls: get_weather({"city":"Paris","note":"${HOSTILE}"}), search("{\\"q\\": <scr`,
    )
  })
})
