import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ResultsDocument } from '../../src/contracts/results.js'
import { startFakeAnthropic } from '../fakes/anthropic.js'
import { startFakeOpenAI } from '../fakes/openai.js'
import { runCli } from '../helpers/cli.js'
import { servers } from '../helpers/eval-project.js'
import { tempProject } from '../helpers/project.js'

/*
 * Variants in one eval, through the built CLI: a suite whose matrix crosses two prompt versions
 * with two providers (the openai SDK against a fake OpenAI, the anthropic SDK against a fake
 * Anthropic) runs as four variant suites of the same cases, shown as such by every report and
 * kept by the store. The OpenAI model answers "yes" to everything; the Anthropic one only to
 * the second prompt ("Ask …"), so exactly one variant, v1@b, fails.
 */

const VARIANTS = ['v1@a', 'v1@b', 'v2@a', 'v2@b']
const env = { OPENAI_API_KEY: 'sk-test', ANTHROPIC_API_KEY: 'sk-ant-test' }

async function variantProject(): Promise<string> {
  const usage = { input: 40, output: 5 }
  const openai = await startFakeOpenAI({ reply: () => ({ kind: 'text', text: 'yes', usage }) })
  const anthropic = await startFakeAnthropic({
    reply: ({ body }) => {
      const yes = JSON.stringify(body.messages).includes('Ask')
      return { kind: 'text', text: yes ? 'yes' : 'no', usage }
    },
  })
  servers.push(openai, anthropic)
  const cases = [1, 2, 3, 4].map((n) => JSON.stringify({ id: `c${n}`, vars: { n } }))
  return tempProject({
    'shipgate.yaml': `version: 1
providers:
  a: { type: openai, model: gpt-4o-mini, baseUrl: "${openai.url}/v1" }
  b: { type: anthropic, model: claude-3-5-haiku-20241022, baseUrl: "${anthropic.url}" }
prompts:
  v1: { user: "Question {{ n }}" }
  v2: { user: "Ask {{ n }}" }
suites:
  support:
    matrix: { prompt: [v1, v2], provider: [a, b] }
    threshold: 0.5
    cases: cases.jsonl
    assert: [{ type: contains, value: "yes" }]
runner: { backoffMs: 10 }
`,
    'cases.jsonl': cases.join('\n'),
  })
}

describe('a suite with a prompt × provider matrix, through the built CLI', () => {
  it('runs four variants in one eval; every report and the store show each', async () => {
    const dir = await variantProject()
    const outputs = ['-o', 'results.json', '-o', 'junit.xml', '-o', 'summary.md']
    const run = await runCli(['eval', '--no-progress', ...outputs], { cwd: dir, env })
    expect(run.code, run.stderr).toBe(1) // support[v1@b] is below its threshold

    for (const v of VARIANTS) expect(run.stdout).toContain(`support[${v}]`)
    expect(run.stdout).toContain('support variants:')
    expect(run.stdout).toMatch(/v1@b\s+v1@[0-9a-f]{12}\s+anthropic:claude-3-5-haiku\S*\s+0\.00 \[/)
    expect(run.stdout).toMatch(/v2@a\s+v2@[0-9a-f]{12}\s+openai:gpt-4o-mini\s+1\.00 \[/)

    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ResultsDocument
    expect(results.suites.map((s) => [s.name, s.variant?.name, s.stats.passRate.value])).toEqual([
      ['support[v1@a]', 'v1@a', 1],
      ['support[v1@b]', 'v1@b', 0],
      ['support[v2@a]', 'v2@a', 1],
      ['support[v2@b]', 'v2@b', 1],
    ])
    for (const suite of results.suites) {
      expect(suite.cases.map((c) => c.id)).toEqual(['c1', 'c2', 'c3', 'c4'])
    }

    const junit = readFileSync(join(dir, 'junit.xml'), 'utf8')
    const testsuites = [...junit.matchAll(/<testsuite name="([^"]+)"/g)].map((m) => m[1])
    expect(testsuites).toEqual(VARIANTS.map((v) => `support[${v}]`))
    expect(junit).toContain('<property name="variant" value="v2@b"/>')

    const markdown = readFileSync(join(dir, 'summary.md'), 'utf8').replaceAll('\u200d', '')
    expect(markdown).toContain('**support** variants:')
    for (const v of VARIANTS) {
      expect(markdown).toContain(`| support\\[${v}\\] |`)
      expect(markdown).toMatch(new RegExp(`^\\| ${v} \\| `, 'm'))
    }

    const shown = await runCli(['runs', 'show', results.run.id], { cwd: dir, env })
    expect(shown.code, shown.stderr).toBe(0)
    for (const v of VARIANTS) expect(shown.stdout).toContain(`support[${v}]`)
    expect(shown.stdout).toContain('support variants:')
    const listed = await runCli(['runs', 'list', '--suite', 'support'], { cwd: dir, env })
    expect(listed.stdout).toContain(results.run.id)
  }, 60_000)

  it('runs only the variants --variant names, and refuses one the suite does not have', async () => {
    const dir = await variantProject()
    const one = await runCli(['eval', '--json', '--no-progress', '--variant', 'v2@b'], {
      cwd: dir,
      env,
    })
    expect(one.code, one.stderr).toBe(0)
    const results = JSON.parse(one.stdout) as ResultsDocument
    expect(results.suites.map((s) => s.name)).toEqual(['support[v2@b]'])

    const unknown = await runCli(['eval', '--no-progress', '--variant', 'v3@a'], { cwd: dir, env })
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('unknown variant "v3@a"')
    expect(unknown.stderr).toContain('v1@a, v1@b, v2@a, v2@b')
  }, 60_000)
})
