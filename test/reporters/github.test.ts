import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { GateVerdict } from '../../src/contracts/gate.js'
import {
  escapeData,
  escapeProperty,
  JOB_SUMMARY_MAX_BYTES,
  renderAnnotations,
  renderJobSummary,
  writeGithubReports,
} from '../../src/reporters/github.js'
import { PR_COMMENT_MAX_BYTES, renderPrComment } from '../../src/reporters/pr-comment.js'
import { tempProject } from '../helpers/project.js'
import { fixtureResults, fixtureVerdict, hugeFixture } from './fixtures.js'

const size = (text: string): number => Buffer.byteLength(text, 'utf8')

describe('annotations', () => {
  it('escape data and properties as GitHub requires', () => {
    expect(escapeData('100% done\r\nnext: a, b')).toBe('100%25 done%0D%0Anext: a, b')
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A')
  })

  it('are one ::error per failed check and newly failing case, file and line when known', () => {
    const lines = renderAnnotations(fixtureVerdict()).trimEnd().split('\n')
    expect(lines).toHaveLength(5)
    expect(lines[0]).toBe(
      '::error title=shipgate%3A pass rate (code-review)::pass rate 0.50 below 0.75',
    )
    expect(lines[1]).toMatch(/^::error title=shipgate%3A cost per case vs main::cost per case/)
    expect(lines[2]).toMatch(
      /^::error file=evals\/code-review\.yaml,line=12,title=shipgate%3A code-review › xss newly failing::icontains/,
    )
    expect(lines[4]).toBe(
      '::error title=shipgate%3A summarize › long-text newly failing::icontains: output lacks the value',
    )
  })

  it('keep a hostile message on its own line, unable to start another command', () => {
    const verdict: GateVerdict = {
      ...fixtureVerdict(),
      checks: [],
      newlyFailing: [
        {
          suite: 's',
          caseId: 'c,1:2',
          source: { file: 'a,b:c.yaml', line: 3 },
          reason: '50%\n::add-mask::x\r\n::stop-commands::y',
        },
      ],
    }
    expect(renderAnnotations(verdict)).toBe(
      '::error file=a%2Cb%3Ac.yaml,line=3,title=shipgate%3A s › c%2C1%3A2 newly failing::50%25%0A::add-mask::x%0D%0A::stop-commands::y\n',
    )
  })

  it('stop at 10 and say how many more were left out', () => {
    const { verdict } = hugeFixture(3000)
    const lines = renderAnnotations(verdict).trimEnd().split('\n')
    expect(lines.filter((l) => l.startsWith('::error '))).toHaveLength(10)
    expect(lines).toHaveLength(11)
    expect(lines[10]).toBe(
      '::notice title=shipgate::5990 more failures were not annotated (at most 10 are): see the job summary',
    )
  })

  it('are a ::warning per warned check, after the errors; the reports mark it ⚠️', () => {
    const verdict: GateVerdict = {
      ...fixtureVerdict(),
      newlyFailing: [],
      checks: [
        {
          id: 'budget',
          kind: 'budget',
          name: 'monthly CI budget (2026-12)',
          status: 'warned',
          actual: 420,
          limit: 500,
          message: 'projected $420.00 by month end: past 80% of the budget of $500.00',
          approval: 'budget',
        },
        ...fixtureVerdict().checks,
      ],
    }
    const lines = renderAnnotations(verdict).trimEnd().split('\n')
    expect(lines.at(-1)).toBe(
      '::warning title=shipgate%3A monthly CI budget (2026-12)::projected $420.00 by month end: past 80%25 of the budget of $500.00',
    )
    expect(lines.slice(0, -1).every((l) => l.startsWith('::error '))).toBe(true)
    const comment = renderPrComment(verdict, fixtureResults())
    expect(comment).toMatch(/\| ⚠️ \| monthly CI budget \(2026-12\) \| — \| 420 \| 500 \|/)
    expect(comment).toContain('1 warned')
  })

  it('are empty when nothing failed', () => {
    expect(renderAnnotations({ ...fixtureVerdict(), checks: [], newlyFailing: [] })).toBe('')
  })
})

