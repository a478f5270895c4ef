import { describe, expect, it } from 'vitest'
import type { GateVerdict } from '../../src/contracts/gate.js'
import type { ResultsDocument } from '../../src/contracts/results.js'
import { buildResults } from '../../src/core/eval/aggregate.js'
import { renderAnnotations, renderJobSummary } from '../../src/reporters/github.js'
import { renderJunit } from '../../src/reporters/junit.js'
import { renderMarkdown } from '../../src/reporters/markdown.js'
import { renderPrComment } from '../../src/reporters/pr-comment.js'
import { renderSummary } from '../../src/reporters/terminal.js'
import { renderVerdict } from '../../src/reporters/verdict.js'
import { fixtureVerdict, sample } from './fixtures.js'

/**
 * Untrusted text (case ids from case files, model output, assertion reasons, error messages)
 * in every reporter: no workflow command injected, no terminal control, no bidi reordering,
 * no @-mention that would notify someone, no line of unbounded length.
 */

const INJECT = 'evil\n::error::pwned'
const CONTROLS = '\u001b[31mred\u0007bell\u0000nul'
const BIDI = 'admin\u202etxt.exe\u2066'
const MENTION = 'ping @here and @octocat'
const HUGE = 'x'.repeat(1_000_000)
const ID = `${INJECT} ${CONTROLS} ${BIDI} ${MENTION}`

function hostileResults(): ResultsDocument {
  const run = {
    id: 'run-1',
    status: 'completed' as const,
    startedAt: '2026-11-30T12:00:00.000Z',
    finishedAt: '2026-11-30T12:00:01.000Z',
    git: null,
    configHash: 'cfg',
    shipgateVersion: '0.1.0',
  }
  const suite = {
    name: 's',
    provider: { name: 'p', id: 'mock:x' },
    prompt: { name: 'p', version: 'v' },
    threshold: 1,
    repeat: 1,
    casePass: 'all' as const,
    k: 1,
  }
  const source = { file: `cases\n::warning::x.jsonl`, line: 1 }
  const kase = (id: string) => ({ suite: 's', id, vars: {}, tags: [], source })
  const graded = sample({ suite: 's', caseId: ID, pass: false, reason: `${ID} ${HUGE}` })
  return buildResults({
    run,
    suites: [suite],
    cases: [kase(ID), kase('err')],
    samples: [
      { ...graded, output: `${ID} ${HUGE}` },
      sample({
        suite: 's',
        caseId: 'err',
        pass: false,
        error: { kind: 'unknown', message: `${ID} ${HUGE}` },
      }),
    ],
  })
}

function hostileVerdict(): GateVerdict {
  const verdict = fixtureVerdict()
  return {
    ...verdict,
    newlyFailing: [{ suite: 's', caseId: ID, reason: `${ID} ${HUGE}` }],
    checks: verdict.checks.map((c) => ({ ...c, message: `${c.message} ${ID}` })),
  }
}

/** What no report may contain. */
function expectSafe(text: string, options: { markdown?: boolean } = {}): void {
  expect(text).not.toMatch(/^\s*::(error|warning)::pwned/m)
  expect(text).not.toMatch(/^::warning::/m)
  // eslint-disable-next-line no-control-regex
  expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/)
  expect(text).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/)
  if (options.markdown === true) expect(text).not.toMatch(/(^|[^\w`])@(here|octocat)\b/)
  // Every line is bounded: a 1 MB reason is cut.
  const longest = Math.max(...text.split('\n').map((l) => l.length))
  expect(longest).toBeLessThan(20_000)
}

describe('untrusted text in every reporter', () => {
  const results = hostileResults()
  const verdict = hostileVerdict()

  it('the terminal summary and the gate verdict', () => {
    expectSafe(renderSummary(results, 10))
    expectSafe(renderVerdict(verdict))
  })

  it('the markdown report (javascript reasons included)', () => {
    expectSafe(renderMarkdown(results), { markdown: true })
  })

  it('JUnit', () => {
    const xml = renderJunit(results)
    // eslint-disable-next-line no-control-regex
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/)
    expect(xml).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/)
  })

  it('the PR comment and the job summary', () => {
    expectSafe(renderPrComment(verdict, results), { markdown: true })
    expectSafe(renderJobSummary(verdict, results), { markdown: true })
  })

  it('GitHub annotations: one command per line, none injected', () => {
    const text = renderAnnotations(verdict)
    expectSafe(text)
    for (const line of text.trimEnd().split('\n')) expect(line).toMatch(/^::(error|notice) /)
  })
})
