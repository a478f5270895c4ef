import { describe, expect, it } from 'vitest'
import { renderJobSummary } from '../../src/reporters/github.js'
import { renderJunit } from '../../src/reporters/junit.js'
import {
  PR_COMMENT_MARKER,
  prCommentMarker,
  renderPrComment,
} from '../../src/reporters/pr-comment.js'
import {
  fixtureResults,
  fixtureVerdict,
  fixtureVerdictWithoutBaseline,
  HOSTILE,
} from './fixtures.js'

describe('PR comment', () => {
  it('matches its snapshot on the fixture', async () => {
    const md = renderPrComment(fixtureVerdict(), fixtureResults())
    await expect(md).toMatchFileSnapshot('__snapshots__/pr-comment.md')
  })

  it('starts with the marker and gives the verdict, with counts, before anything else', () => {
    const lines = renderPrComment(fixtureVerdict(), fixtureResults()).split('\n')
    expect(lines[0]).toBe(PR_COMMENT_MARKER)
    expect(lines[1]).toBe('## ❌ shipgate: gate failed')
    expect(lines[3]).toBe('**2 failed** · 1 approved · 1 skipped · 1 passed — 5 checks')
  })

  it('links the HTML report under the verdict, its address escaped for markdown', () => {
    const url = 'https://example.com/a (1)/report.html'
    const lines = renderPrComment(fixtureVerdict(), fixtureResults(), { reportUrl: url }).split(
      '\n',
    )
    expect(lines.find((l) => l.startsWith('📄'))).toBe(
      '📄 [The HTML report](https://example.com/a%20%281%29/report.html): every case, sample and grade, and what changed against the baseline, side by side.',
    )
    // Under the verdict, before the tables.
    expect(lines.findIndex((l) => l.startsWith('📄'))).toBeLessThan(
      lines.findIndex((l) => l.startsWith('|')),
    )
    const summary = renderJobSummary(fixtureVerdict(), fixtureResults(), { reportUrl: url })
    expect(summary).toContain('[The HTML report](https://example.com/a%20%281%29/report.html)')
    expect(renderPrComment(fixtureVerdict(), fixtureResults())).not.toContain('HTML report')
  })

  it('lists failed checks first, with their suite, actual value, limit and message', () => {
    const md = renderPrComment(fixtureVerdict(), fixtureResults())
    const rows = md.split('\n').filter((l) => /^\| (❌|✅|☑️|⏭️) \|/.test(l))
    expect(rows.map((r) => r.split(' | ')[0])).toEqual(['| ❌', '| ❌', '| ☑️', '| ⏭️', '| ✅'])
    expect(rows[1]).toBe(
      '| ❌ | cost per case vs main | — | 104 | 20 | cost per case +104% vs main (limit +20%) \\| reason: &lt;b&gt;bigger prompt&lt;/b&gt; |',
    )
    expect(rows[3]).toContain('| ⏭️ | p95 latency vs main | summarize | — | 20 | no baseline:')
  })

  it('compares each suite with the baseline and lists newly failing cases with file:line', () => {
    const md = renderPrComment(fixtureVerdict(), fixtureResults())
    expect(md).toContain(
      '| code-review | 1.00 → 0.50 | -0.50 [-0.99, -0.01] (p=0.50) | -0.50 [-0.99, -0.01] | $0.00059 → $0.0012 (+103%) | 760 ms → 800 ms (+5%) |',
    )
    expect(md).toContain('<summary>3 newly failing cases (passed in the baseline)</summary>')
    expect(md).toContain('- **code-review › csrf** (evals/cases.csv:3): error (timeout)')
    expect(md).toContain('- **summarize › long-text**: icontains')
    expect(md).toContain(
      '8 samples: 5 passed, 3 failed (1 error) · cost $0.0084 · judge cost $0.00050 · 42.5 s',
    )
    expect(md).toContain(
      '<sub>run `run-0002` · commit `abcdef012345` · baseline `run-0001` (`main` @ `0123456789ab`) · shipgate 0.1.0</sub>',
    )
  })

  it('escapes hostile text: no HTML, no table breaks', () => {
    const md = renderPrComment(fixtureVerdict(), fixtureResults())
    expect(md).not.toContain('<script>')
    expect(md).not.toContain('<b>')
    expect(md).not.toContain(HOSTILE)
    expect(md).toContain('&lt;script&gt;alert(1)&lt;/script&gt; \\| \\`rm -rf\\` \\*bold\\*')
    for (const row of md.split('\n').filter((l) => l.startsWith('| '))) {
      expect(row.split(/(?<!\\)\|/).length - 2).toBe(6)
    }
  })

  it('says "no baseline" in one line when there is none', () => {
    const md = renderPrComment(fixtureVerdictWithoutBaseline(), fixtureResults())
    expect(md).toContain('\nno baseline: comparisons skipped\n')
    expect(md).not.toContain('| suite | pass rate |')
    expect(md).not.toContain('newly failing')
    expect(md).toContain(' · no baseline · ')
  })

  it('has a marker per key, so several configs keep their own comment', () => {
    const md = renderPrComment(fixtureVerdict(), fixtureResults(), { key: 'api-v2' })
    expect(md.split('\n')[0]).toBe('<!-- shipgate:pr-comment:api-v2 -->')
    expect(md.startsWith(PR_COMMENT_MARKER)).toBe(false)
    expect(() => prCommentMarker('x --> <script>')).toThrow(TypeError)
  })
})

describe('job summary', () => {
  it('matches its snapshot on the fixture, with every failing case of the run', async () => {
    const md = renderJobSummary(fixtureVerdict(), fixtureResults())
    await expect(md).toMatchFileSnapshot('__snapshots__/job-summary.md')
    expect(md).not.toContain('<!--')
    expect(md).toContain('<summary>3 failing cases in this run</summary>')
    expect(md).not.toContain('<script>')
  })
})

describe('JUnit', () => {
  it('matches its snapshot on the fixture', async () => {
    await expect(renderJunit(fixtureResults())).toMatchFileSnapshot('__snapshots__/junit.xml')
  })
})
