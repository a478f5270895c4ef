import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ResultsDocument } from '../../src/contracts/results.js'
import { shardOf } from '../../src/core/eval/shard.js'
import type { GateVerdict } from '../../src/contracts/gate.js'
import { runCli } from '../helpers/cli.js'
import { comparable, shardedProject } from '../helpers/sharded-project.js'

const read = (dir: string, file: string) =>
  JSON.parse(readFileSync(join(dir, file), 'utf8')) as ResultsDocument

describe('sharded runs (built CLI)', () => {
  it('4 shards merged give the results of the unsharded run', async () => {
    const dir = shardedProject({ soloTag: true })
    const full = await runCli(['eval', '--no-progress', '-o', 'full.json'], { cwd: dir })
    expect(full.code).toBe(1)
    const files: string[] = []
    for (let i = 1; i <= 4; i++) {
      const file = `shard-${i}.json`
      const run = await runCli(['eval', '--no-progress', '--shard', `${i}/4`, '-o', file], {
        cwd: dir,
      })
      expect([0, 1]).toContain(run.code)
      expect(run.stderr).toMatch(new RegExp(`^shard ${i}/4: \\d+ cases?\\n$`))
      expect(run.stdout).toContain(`(shard ${i}/4)`)
      expect(read(dir, file).run.shard).toEqual({ index: i, count: 4 })
      files.push(file)
    }
    const sizes = files.map((f) => read(dir, f).summary.cases)
    expect(sizes.every((n) => n > 0 && n < 40)).toBe(true)

    const merge = await runCli(['merge', ...files, '-o', 'merged.json'], { cwd: dir })
    expect(merge.stderr).toBe('')
    expect(merge.code).toBe(1)
    expect(merge.stdout).toMatch(/review\s+30\s+60\s.*PASS/)
    expect(merge.stdout).toMatch(/answer\s+10\s+20\s.*FAIL/)
    const merged = read(dir, 'merged.json')
    const unsharded = read(dir, 'full.json')
    expect(comparable(merged)).toEqual(comparable(unsharded))
    expect(merged.summary).toMatchObject({ cases: 40, samples: 80, passed: 64, pass: false })
    expect(merged.suites[0]?.cases.map((c) => c.id)).toEqual(
      Array.from({ length: 30 }, (_, i) => `r${i}`),
    )
    expect(merged.run).toMatchObject({ status: 'completed', configHash: unsharded.run.configHash })
    expect(merged.run.shard).toBeUndefined()
    expect(files.map((f) => read(dir, f).run.id)).not.toContain(merged.run.id)

    const stdout = await runCli(['merge', ...[...files].reverse(), '-o', '-'], { cwd: dir })
    expect(stdout.code).toBe(1)
    expect(JSON.parse(stdout.stdout)).toEqual(merged)

    // The gate on the merged run gives the unsharded run's verdict, check by check.
    const verdictOf = async (file: string) => {
      const run = await runCli(['gate', '--results', file, '--json'], { cwd: dir })
      const verdict = JSON.parse(run.stdout) as GateVerdict
      return { code: run.code, pass: verdict.pass, checks: verdict.checks }
    }
    const [gatedMerged, gatedFull] = [await verdictOf('merged.json'), await verdictOf('full.json')]
    expect(gatedMerged.code).toBe(1)
    expect(gatedMerged).toEqual(gatedFull)
  })

  it('refuses missing shards unless --allow-missing, and a shard given twice', async () => {
    const dir = shardedProject({ soloTag: true })
    for (const i of [1, 3]) {
      await runCli(['eval', '--no-progress', '--shard', `${i}/3`, '-o', `s${i}.json`], { cwd: dir })
    }
    const refused = await runCli(['merge', 's1.json', 's3.json', '-o', 'm.json'], { cwd: dir })
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('2 of 3 shards given: missing 2/3')
    expect(refused.stderr).toContain('--allow-missing')
    const allowed = await runCli(
      ['merge', 's1.json', 's3.json', '--allow-missing', '-o', 'm.json'],
      {
        cwd: dir,
      },
    )
    expect([0, 1]).toContain(allowed.code)
    expect(allowed.stderr).toContain('warn: 2 of 3 shards given: missing 2/3')
    expect(read(dir, 'm.json').summary.cases).toBe(
      read(dir, 's1.json').summary.cases + read(dir, 's3.json').summary.cases,
    )
    const twice = await runCli(['merge', 's1.json', 's1.json', '-o', 'm.json'], { cwd: dir })
    expect(twice.code).toBe(2)
    expect(twice.stderr).toContain('shard 1/3 given twice: s1.json and s1.json')
  })

  it('runs an empty shard to completion with 0 cases, and rejects a bad --shard', async () => {
    const dir = shardedProject({ soloTag: true })
    const empty = shardOf('answer', 'a4', 2) === 1 ? 2 : 1
    const run = await runCli(
      ['eval', '--no-progress', '--tag', 'solo', '--shard', `${empty}/2`, '-o', 'empty.json'],
      { cwd: dir },
    )
    expect(run.code).toBe(0)
    expect(read(dir, 'empty.json')).toMatchObject({
      run: { status: 'completed', shard: { index: empty, count: 2 } },
      summary: { cases: 0, samples: 0, pass: true },
    })
    for (const bad of ['0/4', '5/4', 'two']) {
      const refused = await runCli(['eval', '--shard', bad], { cwd: dir })
      expect(refused.code).toBe(2)
      expect(refused.stderr).toContain(`--shard takes i/n with 1 ≤ i ≤ n, e.g. 2/4 (got "${bad}")`)
    }
  })
})