describe('size limits', () => {
  const huge = hugeFixture(3000)
  const many = hugeFixture(1000, 'few')

  it('keep the PR comment under 60 KB: newly failing details go first, then rows', () => {
    const md = renderPrComment(huge.verdict, huge.results)
    expect(size(md)).toBeLessThanOrEqual(PR_COMMENT_MAX_BYTES)
    expect(size(md)).toBeGreaterThan(PR_COMMENT_MAX_BYTES - 2000)
    expect(md.split('\n')[0]).toBe('<!-- shipgate:pr-comment -->')
    expect(md).toMatch(
      /> \[!WARNING\]\n> Shortened to fit GitHub's size limit: 50 newly failing cases, \d+ checks left out\. The full report is in the job summary/,
    )
    expect(md).toContain('**3000 newly failing cases (passed in the baseline)**: listed in')
    expect(md).not.toContain('<details>')
    expect(md).toMatch(/\n_… \d+ more checks, left out for size_\n/)
    expect(md).toContain('| big | 1.00 → 0.50 |')
    expect(md).toContain('3000 samples: 0 passed, 3000 failed (0 errors)')
    expect(md).toContain('<sub>run `run-0002`')
    expect(md).not.toContain('<script>')
  })

  it('shorten only the newly failing list when that is enough', () => {
    const md = renderPrComment(many.verdict, many.results, { maxNewlyFailing: 1000 })
    expect(size(md)).toBeLessThanOrEqual(PR_COMMENT_MAX_BYTES)
    expect(md).toMatch(/Shortened to fit GitHub's size limit: \d+ newly failing cases left out/)
    expect(md).toContain('<summary>1000 newly failing cases (passed in the baseline)</summary>')
    expect(md).toMatch(/\n- … and \d+ more: see the job summary and the results artifact\n/)
    expect(md).not.toContain('left out for size_')
    const full = renderPrComment(many.verdict, many.results, { maxBytes: 10_000_000 })
    expect(full).not.toContain('[!WARNING]')
    expect(full).toContain('- … and 950 more: see the job summary')
  })

  it('keep the job summary under 1 MiB, the failing cases of the run shortened first', () => {
    const md = renderJobSummary(many.verdict, many.results)
    expect(size(md)).toBeLessThanOrEqual(JOB_SUMMARY_MAX_BYTES)
    expect(size(md)).toBeGreaterThan(JOB_SUMMARY_MAX_BYTES - 5000)
    expect(md).toMatch(/> Shortened to fit GitHub's size limit: \d+ failing cases left out/)
    expect(md).toContain('<summary>1000 newly failing cases (passed in the baseline)</summary>')
    expect(md).toContain('evals/big.yaml:2998)')
    expect(md).toContain('<summary>1000 failing cases in this run</summary>')
    expect(md).toMatch(/- … and \d+ more: see the results file/)
    const rows = md.split('\n').filter((l) => l.startsWith('| ❌'))
    expect(rows).toHaveLength(2)
  })

  it('keep the job summary under 1 MiB with thousands of failed checks', () => {
    const md = renderJobSummary(huge.verdict, huge.results)
    expect(size(md)).toBeLessThanOrEqual(JOB_SUMMARY_MAX_BYTES)
    expect(md).toContain('**3000 failing cases in this run**: listed in the results file')
  })

  it('hold whatever the limit', () => {
    for (const maxBytes of [2000, 8000, 30_000]) {
      const md = renderPrComment(huge.verdict, huge.results, { maxBytes })
      expect(size(md)).toBeLessThanOrEqual(maxBytes)
      expect(md.startsWith('<!-- shipgate:pr-comment -->\n## ❌ shipgate: gate failed')).toBe(true)
    }
  })
})

describe('writeGithubReports', () => {
  it('appends the job summary to GITHUB_STEP_SUMMARY and annotates inside Actions', async () => {
    const dir = tempProject({ 'summary.md': '# earlier step\n' })
    const file = join(dir, 'summary.md')
    let stdout = ''
    const io = {
      env: { GITHUB_STEP_SUMMARY: file, GITHUB_ACTIONS: 'true' },
      stdout: (t: string) => (stdout += t),
    }
    const outcome = await writeGithubReports(fixtureVerdict(), fixtureResults(), io)
    expect(outcome).toEqual({ summaryFile: file, annotated: true })
    const text = readFileSync(file, 'utf8')
    expect(text.startsWith('# earlier step\n\n## ❌ shipgate: gate failed')).toBe(true)
    expect(stdout.split('\n').filter((l) => l.startsWith('::error '))).toHaveLength(5)
    await writeGithubReports(fixtureVerdict(), fixtureResults(), io)
    expect(readFileSync(file, 'utf8').split('## ❌ shipgate: gate failed')).toHaveLength(3)
  })

  it('fits the summary in what is left of the 1 MiB', async () => {
    const dir = tempProject({})
    const file = join(dir, 'summary.md')
    writeFileSync(file, 'x'.repeat(JOB_SUMMARY_MAX_BYTES - 20_000))
    const { verdict, results } = hugeFixture(600, 'few')
    const env = { GITHUB_STEP_SUMMARY: file }
    await writeGithubReports(verdict, results, { env, stdout: () => {} })
    expect(size(readFileSync(file, 'utf8'))).toBeLessThanOrEqual(JOB_SUMMARY_MAX_BYTES)
    expect(readFileSync(file, 'utf8')).toContain('Shortened to fit')
  })

  it('writes nothing outside GitHub Actions', async () => {
    let stdout = ''
    const outcome = await writeGithubReports(fixtureVerdict(), fixtureResults(), {
      env: {},
      stdout: (t) => (stdout += t),
      appendFile: () => Promise.reject(new Error('must not write')),
    })
    expect(outcome).toEqual({ summaryFile: null, annotated: false })
    expect(stdout).toBe('')
  })
})
