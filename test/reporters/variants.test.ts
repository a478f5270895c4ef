import { describe, expect, it } from 'vitest'
import { variantSuiteName, type ResultsDocument } from '../../src/contracts/results.js'
import { buildResults } from '../../src/core/eval/aggregate.js'
import { DEFAULT_RULES, evaluateGate } from '../../src/core/gate/evaluate.js'
import { renderJobSummary } from '../../src/reporters/github.js'
import { renderJunit } from '../../src/reporters/junit.js'
import { renderMarkdown } from '../../src/reporters/markdown.js'
import { renderPrComment } from '../../src/reporters/pr-comment.js'
import { renderSummary } from '../../src/reporters/terminal.js'
import { completedRun, sampleResult, suiteInfo } from '../helpers/results.js'

/*
 * A run of one suite in four variants (two prompts × two providers) and a plain suite, as
 * every results report shows it: each variant its own suite, and a side-by-side variants table.
 */

const VARIANTS = [
  ['v1', 'a', 1],
  ['v1', 'b', 0],
  ['v2', 'a', 1],
  ['v2', 'b', 1],
] as const

/** A variant name the config cannot write, to prove every report makes it safe. */
const HOSTILE_NAME = 'x|<b>@y'

function results(): ResultsDocument {
  const variants = VARIANTS.map(([prompt, provider, passed]) => {
    const name = `${prompt}@${provider}`
    return { name, suite: variantSuiteName('support', name), prompt, provider, passed }
  })
  const suites = [
    ...variants.map((v) =>
      suiteInfo({
        name: v.suite,
        variant: { suite: 'support', name: v.name },
        prompt: { name: v.prompt, version: `${v.prompt}hash` },
        provider: { name: v.provider, id: `openai:model-${v.provider}` },
        threshold: 0.5,
      }),
    ),
    suiteInfo({ name: 'plain', threshold: 0.5 }),
  ]
  const ids = ['c1', 'c2']
  const cases = suites.flatMap((s) => ids.map((id) => ({ suite: s.name, id, vars: {}, tags: [] })))
  const samples = suites.flatMap((s, i) =>
    ids.map((caseId) => {
      const pass = (variants[i]?.passed ?? 1) === 1
      return sampleResult({ suite: s.name, caseId, pass, score: pass ? 1 : 0, latencyMs: 100 })
    }),
  )
  return buildResults({ run: completedRun(), suites, cases, samples })
}

describe('reports of a run with variants', () => {
  it('terminal: a row per variant suite and a variants table with intervals', () => {
    const text = renderSummary(results(), 10)
    for (const [prompt, provider] of VARIANTS) {
      expect(text).toContain(`support[${prompt}@${provider}]`)
    }
    const table = text.slice(text.indexOf('support variants:'))
    expect(table.split('\n')[1]).toMatch(
      /^variant\s+prompt\s+provider\s+pass rate \[95% CI\]\s+score\s+cost\/case\s+p50$/,
    )
    expect(table).toMatch(/v1@b\s+v1@v1hash\s+openai:model-b\s+0\.00 \[0\.00, 0\.\d\d\]\s+0\.00/)
    expect(table).toMatch(/v2@a\s+v2@v2hash\s+openai:model-a\s+1\.00 \[0\.\d\d, 1\.00\]/)
    expect(text).not.toContain('plain variants')
  })

  it('markdown: a row per variant suite and an escaped variants table', () => {
    const doc = results()
    const raw = renderMarkdown(doc)
    // `@` gets a zero-width joiner after it, as in every report: a variant mentions nobody.
    expect(raw).toContain('v1@\u200da')
    const md = raw.replaceAll('\u200d', '')
    expect(md).toContain('| support\\[v1@a\\] |')
    expect(md).toContain('**support** variants:')
    const rows = md.split('\n').filter((l) => /^\| v\d@[ab] \|/.test(l))
    expect(rows.map((r) => r.split(' | ')[0])).toEqual(['| v1@a', '| v1@b', '| v2@a', '| v2@b'])
    expect(rows[1]).toContain('| openai:model-b | 0.00 \\[0.00, 0.')
    const hostile: ResultsDocument = {
      ...doc,
      suites: doc.suites.map((s) =>
        s.variant === undefined ? s : { ...s, variant: { ...s.variant, name: HOSTILE_NAME } },
      ),
    }
    const escaped = renderMarkdown(hostile).replaceAll('\u200d', '')
    expect(escaped).not.toContain('<b>')
    expect(escaped).toContain('x\\|&lt;b&gt;@y')
  })

  it('JUnit: a testsuite per variant, named suite[variant], with its variant as properties', () => {
    const xml = renderJunit(results())
    const names = [...xml.matchAll(/<testsuite name="([^"]+)"/g)].map((m) => m[1])
    expect(names).toEqual([
      'support[v1@a]',
      'support[v1@b]',
      'support[v2@a]',
      'support[v2@b]',
      'plain',
    ])
    const v2b = xml.slice(xml.indexOf('<testsuite name="support[v2@b]"'))
    expect(v2b).toContain('<property name="variant" value="v2@b"/>')
    expect(v2b).toContain('<property name="variant.suite" value="support"/>')
    expect(v2b).toContain('<property name="prompt" value="v2"/>')
    expect(v2b).toContain('<property name="provider" value="openai:model-b"/>')
    const plain = xml.slice(xml.indexOf('<testsuite name="plain"'))
    expect(plain).not.toContain('name="variant"')
    expect(xml).toContain('<testcase classname="support[v1@b]" name="c1"')
  })

  it('job summary and PR comment: a check row per variant suite and the variants table', () => {
    const current = results()
    const verdict = evaluateGate({
      current,
      baseline: null,
      rules: DEFAULT_RULES,
      approvals: [],
      external: [],
    })
    for (const render of [renderJobSummary, renderPrComment]) {
      const text = render(verdict, current).replaceAll('\u200d', '')
      for (const [prompt, provider] of VARIANTS) {
        expect(text).toContain(`| suite threshold | support\\[${prompt}@${provider}\\] |`)
        expect(text).toMatch(new RegExp(`^\\| ${prompt}@${provider} \\| ${prompt}@`, 'm'))
      }
      expect(text).toContain('**support** variants:')
    }
  })
})
