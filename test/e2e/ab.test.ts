import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { AbReport } from '../../src/contracts/ab.js'
import { variantSuiteName, type SampleResult } from '../../src/contracts/results.js'
import { buildResults } from '../../src/core/eval/aggregate.js'
import { runCli } from '../helpers/cli.js'
import { env, fakeAnthropic } from '../helpers/eval-project.js'
import { tempProject } from '../helpers/project.js'
import { completedRun, sampleResult, suiteInfo } from '../helpers/results.js'

/*
 * `shipgate ab` end to end: one suite run twice through the anthropic SDK against a loopback
 * fake, once per prompt version. The fake answers the first version's questions "yes" for half
 * the cases and the second's for nine in ten, so B truly passes more, on the same cases.
 */

const CASES = 200

function config(url: string, prompt: string): string {
  return `version: 1
providers:
  haiku: { type: anthropic, model: claude-3-5-haiku-20241022, baseUrl: ${url} }
prompts:
  p: { user: "${prompt} {{ n }}" }
suites:
  s: { prompt: p, provider: haiku, cases: cases.jsonl, assert: [{ type: contains, value: "yes" }] }
runner: { backoffMs: 10 }
`
}

async function twoRuns(): Promise<string> {
  const fake = await fakeAnthropic((_attempt, text) => {
    const n = Number(/(?:Question|Ask) (\d+)/.exec(text)?.[1] ?? 0)
    const yes = text.includes('Ask') ? n % 10 < 9 : n % 10 < 5
    return { kind: 'text', text: yes ? 'yes' : 'no', usage: { input: 50, output: 10 + (n % 7) } }
  })
  const cases = Array.from({ length: CASES }, (_, i) =>
    JSON.stringify({ id: `c${i}`, vars: { n: i } }),
  )
  const dir = tempProject({
    'shipgate.yaml': config(fake.url, 'Question'),
    'cases.jsonl': cases.join('\n'),
  })
  const a = await runCli(['eval', '--no-progress', '-o', 'a.json'], { cwd: dir, env })
  expect(a.code, a.stderr).toBe(1)
  writeFileSync(join(dir, 'shipgate.yaml'), config(fake.url, 'Ask'))
  const b = await runCli(['eval', '--no-progress', '-o', 'b.json'], { cwd: dir, env })
  expect(b.code, b.stderr).toBe(1)
  return dir
}

describe('shipgate ab', () => {
  it('names the variant that passes more on the same cases, and plans a next run', async () => {
    const dir = await twoRuns()
    const json = await runCli(['ab', 'a.json', 'b.json', '--json'], { cwd: dir, env })
    expect(json.code, json.stderr).toBe(0)
    const report = JSON.parse(json.stdout) as AbReport
    expect(report.cases).toBe(CASES)
    const pass = report.metrics.find((m) => m.metric === 'pass rate')
    expect(pass).toMatchObject({ meanA: 0.5, meanB: 0.9, test: 'exact McNemar' })
    expect(pass?.difference.value).toBeCloseTo(0.4, 12)
    expect(pass?.pValue).toBeLessThan(1e-6)
    expect(report.decision).toMatchObject({ winner: 'B', verdict: 'winner', primary: 'pass rate' })
    expect(report.costGuardrail?.pass).toBe(true)
    expect(report.plan).toBeNull()

    const text = await runCli(['ab', 'a.json', 'b.json', '--effect', '0.05', '--plan'], {
      cwd: dir,
      env,
    })
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toContain(`${CASES} cases paired`)
    expect(text.stdout).toContain('winner: B on pass rate')
    expect(text.stdout).toMatch(/plan for \+0\.050 in pass rate at 80% power/)
    expect(text.stdout).toMatch(/recommended: \d+ cases × \d/)
  }, 60_000)

  it('finds no difference between a run and itself, and refuses runs with no case in common', async () => {
    const dir = await twoRuns()
    const same = await runCli(['ab', 'a.json', 'a.json', '--json'], { cwd: dir, env })
    expect(same.code, same.stderr).toBe(0)
    const report = JSON.parse(same.stdout) as AbReport
    expect(report.decision).toMatchObject({ winner: null, verdict: 'no-difference' })
    expect(report.decision.mde).toBeGreaterThan(0)

    // The same run under another suite's name: not one case in common.
    const renamed = JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8')) as {
      suites: { name: string }[]
    }
    for (const suite of renamed.suites) suite.name = 'other'
    writeFileSync(join(dir, 'other.json'), JSON.stringify(renamed))
    const none = await runCli(['ab', 'a.json', 'other.json'], { cwd: dir, env })
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('a.json and other.json have no case in common')
    const noPlan = await runCli(['ab', 'a.json', 'b.json', '--plan'], { cwd: dir, env })
    expect(noPlan.code).toBe(2)
    expect(noPlan.stderr).toContain('--effect')
  }, 60_000)
})

