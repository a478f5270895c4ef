import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import type { Selection } from '../../src/contracts/select.js'
import { runCli } from '../helpers/cli.js'
import { tempProject, writeFiles } from '../helpers/project.js'

/*
 * Smart test selection on throwaway git repositories: a base commit on main, then a change on a
 * branch, and `shipgate select --since main` must name exactly the affected suites and why.
 */

const CONFIG = `version: 1
providers:
  bot: { type: mock, default: ok }
  agent: { type: exec, command: [node, agent/main.js] }
prompts:
  a: { user: { file: prompts/a.liquid } }
  b: { user: { file: prompts/b.liquid } }
  inline: { user: "Question {{ n }}" }
suites:
  uses-a:
    prompt: a
    provider: bot
    cases: [{ vars: { n: 1 } }]
  uses-b:
    prompt: b
    provider: bot
    cases: cases/b.yaml
    trustCases: true
    assert: [{ type: javascript, value: file://checks/b.js }]
  agent:
    prompt: inline
    provider: agent
    cases: [{ vars: { n: 1 } }]
  docs:
    prompt: inline
    provider: bot
    depends_on: ["docs/**/*.md"]
    cases: [{ vars: { n: 1 } }]
  smoke:
    prompt: inline
    provider: bot
    cases: [{ vars: { n: 1 } }]
select: { always: [smoke] }
runner: { concurrency: 4 }
`

function repo(): string {
  const dir = tempProject({
    'shipgate.yaml': CONFIG,
    'prompts/a.liquid': 'A {{ n }}',
    'prompts/b.liquid': 'B {{ n }}',
    'cases/b.yaml':
      '- { id: b1, vars: { n: 2 } }\n- { id: b2, vars: { n: 5 }, assert: [{ type: javascript, value: "file://../checks/case.js" }] }\n',
    'checks/case.js': 'module.exports = () => true\n',
    'checks/b.js': 'module.exports = (output) => output.length > 0\n',
    'agent/main.js': "import { answer } from './lib/answer.js'\nprocess.stdout.write(answer())\n",
    'agent/lib/answer.js':
      "import { tone } from './tone.js'\nexport const answer = () => `ok ${tone}`\n",
    'agent/lib/tone.js': "export const tone = 'calm'\n",
    'agent/package.json': '{ "type": "module" }\n',
    'agent/unused.js': 'export const nothing = 1\n',
    'docs/guide/intro.md': '# intro\n',
    'README.md': '# project\n',
    '.gitignore': '.shipgate/\n',
  })
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' })
  git('init', '-q', '-b', 'main')
  git('add', '-A')
  git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'base')
  git('checkout', '-q', '-b', 'change')
  return dir
}

async function select(dir: string): Promise<Selection> {
  const run = await runCli(['select', '--since', 'main', '--json'], { cwd: dir })
  expect(run.stderr).toBe('')
  expect(run.code).toBe(0)
  return JSON.parse(run.stdout) as Selection
}

const names = (s: Selection) => s.suites.map((x) => x.suite)

