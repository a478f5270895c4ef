/**
 * One run written by several machines (`eval --shard i/n --run-id ID`) into a real PostgreSQL:
 * four shard processes started together give the unsharded run's cases, statistics and gate
 * verdict; a shard killed mid-run leaves the run running, and running that shard again alone
 * resumes it and completes the run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GateVerdict } from '../../src/contracts/gate.js'
import type { ResultsDocument } from '../../src/contracts/results.js'
import { runCli, startCli, finished } from '../helpers/cli.js'
import { query, startPostgres, type TestPostgres } from '../helpers/postgres.js'
import { requireService } from '../helpers/services.js'
import { comparable, shardedProject } from '../helpers/sharded-project.js'

const describePostgres = requireService('PostgreSQL', 'initdb')

describePostgres('one run from many shard processes, on PostgreSQL (built CLI)', () => {
  let server: TestPostgres
  beforeAll(async () => {
    server = await startPostgres()
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
  })

  const cli = (dir: string, url: string, args: string[]) =>
    runCli(args[0] === 'eval' ? ['eval', '--no-progress', ...args.slice(1)] : args, {
      cwd: dir,
      env: { SHIPGATE_DATABASE_URL: url },
    })

  const shown = async (dir: string, url: string, ref: string) => {
    const run = await cli(dir, url, ['runs', 'show', ref, '--json'])
    expect(run.code).toBe(0)
    return JSON.parse(run.stdout) as ResultsDocument
  }

  const verdictOf = async (dir: string, url: string, args: string[]) => {
    const run = await cli(dir, url, ['gate', ...args, '--json'])
    const verdict = JSON.parse(run.stdout) as GateVerdict
    return { code: run.code, pass: verdict.pass, checks: verdict.checks }
  }

  it('four shards started together write the unsharded run, check by check', async () => {
    const url = await server.createDatabase()
    const dir = shardedProject({ latencyMs: 5 })
    const full = await cli(dir, url, ['eval', '-o', 'full.json'])
    expect(full.code).toBe(1)
    const shards = await Promise.all(
      [1, 2, 3, 4].map((i) =>
        cli(dir, url, ['eval', '--shard', `${i}/4`, '--run-id', 'gh-123', '-o', `s${i}.json`]),
      ),
    )
    for (const shard of shards) {
      expect([0, 1]).toContain(shard.code)
      expect(shard.stderr + shard.stdout).not.toContain(server.password)
    }
    const logs = shards.map((s) => s.stderr).join('')
    expect(logs.match(/the run is complete/g)).toHaveLength(1)

    const whole = await shown(dir, url, 'gh-123')
    const unsharded = await shown(dir, url, (await readRunId(dir)) ?? 'latest')
    expect(whole.run).toMatchObject({ id: 'gh-123', status: 'completed', shards: 4 })
    expect(whole.run.shard).toBeUndefined()
    expect(comparable(whole)).toEqual(comparable(unsharded))
    expect(whole.summary).toMatchObject({ cases: 40, samples: 80, passed: 64, pass: false })

    const [sharded, single] = [
      await verdictOf(dir, url, ['--run', 'gh-123']),
      await verdictOf(dir, url, ['--run', unsharded.run.id]),
    ]
    expect(sharded.code).toBe(1)
    expect(sharded).toEqual(single)

    // The finished run takes no more shards.
    const late = await cli(dir, url, ['eval', '--shard', '2/4', '--run-id', 'gh-123'])
    expect(late.code).toBe(2)
    expect(late.stderr).toContain('run gh-123 has ended (completed)')
  }, 120_000)

  it('a shard killed mid-run leaves the run running; run again alone, it resumes and completes the run', async () => {
    const url = await server.createDatabase()
    const dir = shardedProject({ latencyMs: 150 })
    const run = (i: number) =>
      cli(dir, url, ['eval', '--shard', `${i}/4`, '--run-id', 'gh-456', '-o', `s${i}.json`])
    await Promise.all([1, 2, 3].map(run))
    const victim = startCli(['eval', '--no-progress', '--shard', '4/4', '--run-id', 'gh-456'], {
      cwd: dir,
      env: { SHIPGATE_DATABASE_URL: url },
    })
    const stored = async () => {
      const { rows } = await query(
        url,
        "SELECT count(*) AS n FROM case_results WHERE run_id = 'gh-456'",
      )
      return Number((rows[0] as { n: string }).n)
    }
    const before = await stored()
    const deadline = Date.now() + 20_000
    while ((await stored()) === before && Date.now() < deadline) await sleep(50)
    victim.kill('SIGKILL')
    await finished(victim)
    const partial = await stored()
    expect(partial).toBeGreaterThan(before)
    expect(partial).toBeLessThan(80)
    const cut = await shown(dir, url, 'gh-456')
    expect(cut.run.status).toBe('running')
    const gated = await verdictOf(dir, url, ['--run', 'gh-456'])
    expect(gated.code).toBe(1)

    const again = await run(4)
    expect([0, 1]).toContain(again.code)
    expect(again.stderr).toContain(
      `resuming, ${partial - before} samples stored by an earlier attempt`,
    )
    expect(again.stderr).toContain('the run is complete')
    const whole = await shown(dir, url, 'gh-456')
    expect(whole.run.status).toBe('completed')
    expect(whole.summary).toMatchObject({ cases: 40, samples: 80, passed: 64, pass: false })

    const full = await cli(dir, url, ['eval', '-o', 'full.json'])
    expect(full.code).toBe(1)
    const unsharded = await shown(dir, url, 'latest')
    expect(comparable(whole)).toEqual(comparable(unsharded))
  }, 120_000)
})

describe('one run from many shard processes, on the SQLite file (built CLI)', () => {
  it('four shards started together on one machine write the unsharded run', async () => {
    const dir = shardedProject({ latencyMs: 5 })
    const cli = (args: string[]) => runCli(args, { cwd: dir })
    expect((await cli(['eval', '--no-progress', '-o', 'full.json'])).code).toBe(1)
    const shards = await Promise.all(
      [1, 2, 3, 4].map((i) =>
        cli(['eval', '--no-progress', '--shard', `${i}/4`, '--run-id', 'local-1']),
      ),
    )
    expect(shards.map((s) => s.code).every((code) => code === 0 || code === 1)).toBe(true)
    const show = async (ref: string) =>
      JSON.parse((await cli(['runs', 'show', ref, '--json'])).stdout) as ResultsDocument
    const whole = await show('local-1')
    expect(whole.run).toMatchObject({ status: 'completed', shards: 4 })
    expect(comparable(whole)).toEqual(comparable(await show((await readRunId(dir)) ?? '')))
  }, 60_000)
})

/** The id of the run `eval -o full.json` wrote. */
async function readRunId(dir: string): Promise<string | undefined> {
  const { readFile } = await import('node:fs/promises')
  const { join } = await import('node:path')
  const results = JSON.parse(await readFile(join(dir, 'full.json'), 'utf8')) as ResultsDocument
  return results.run.id
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
