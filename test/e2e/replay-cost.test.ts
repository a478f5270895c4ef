import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ResultsDocument } from '../../src/contracts/results.js'
import { runCli } from '../helpers/cli.js'
import { env, evalJson, fakeAnthropic, project } from '../helpers/eval-project.js'

/* A replayed run's cost is marked as replayed: nothing was spent on it (issue 14: 24). */

const USAGE = { input: 1000, output: 100 }
/** haiku 3.5: $0.80 input, $4.00 output per million tokens. */
const COST = (1000 * 0.8 + 100 * 4) / 1e6

describe('the cost of replayed answers', () => {
  it('is marked in the results, the terminal summary and the markdown summary', async () => {
    const fake = await fakeAnthropic(() => ({ kind: 'text', text: 'ok', usage: USAGE }))
    const dir = project(fake.url, 2)
    const recorded = await evalJson(dir, ['--record'])
    expect(recorded.code).toBe(0)
    expect(recorded.results?.summary.replayed).toBeUndefined()

    const args = ['eval', '--replay', '--no-progress', '-o', 'r.json', '-o', 'r.md']
    const replayed = await runCli(args, { cwd: dir, env: {} })
    expect(replayed.code).toBe(0)
    const results = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as ResultsDocument
    expect(results.summary.costUsd).toBeCloseTo(2 * COST, 12)
    expect(results.summary.replayed?.samples).toBe(2)
    expect(results.summary.replayed?.costUsd).toBeCloseTo(2 * COST, 12)
    expect(results.suites[0]?.stats.replayed).toBe(2)
    expect(replayed.stdout).toContain('cost $0.0024 (replayed: $0 spent)')
    expect(readFileSync(join(dir, 'r.md'), 'utf8')).toContain('cost $0.0024 (replayed: $0 spent)')

    // The store says the same.
    const shown = await runCli(['runs', 'show', 'latest', '--json'], { cwd: dir, env })
    const stored = JSON.parse(shown.stdout) as ResultsDocument
    expect(stored.summary.replayed).toEqual(results.summary.replayed)
  })

  it('says which part was replayed when only some answers were', async () => {
    const fake = await fakeAnthropic(() => ({ kind: 'text', text: 'ok', usage: USAGE }))
    const dir = project(fake.url, 1)
    expect((await evalJson(dir, ['--record'])).code).toBe(0)
    const more = project(fake.url, 2)
    // Same cassettes, one case more: the new case is recorded, the old one replayed.
    const run = await runCli(
      ['eval', '--record-missing', '--no-progress', '--cassettes', join(dir, 'cassettes')],
      { cwd: more, env },
    )
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('cost $0.0024 ($0.0012 of it replayed, not spent)')
  })
})