describe('shipgate select', () => {
  it('an edited prompt file selects exactly the suites that use it (and the always ones)', async () => {
    const dir = repo()
    writeFiles(dir, { 'prompts/a.liquid': 'A, reworded: {{ n }}' })
    const s = await select(dir)
    expect(s.changed).toEqual(['prompts/a.liquid'])
    expect(names(s)).toEqual(['uses-a', 'smoke'])
    expect(s.suites[0]?.reasons).toEqual([{ file: 'prompts/a.liquid', why: 'prompt file of "a"' }])
    expect(s.suites[1]?.reasons).toEqual([{ file: '(select.always)', why: 'always runs' }])
  })

  it("a file imported by an exec provider's entry selects that suite", async () => {
    const dir = repo()
    writeFiles(dir, { 'agent/lib/tone.js': "export const tone = 'brisk'\n" })
    const s = await select(dir)
    expect(names(s)).toEqual(['agent', 'smoke'])
    expect(s.suites[0]?.reasons).toEqual([
      { file: 'agent/lib/tone.js', why: 'imported by the entry of provider "agent"' },
    ])
    writeFiles(dir, {
      'agent/lib/tone.js': "export const tone = 'calm'\n",
      'agent/unused.js': 'x\n',
    })
    expect(names(await select(dir))).toEqual(['smoke'])
  })

  it('an unrelated change selects only the always suites; the reasons are printed', async () => {
    const dir = repo()
    writeFiles(dir, { 'README.md': '# project, edited\n', 'notes.txt': 'new, untracked\n' })
    const s = await select(dir)
    expect(s.changed).toEqual(['README.md', 'notes.txt'])
    expect(names(s)).toEqual(['smoke'])
    const text = await runCli(['select', '--since', 'main'], { cwd: dir })
    expect(text.stdout).toContain('2 files changed since main')
    expect(text.stdout).toContain('selected smoke\n  (select.always): always runs')
    expect(text.stdout).toContain('not affected: uses-a, uses-b, agent, docs')
  })

  it('case and assertion files, depends_on globs and config entries select their suites', async () => {
    const dir = repo()
    writeFiles(dir, {
      'cases/b.yaml': '- { id: b1, vars: { n: 3 } }\n- { id: b2, vars: { n: 5 } }\n',
      'docs/guide/intro.md': '# intro 2\n',
    })
    let s = await select(dir)
    expect(names(s)).toEqual(['uses-b', 'docs', 'smoke'])
    expect(s.suites[1]?.reasons).toEqual([
      { file: 'docs/guide/intro.md', why: 'matches depends_on' },
    ])
    writeFiles(dir, {
      'cases/b.yaml': '- { id: b1, vars: { n: 2 } }\n- { id: b2, vars: { n: 5 } }\n',
      'docs/guide/intro.md': '# intro\n',
      'checks/b.js': 'module.exports = (output) => output.length > 1\n',
    })
    expect(names(await select(dir))).toEqual(['uses-b', 'smoke'])
    writeFiles(dir, {
      'checks/b.js': 'module.exports = (output) => output.length > 0\n',
      'shipgate.yaml': CONFIG.replace(
        'bot: { type: mock, default: ok }',
        'bot: { type: mock, default: fine }',
      ),
    })
    s = await select(dir)
    expect(names(s)).toEqual(['uses-a', 'uses-b', 'docs', 'smoke'])
    expect(s.suites[0]?.reasons).toEqual([{ file: 'providers.bot', why: 'config entry changed' }])
  })

  it("a file named by an assertion inside a case file selects the case's suite", async () => {
    const dir = repo()
    writeFiles(dir, { 'checks/case.js': 'module.exports = () => false\n' })
    const s = await select(dir)
    expect(names(s)).toEqual(['uses-b', 'smoke'])
    expect(s.suites[0]?.reasons).toEqual([{ file: 'checks/case.js', why: 'assertion file' }])
  })

  it('a global config change selects everything', async () => {
    const dir = repo()
    writeFiles(dir, { 'shipgate.yaml': CONFIG.replace('concurrency: 4', 'concurrency: 2') })
    const s = await select(dir)
    expect(names(s)).toEqual(['uses-a', 'uses-b', 'agent', 'docs', 'smoke'])
    expect(s.suites[2]?.reasons).toEqual([{ file: 'shipgate.yaml', why: 'config runner changed' }])
  })

  it('eval --since runs only the selection', async () => {
    const dir = repo()
    writeFiles(dir, { 'prompts/b.liquid': 'B2 {{ n }}' })
    const run = await runCli(['eval', '--since', 'main', '--json', '--no-progress'], { cwd: dir })
    expect(run.code).toBe(0)
    const results = JSON.parse(run.stdout) as { suites: { name: string }[] }
    expect(results.suites.map((s) => s.name)).toEqual(['uses-b', 'smoke'])
    expect(run.stderr).toContain('selected uses-b\n  prompts/b.liquid: prompt file of "b"')
  })

  it('--reuse-baseline reuses exactly the unchanged cases, and says so', async () => {
    const dir = repo()
    execFileSync('git', ['checkout', '-q', 'main'], { cwd: dir })
    const base = await runCli(['eval', '--no-progress', '-o', 'main.json'], { cwd: dir })
    expect(base.code).toBe(0)
    execFileSync('git', ['checkout', '-q', 'change'], { cwd: dir })
    writeFiles(dir, {
      'cases/b.yaml': '- { id: b1, vars: { n: 2 } }\n- { id: b2, vars: { n: 6 } }\n',
      'agent/lib/tone.js': "export const tone = 'brisk'\n",
    })
    const args = ['eval', '--since', 'main', '--reuse-baseline', '--baseline', 'main.json']
    const run = await runCli([...args, '--json', '--no-progress'], { cwd: dir })
    expect(run.code).toBe(0)
    const results = JSON.parse(run.stdout) as {
      summary: { reused?: number }
      suites: { name: string; cases: { id: string; samples: { reused?: boolean }[] }[] }[]
    }
    const reused = Object.fromEntries(
      results.suites.flatMap((s) =>
        s.cases.map((c) => [`${s.name}/${c.id}`, c.samples.every((x) => x.reused === true)]),
      ),
    )
    // b1 and smoke are unchanged; b2's vars changed; the agent's code changed, which a
    // fingerprint cannot see, so nothing of that suite is reused.
    expect(reused).toEqual({
      'uses-b/b1': true,
      'uses-b/b2': false,
      'agent/agent-483bccd0': false,
      'smoke/smoke-308f9956': true,
    })
    expect(results.summary.reused).toBe(2)
    const text = await runCli([...args, '--no-progress'], { cwd: dir })
    expect(text.stdout).toContain('· 2 samples reused from the baseline ·')
  })
})
