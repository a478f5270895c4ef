import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src/config/load.js'
import { ShipgateError } from '../../../src/errors.js'
import { silentLogger } from '../../../src/logger.js'
import { openStore } from '../../../src/stores/index.js'
import { evaluate } from '../../../src/workflows/eval/index.js'
import { gate } from '../../../src/workflows/gate/index.js'
import { buildPlan, type PlanOptions } from '../../../src/workflows/eval/plan.js'
import { loadRunResults } from '../../../src/workflows/results/runs.js'
import { selectChanged } from '../../../src/workflows/select/index.js'
import { tempProject, writeFiles } from '../../helpers/project.js'

/*
 * A suite with two prompt versions × two providers planned and run as one eval: four variant
 * suites of the same cases, through the real scheduler into the real SQLite store.
 */

const CONFIG = `version: 1
providers:
  a: { type: mock, default: "yes from A" }
  b: { type: mock, default: "no from B" }
prompts:
  v1: { user: "One {{ n }}" }
  v2: { user: "Two {{ n }}" }
suites:
  support:
    matrix: { prompt: [v1, v2], provider: [a, b] }
    threshold: 0.5
    assert: [{ type: contains, value: "yes" }]
    cases: [{ id: c1, vars: { n: 1 } }, { id: c2, vars: { n: 2 }, tags: [slow] }]
  plain:
    prompt: v1
    provider: a
    cases: [{ id: p1, vars: { n: 3 } }]
`

const all: PlanOptions = { suites: [], tags: [] }

async function plan(options: PlanOptions = all) {
  const loaded = await loadConfig({ cwd: tempProject({ 'shipgate.yaml': CONFIG }), env: {} })
  return buildPlan(loaded, options)
}

describe('planning a suite with variants', () => {
  it('runs every variant as its own suite, with the same case ids in each', async () => {
    const { plan: built, cases } = await plan()
    expect(built.suites.map((s) => [s.name, s.variant, s.prompt.name, s.provider.name])).toEqual([
      ['support[v1@a]', { suite: 'support', name: 'v1@a' }, 'v1', 'a'],
      ['support[v1@b]', { suite: 'support', name: 'v1@b' }, 'v1', 'b'],
      ['support[v2@a]', { suite: 'support', name: 'v2@a' }, 'v2', 'a'],
      ['support[v2@b]', { suite: 'support', name: 'v2@b' }, 'v2', 'b'],
      ['plain', undefined, 'v1', 'a'],
    ])
    for (const suite of built.suites.slice(0, 4)) {
      expect(suite.cases.map((c) => c.id)).toEqual(['c1', 'c2'])
    }
    expect(built.suites[2]?.cases[0]?.messages()[0]?.content).toBe('Two 1')
    // Each variant has its own fingerprints: a prompt or provider change reruns only its cases.
    const prints = built.suites.slice(0, 4).map((s) => s.cases[0]?.fingerprint)
    expect(new Set(prints).size).toBe(4)
    expect(cases.filter((c) => c.suite === 'support[v2@b]').map((c) => c.id)).toEqual(['c1', 'c2'])
    expect('variant' in (built.suites[4] ?? {})).toBe(false)
  })

  it('selects every variant with --suite, some with --variant, and refuses an unknown one', async () => {
    const bySuite = await plan({ suites: ['support'], tags: ['slow'] })
    expect(bySuite.plan.suites.map((s) => [s.name, s.cases.length])).toEqual([
      ['support[v1@a]', 1],
      ['support[v1@b]', 1],
      ['support[v2@a]', 1],
      ['support[v2@b]', 1],
    ])
    const byVariant = await plan({ ...all, variants: ['v2@a', 'v1@b'] })
    expect(byVariant.plan.suites.map((s) => s.name)).toEqual(['support[v1@b]', 'support[v2@a]'])
    const error = await plan({ ...all, variants: ['v3@a'] }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ShipgateError)
    expect((error as ShipgateError).message).toBe('unknown variant "v3@a"')
    expect((error as ShipgateError).hint).toBe(
      'variants of the selected suites: v1@a, v1@b, v2@a, v2@b',
    )
    const none = await plan({ suites: ['plain'], tags: [], variants: ['v1@a'] }).catch(
      (e: unknown) => e,
    )
    expect((none as ShipgateError).hint).toMatch(/^no selected suite has variants/)
  })
})

