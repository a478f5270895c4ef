import { describe, expect, it } from 'vitest'
import type { AssertionGrade, ResultsDocument, SampleResult } from '../../src/contracts/results.js'
import { buildResults } from '../../src/core/eval/aggregate.js'
import { renderJunit } from '../../src/reporters/junit.js'
import { renderMarkdown } from '../../src/reporters/markdown.js'
import { renderSummary } from '../../src/reporters/terminal.js'
import { completedRun, sampleResult, suiteInfo } from '../helpers/results.js'

/** Two cases × 4 samples: `steady` always passes, `shaky` passes 3 of 4; judged by g-eval. */
function results(): ResultsDocument {
  const judge = {
    provider: 'openai:gpt-4o-mini',
    calls: 1,
    usage: { input: 900, output: 120, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
    costUsd: 0.0002,
    latencyMs: 30,
    cached: false,
  }
  const sample = (caseId: string, i: number, pass: boolean): SampleResult => {
    const grade: AssertionGrade = {
      type: 'g-eval',
      pass,
      score: pass ? 7 / 9 : 3 / 9,
      value: pass ? 8 : 4,
      reason: pass ? 'overall 8/10' : 'overall 4/10',
      weight: 1,
      judge,
    }
    return sampleResult({
      suite: 'review',
      caseId,
      sample: i,
      output: '{}',
      pass,
      score: grade.score,
      grades: [grade],
      costUsd: 0.001,
      latencyMs: 50,
    })
  }
  return buildResults({
    run: completedRun(),
    suites: [
      suiteInfo({
        name: 'review',
        prompt: { name: 'q', version: 'v1' },
        repeat: 4,
        casePass: 'majority',
        k: 4,
      }),
    ],
    cases: [
      { suite: 'review', id: 'steady', vars: {}, tags: [] },
      { suite: 'review', id: 'shaky', vars: {}, tags: [] },
    ],
    samples: [
      ...[0, 1, 2, 3].map((i) => sample('steady', i, true)),
      ...[0, 1, 2, 3].map((i) => sample('shaky', i, i !== 2)),
    ],
  })
}

describe('reports of repeated, judged suites', () => {
  const doc = results()

  it('the terminal shows pass@k, pass^k, flaky cases, metrics and judge cost', () => {
    const text = renderSummary(doc, 20)
    expect(text).toContain('pass rate [95% CI]')
    expect(text).toMatch(/pass@4 1\.00 \[0\.\d\d, 1\.00\] · pass\^4 0\.50 \[/)
    expect(text).toContain('1 flaky case')
    expect(text).toMatch(/g-eval 7\.\d \[\d\.\d, \d\.\d\]/)
    expect(text).toContain('judge: 8 calls, $0.0016')
    expect(text).toContain('~ review › shaky  3/4 samples passed')
    // The flaky case passes on a majority, so it is not listed under failures.
    expect(text).not.toContain('Failures')
    expect(text).toContain('judge cost $0.0016')
  })

  it('markdown lists flaky cases apart and shows the judge cost', () => {
    const md = renderMarkdown(doc)
    expect(md).toContain('(+ judge $0.0016)')
    expect(md).toContain('1 flaky case (mixed outcomes over repeats)')
    expect(md).toContain('- review › shaky: 3/4 samples passed')
    expect(md).toMatch(/\*\*review\*\*: pass@4 1\.00 \[/)
  })

  it('JUnit carries the intervals as properties and passes a majority case', () => {
    const xml = renderJunit(doc)
    const stats = doc.suites[0]?.stats
    expect(xml).toContain(
      `<property name="pass@4.lower" value="${stats?.passAtK?.passAtK.lower}"/>`,
    )
    expect(xml).toContain(
      `<property name="metric.g-eval" value="${stats?.metrics['g-eval']?.mean.value}"/>`,
    )
    expect(xml).toContain('<property name="cases.flaky" value="1"/>')
    expect(xml).toContain('<property name="judge.calls" value="8"/>')
    expect(xml).not.toContain('<failure')
  })
})
