import { describe, expect, it } from 'vitest'
import type { ResultsDocument, SampleResult } from '../../src/contracts/results.js'
import { buildResults } from '../../src/core/eval/aggregate.js'
import { renderJunit } from '../../src/reporters/junit.js'
import { escape, renderMarkdown } from '../../src/reporters/markdown.js'
import { multiplex } from '../../src/reporters/multiplex.js'
import { progressReporter } from '../../src/reporters/progress.js'
import { renderSummary } from '../../src/reporters/terminal.js'
import { silentLogger, createLogger } from '../../src/logger.js'
import { completedRun, sampleResult, suiteInfo } from '../helpers/results.js'

const HOSTILE = '<script>alert(1)</script> & "quotes" | pipes\u0007\u001b[31mred\nline'

function results(output: string, pass: boolean): ResultsDocument {
  const sample = sampleResult({
    suite: 'review',
    caseId: 'xss',
    output,
    pass,
    score: pass ? 1 : 0,
    grades: [
      {
        type: 'icontains',
        pass,
        score: pass ? 1 : 0,
        reason: `output does not contain "${output}"`,
        weight: 1,
      },
    ],
    latencyMs: 12,
  })
  return buildResults({
    run: completedRun(),
    suites: [suiteInfo({ name: 'review', prompt: { name: 'q', version: 'v1' }, threshold: 1 })],
    cases: [
      { suite: 'review', id: 'xss', vars: {}, tags: [], source: { file: 'evals/c.yaml', line: 4 } },
    ],
    samples: [sample],
  })
}

describe('JUnit', () => {
  it('escapes untrusted output and drops characters XML forbids', () => {
    const xml = renderJunit(results(HOSTILE, false))
    expect(xml).not.toContain('<script>')
    expect(xml).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; ')
    expect(xml.includes('\u0007') || xml.includes('\u001b')).toBe(false)
    expect(xml).toContain(
      '<testcase classname="review" name="xss" time="0.012" file="evals/c.yaml" line="4">',
    )
    expect(xml).toContain(
      '<failure message="1/1 samples failed: icontains: output does not contain',
    )
    expect(xml).toContain('<testsuites name="shipgate" tests="1" failures="1" errors="0"')
  })
})

describe('markdown', () => {
  it('neutralizes HTML and table syntax in untrusted text', () => {
    expect(escape('<img src=x onerror=alert(1)> | *x*')).toBe(
      '&lt;img src=x onerror=alert(1)&gt; \\| \\*x\\*',
    )
    const md = renderMarkdown(results(HOSTILE, false))
    expect(md).not.toContain('<script>')
    expect(md).toContain('❌ **Suites below threshold**')
    expect(md).toContain('<summary>1 failing case</summary>')
  })
})

describe('terminal summary', () => {
  it('shows failures with their reasons and never passes control characters through', () => {
    const text = renderSummary(results(HOSTILE, false), 10)
    expect(text).toContain('✗ review › xss (evals/c.yaml:4)')
    expect(text.includes('\u0007') || text.includes('\u001b')).toBe(false)
    expect(text).toMatch(/review\s+1\s+1\s+0\.00 \[0\.00, 0\.79\]/)
  })
})

describe('progress', () => {
  it('writes a plain line every interval when not on a TTY', () => {
    const lines: string[] = []
    let now = 0
    const progress = progressReporter({
      write: (t) => lines.push(t),
      tty: false,
      intervalMs: 1000,
      now: () => now,
    })
    void progress.onRunStart?.({ runId: 'r', suites: [], totalSamples: 4 })
    const sample = { pass: true, costUsd: 0.5 } as SampleResult
    now = 500
    progress.onSample?.(sample)
    expect(lines).toEqual([])
    now = 1000
    progress.onSample?.({ ...sample, pass: false })
    expect(lines).toEqual(['progress: 2/4  passed 1  failed 1  $1.00  eta 1.0 s\n'])
  })
})

describe('multiplex', () => {
  it('logs and disables a reporter that throws, and keeps the others going', async () => {
    const errors: string[] = []
    const seen: string[] = []
    const broken = {
      name: 'broken',
      onSample: () => {
        throw new Error('disk full')
      },
    }
    const fine = {
      name: 'fine',
      onSample: (s: SampleResult) => void seen.push(s.caseId),
      onRunEnd: () => void seen.push('end'),
    }
    const mux = multiplex([broken, fine], createLogger({ write: (l) => errors.push(l) }))
    mux.onSample({ caseId: 'a' } as SampleResult)
    mux.onSample({ caseId: 'b' } as SampleResult)
    await mux.onRunEnd(results('x', true))
    expect(seen).toEqual(['a', 'b', 'end'])
    expect(errors).toEqual(['error: reporter broken failed in onSample and is disabled: disk full'])
    expect(silentLogger.child('x')).toBe(silentLogger)
  })
})