describe('an eval of a suite with variants', () => {
  it('reports and stores each variant as its own suite, its variant kept', async () => {
    const dir = tempProject({ 'shipgate.yaml': CONFIG })
    const result = await evaluate({ cwd: dir, env: {}, logger: silentLogger, suites: ['support'] })
    const suites = result.results.suites
    expect(suites.map((s) => [s.name, s.stats.passRate.value, s.pass])).toEqual([
      ['support[v1@a]', 1, true],
      ['support[v1@b]', 0, false],
      ['support[v2@a]', 1, true],
      ['support[v2@b]', 0, false],
    ])
    expect(suites[3]?.variant).toEqual({ suite: 'support', name: 'v2@b' })
    expect(suites[3]?.provider.id).toMatch(/^mock/)
    const store = await openStore(join(dir, '.shipgate/shipgate.db'), dir)
    try {
      const stored = await loadRunResults(store, result.results.run.id)
      expect(stored.suites.map((s) => [s.name, s.variant?.name, s.cases.length])).toEqual([
        ['support[v1@a]', 'v1@a', 2],
        ['support[v1@b]', 'v1@b', 2],
        ['support[v2@a]', 'v2@a', 2],
        ['support[v2@b]', 'v2@b', 2],
      ])
      const listed = await store.runs.list({ suite: 'support' })
      expect(listed.map((r) => r.id)).toEqual([result.results.run.id])
      expect(await store.runs.list({ suite: 'support[v1@a]' })).toHaveLength(1)
      expect(await store.runs.list({ suite: 'supp' })).toHaveLength(0)
    } finally {
      await store.close()
    }
  })

  it('reuses a variant only from the same variant of the baseline', async () => {
    const dir = tempProject({ 'shipgate.yaml': CONFIG })
    const first = await evaluate({ cwd: dir, env: {}, logger: silentLogger, suites: ['support'] })
    const again = await evaluate({
      cwd: dir,
      env: {},
      logger: silentLogger,
      suites: ['support'],
      reuseBaseline: true,
      baseline: first.results.run.id,
    })
    expect(again.results.summary.reused).toBe(8)
    expect(again.results.suites.map((s) => s.stats.passRate.value)).toEqual([1, 0, 1, 0])
  })

  it("gates each variant on its suite's limits, against the same variant of the baseline", async () => {
    const limits = '\ngate:\n  suites:\n    support: { score: 0.9 }\n'
    const dir = tempProject({ 'shipgate.yaml': CONFIG + limits })
    const options = { cwd: dir, env: {}, logger: silentLogger }
    const first = await evaluate({ ...options, suites: ['support'] })
    const second = await evaluate({ ...options, suites: ['support'] })
    const { verdict } = await gate({ ...options, baseline: first.results.run.id })
    expect(second.results.run.id).toBe(verdict.run.id)
    const score = verdict.checks.filter((c) => c.id.endsWith('.score'))
    expect(score.map((c) => [c.suite, c.status])).toEqual([
      ['support[v1@a]', 'passed'],
      ['support[v1@b]', 'failed'],
      ['support[v2@a]', 'passed'],
      ['support[v2@b]', 'failed'],
    ])
    expect(verdict.suites.map((d) => [d.suite, d.pairedCases])).toEqual([
      ['support[v1@a]', 2],
      ['support[v1@b]', 2],
      ['support[v2@a]', 2],
      ['support[v2@b]', 2],
    ])
  })
})

describe('selecting a suite with variants', () => {
  it("selects the suite when one variant's prompt file changes", async () => {
    const dir = tempProject({
      'shipgate.yaml': `version: 1
providers:
  a: { type: mock, default: ok }
prompts:
  v1: { user: { file: prompts/v1.liquid } }
  v2: { user: { file: prompts/v2.liquid } }
  other: { user: "Other {{ n }}" }
suites:
  support:
    provider: a
    prompt: v1
    variants: { old: {}, new: { prompt: v2 } }
    cases: [{ vars: { n: 1 } }]
  plain:
    prompt: other
    provider: a
    cases: [{ vars: { n: 1 } }]
`,
      'prompts/v1.liquid': 'One {{ n }}',
      'prompts/v2.liquid': 'Two {{ n }}',
    })
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' })
    git('init', '-q', '-b', 'main')
    git('add', '-A')
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'base')
    writeFiles(dir, { 'prompts/v2.liquid': 'Two, reworded: {{ n }}' })
    const selection = await selectChanged({ cwd: dir, env: {}, since: 'main' })
    expect(selection.suites).toEqual([
      {
        suite: 'support',
        reasons: [{ file: 'prompts/v2.liquid', why: 'prompt file of "v2"' }],
      },
    ])
    expect(selection.skipped).toEqual(['plain'])
  })
})