/**
 * A results file of one run whose suite `s` ran as variants v1 and v2 (as `variants:` makes it):
 * the same cases, v2's answers longer. Without `variants`, two plain suites instead.
 */
function variantRun(cases: number, variants = true): string {
  const names = ['v1', 'v2']
  const suite = (v: string) => (variants ? variantSuiteName('s', v) : `s-${v}`)
  const samples: SampleResult[] = names.flatMap((v) =>
    Array.from({ length: cases }, (_, i) =>
      sampleResult({
        suite: suite(v),
        caseId: `c${i}`,
        output: v === 'v1' ? `short ${i}` : `a complete answer ${i}`,
        costUsd: 0.001,
      }),
    ),
  )
  return JSON.stringify(
    buildResults({
      run: completedRun({ id: '20261207-000000-abcdef' }),
      suites: names.map((v) =>
        suiteInfo({ name: suite(v), ...(variants ? { variant: { suite: 's', name: v } } : {}) }),
      ),
      cases: names.flatMap((v) =>
        Array.from({ length: cases }, (_, i) => ({
          suite: suite(v),
          id: `c${i}`,
          vars: { n: i },
          tags: [],
        })),
      ),
      samples,
    }),
  )
}

describe('shipgate ab --variants --pairwise', () => {
  it('compares two variants of one run through a judge asked in both orders', async () => {
    // The judge prefers the complete answer wherever it is shown.
    const judge = await fakeAnthropic((_attempt, text) => {
      const a = /<answer_a>([\s\S]*?)<\/answer_a>/.exec(text)?.[1] ?? ''
      const winner = a.includes('complete') ? 'A' : 'B'
      return { kind: 'text', text: JSON.stringify({ reason: 'complete', winner }) }
    })
    const dir = tempProject({
      'shipgate.yaml': `version: 1
providers:
  grader: { type: anthropic, model: claude-3-5-haiku-20241022, baseUrl: ${judge.url} }
judge: grader
prompts:
  p: { user: "Question {{ n }}" }
suites:
  s: { prompt: p, provider: grader, cases: [{ id: c0, vars: { n: 0 } }] }
runner: { backoffMs: 10 }
`,
      'run.json': variantRun(30),
      'plain.json': variantRun(3, false),
    })
    const json = await runCli(
      [
        'ab',
        'v1',
        'v2',
        '--run',
        'run.json',
        '--pairwise',
        'completeness',
        '--primary',
        'pairwise',
        '--json',
      ],
      { cwd: dir, env },
    )
    expect(json.code, json.stderr).toBe(0)
    const report = JSON.parse(json.stdout) as AbReport
    expect(report.a).toEqual({ run: '20261207-000000-abcdef', ref: 'run.json', variant: 'v1' })
    expect(report.suites).toEqual(['s'])
    expect(report.pairwise).toMatchObject({
      cases: 30,
      wins: 30,
      calls: 60,
      criteria: 'completeness',
    })
    expect(report.pairwise?.pValue).toBeCloseTo(2 * 0.5 ** 30, 15)
    expect(report.decision).toMatchObject({ winner: 'B', primary: 'pairwise preference' })
    expect(judge.requests).toHaveLength(60)

    const text = await runCli(['ab', 'v1', 'v2', '--run', 'run.json'], { cwd: dir, env })
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toContain(
      'run 20261207-000000-abcdef (run.json): variant A v1 against B v2: 30 cases paired',
    )

    const none = await runCli(['ab', 'v1', 'v2', '--variants', '--run', 'plain.json'], {
      cwd: dir,
      env,
    })
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('run 20261207-000000-abcdef has no variants')
    expect(none.stderr).toContain('docs/ab.md')
    const unknown = await runCli(['ab', 'v1', 'v9', '--run', 'run.json'], { cwd: dir, env })
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('its variants: v1, v2 (suite s)')
  }, 60_000)
})
