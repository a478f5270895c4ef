import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { AbReport } from '../../src/contracts/ab.js'
import { runCli } from '../helpers/cli.js'
import { env, fakeAnthropic } from '../helpers/eval-project.js'
import { tempProject } from '../helpers/project.js'

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
