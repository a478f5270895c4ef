import type { ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ResultsDocument } from '../../src/contracts/results.js'
import { finished, runCli, startCli } from '../helpers/cli.js'
import { tempProject } from '../helpers/project.js'

/*
 * The built CLI's quick loop in a temp project on the mock provider: narrowing flags and their
 * usage errors, --rerun-failed from the store and from a results file, and --watch driven by
 * real saves, stopped by Ctrl-C.
 */

const CONFIG = `version: 1
providers:
  bot: { type: mock, responses: [ { match: "wrong", output: "no" } ], default: "yes" }
prompts:
  a: prompts/a.txt
  b: prompts/b.txt
suites:
  sa: { prompt: a, provider: bot, cases: cases.jsonl, assert: [ { type: equals, value: "yes" } ] }
  sb: { prompt: b, provider: bot, cases: [ { id: b1, vars: { n: 1 } } ] }
`

function project(wrong: (i: number) => boolean = (i) => i % 5 === 0): string {
  const cases = Array.from({ length: 20 }, (_, i) =>
    JSON.stringify({ id: `a${i}`, vars: { n: i, w: wrong(i) ? 'wrong' : 'right' } }),
  ).join('\n')
  return tempProject({
    'shipgate.yaml': CONFIG,
    'prompts/a.txt': 'A {{ n }} {{ w }}',
    'prompts/b.txt': 'B {{ n }}',
    'cases.jsonl': cases,
  })
}

const ids = (r: ResultsDocument) => r.suites.flatMap((s) => s.cases.map((c) => `${s.name}/${c.id}`))

async function evalJson(cwd: string, args: string[]) {
  const run = await runCli(['eval', '--json', '--no-progress', ...args], { cwd })
  return { ...run, results: JSON.parse(run.stdout) as ResultsDocument }
}

describe('shipgate eval: the quick loop', () => {
  it('--case with an unknown id exits 2 naming the closest id', async () => {
    const run = await runCli(['eval', '--no-progress', '--case', 'a77'], { cwd: project() })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('"a77" (did you mean "a7"?)')
  })

  it('--filter and --first narrow the run, which says it is partial', async () => {
    const run = await evalJson(project(), ['--filter', '^a1', '--first', '3'])
    expect(ids(run.results)).toEqual(['sa/a1', 'sa/a10', 'sa/a11'])
    expect(run.results.run.selection).toEqual({ filter: '^a1', first: 3, kept: 3, of: 21 })
    expect(run.stderr).toContain('partial run: 3 of 21 cases')
  })

  it('--rerun-failed runs what failed in the latest run, or in a results file', async () => {
    const cwd = project()
    const full = await runCli(['eval', '--no-progress', '-o', 'full.json'], { cwd })
    expect(full.code).toBe(1)
    const failed = ['sa/a0', 'sa/a5', 'sa/a10', 'sa/a15']
    const latest = await evalJson(cwd, ['--rerun-failed'])
    expect(ids(latest.results)).toEqual(failed)
    expect(latest.code).toBe(1)
    const fromFile = await evalJson(cwd, ['--rerun-failed', 'full.json'])
    expect(ids(fromFile.results)).toEqual(failed)
  })

  it('--rerun-failed after a run where everything passed runs nothing, exit 0', async () => {
    const cwd = project(() => false)
    expect((await runCli(['eval', '--no-progress'], { cwd })).code).toBe(0)
    const again = await runCli(['eval', '--no-progress', '--rerun-failed'], { cwd })
    expect(again.code).toBe(0)
    expect(again.stdout).toBe('')
    expect(again.stderr).toMatch(/nothing to run: run \S+ had no failed or errored case/)
  })
})

describe('shipgate eval --watch', () => {
  const children: ChildProcess[] = []
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL')
  })

  it('runs, re-runs exactly the suites of a saved prompt, and leaves on Ctrl-C with 130', async () => {
    const cwd = project()
    const child = startCli(['eval', '--watch', '--no-progress'], { cwd })
    children.push(child)
    const done = finished(child)
    let stdout = ''
    let stderr = ''
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
    const until = async (check: () => boolean, what: string) => {
      const deadline = Date.now() + 15_000
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`no ${what}:\n${stderr}\n${stdout}`)
        await new Promise((resolve) => setTimeout(resolve, 25))
      }
    }
    const runs = () => stdout.match(/^run \S+ /gm)?.length ?? 0
    await until(() => stderr.includes('watching') && runs() === 1, 'first run')
    expect(stdout).toMatch(/^sa /m)
    expect(stdout).toMatch(/^sb /m)

    const before = stdout.length
    writeFileSync(join(cwd, 'prompts/b.txt'), 'B2 {{ n }}')
    await until(() => runs() === 2, 'run after the save')
    expect(stderr).toContain('prompts/b.txt changed: running sb\n')
    const second = stdout.slice(before)
    expect(second).toMatch(/^sb /m)
    expect(second).not.toMatch(/^sa /m)

    writeFileSync(join(cwd, 'notes.txt'), 'not a dependency')
    await new Promise((resolve) => setTimeout(resolve, 800))
    expect(runs()).toBe(2)

    child.kill('SIGINT')
    const exit = await Promise.race([
      done,
      new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 10_000)),
    ])
    expect(exit).not.toBe('hung')
    expect(exit === 'hung' ? null : exit.code).toBe(130)
  }, 60_000)
})
