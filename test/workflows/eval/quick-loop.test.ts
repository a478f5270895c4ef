import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ConfigInput } from '../../../src/config/schema.js'
import type { Logger } from '../../../src/contracts/logger.js'
import type { ResultsDocument } from '../../../src/contracts/results.js'
import { mergeShards } from '../../../src/core/eval/merge.js'
import { sampleOf } from '../../../src/core/eval/select-cases.js'
import { ShipgateError } from '../../../src/errors.js'
import type { FunctionCall } from '../../../src/providers/function/index.js'
import { evaluate, type EvalOptions } from '../../../src/workflows/eval/index.js'
import { tempProject } from '../../helpers/project.js'

/*
 * The quick loop through the library, over a 1,000-case suite whose system under test is a
 * function: every 50th case answers wrong (fails), every 250th from 1 throws (errors). Runs go
 * into the real SQLite store of a temp project.
 */

const N = 1000
const id = (i: number) => `c${String(i).padStart(4, '0')}`
const fails = (i: number) => i % 50 === 0
const errors = (i: number) => i % 250 === 1

const answer: FunctionCall = (request) => {
  const n = Number(request.vars.n)
  if (errors(n)) return Promise.reject(new Error(`case ${n} crashed`))
  return Promise.resolve({ output: fails(n) ? 'no' : 'yes' })
}

function config(count = N, only?: (i: number) => boolean): ConfigInput {
  const indices = Array.from({ length: count }, (_, i) => i).filter((i) => only?.(i) ?? true)
  return {
    version: 1,
    providers: { app: { type: 'function', call: answer } },
    prompts: { p: { user: 'Question {{ n }}' } },
    suites: {
      big: {
        prompt: 'p',
        provider: 'app',
        // Below every pass rate: the suite passes, its failed cases are what is re-run.
        threshold: 0,
        assert: [{ type: 'equals', value: 'yes' }],
        cases: indices.map((i) => ({
          id: id(i),
          vars: { n: i },
          description: i % 10 === 0 ? `Refund request ${i}` : `Question ${i}`,
          tags: i < 500 ? ['early'] : [],
        })),
      },
      small: {
        prompt: 'p',
        provider: 'app',
        threshold: 0,
        assert: [{ type: 'equals', value: 'yes' }],
        cases: [0, 1, 2, 3].map((i) => ({ id: `s${i}`, vars: { n: i + 2 } })),
      },
    },
  }
}

function logger(): Logger & { warnings: string[]; infos: string[] } {
  const warnings: string[] = []
  const infos: string[] = []
  const log = {
    warnings,
    infos,
    debug: () => {},
    info: (m: string) => infos.push(m),
    warn: (m: string) => warnings.push(m),
    error: () => {},
    child: () => log,
  }
  return log
}

async function run(cwd: string, options: Partial<EvalOptions> = {}, value = config()) {
  const log = logger()
  const result = await evaluate({ config: value, cwd, env: {}, logger: log, ...options })
  return { result, log }
}

/** The error a call fails with. */
async function failure(promise: Promise<unknown>): Promise<ShipgateError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ShipgateError)
  return error as ShipgateError
}

/** The cases a run ran, as `suite/id`. */
function ran(results: ResultsDocument): string[] {
  return results.suites.flatMap((s) => s.cases.map((c) => `${s.name}/${c.id}`))
}

async function ranWith(options: Partial<EvalOptions>, cwd = tempProject({})) {
  const { result, log } = await run(cwd, options)
  if (result.outcome === 'skipped') throw new Error(`skipped: ${result.reason}`)
  return { ids: ran(result.results), results: result.results, log }
}

const range = (from: number, to: number, keep: (i: number) => boolean = () => true) =>
  Array.from({ length: to - from }, (_, k) => from + k).filter(keep)

describe('eval --case, --filter, --first, --sample over a 1,000-case suite', () => {
  it('--case runs exactly the named cases and records the selection', async () => {
    const { ids, results, log } = await ranWith({ cases: ['c0007', 'big/c0999', 's3'] })
    expect(ids).toEqual(['big/c0007', 'big/c0999', 'small/s3'])
    expect(results.run.selection).toEqual({
      cases: ['c0007', 'big/c0999', 's3'],
      kept: 3,
      of: N + 4,
    })
    expect(log.infos.join('\n')).toContain('partial run: 3 of 1,004 cases')
  })

  it('--case with an unknown id is a usage error naming the closest id', async () => {
    const error = await failure(run(tempProject({}), { cases: ['c0007', 'c1007x'] }))
    expect(error.exitCode).toBe(2)
    expect(error.message).toContain('"c1007x" (did you mean "c0007"?)')
  })

  it('--filter runs the cases whose id or description match, case-insensitively', async () => {
    const { ids } = await ranWith({ filter: 'REFUND', suites: ['big'] })
    expect(ids).toEqual(range(0, N, (i) => i % 10 === 0).map((i) => `big/${id(i)}`))
    const byId = await ranWith({ filter: '^c099[5-9]$|^s[12]$' })
    expect(byId.ids).toEqual([
      ...range(995, 1000).map((i) => `big/${id(i)}`),
      'small/s1',
      'small/s2',
    ])
  })

  it('--filter that is not a regular expression is a usage error', async () => {
    const error = await failure(run(tempProject({}), { filter: 'refund(' }))
    expect(error.message).toMatch(/--filter "refund\(" is not a regular expression/)
  })

  it('--first runs the first n cases of each suite, after --tag and --filter', async () => {
    const { ids } = await ranWith({ first: 3 })
    expect(ids).toEqual(['big/c0000', 'big/c0001', 'big/c0002', 'small/s0', 'small/s1', 'small/s2'])
    const filtered = await ranWith({ first: 4, filter: 'refund', tags: ['early'] })
    expect(filtered.ids).toEqual(['big/c0000', 'big/c0010', 'big/c0020', 'big/c0030'])
  })

  it('--sample runs n random cases of each suite, the same ones for the same --seed', async () => {
    const one = await ranWith({ sample: 40, seed: 5, suites: ['big'] })
    const again = await ranWith({ sample: 40, seed: 5, suites: ['big'] })
    const other = await ranWith({ sample: 40, seed: 6, suites: ['big'] })
    expect(one.ids).toHaveLength(40)
    expect(one.ids).toEqual(again.ids)
    expect(one.ids).not.toEqual(other.ids)
    const expected = sampleOf(range(0, N), { size: 40, seed: 5 }, 'big').map((i) => `big/${id(i)}`)
    expect(one.ids).toEqual(expected)
    expect(one.results.run.selection).toMatchObject({ sample: 40, seed: 5, kept: 40, of: N })
  })

  it('--sample without --seed draws a number and says which, to draw the same again', async () => {
    const { ids, results, log } = await ranWith({ sample: 10, suites: ['big'], random: () => 0.25 })
    expect(results.run.selection?.seed).toBe(2 ** 29)
    expect(log.infos.join('\n')).toContain(`--seed ${2 ** 29}`)
    expect((await ranWith({ sample: 10, seed: 2 ** 29, suites: ['big'] })).ids).toEqual(ids)
  })

  it('--seed without --sample is a usage error', async () => {
    const error = await failure(run(tempProject({}), { seed: 3 }))
    expect(error.message).toContain('--seed')
  })

  it('composes with sharding: the shards of a filtered run split exactly its cases', async () => {
    const shards = await Promise.all(
      [1, 2, 3].map((index) => ranWith({ filter: 'refund', shard: { index, count: 3 } })),
    )
    const union = shards.flatMap((s) => s.ids).sort()
    expect(union).toEqual(range(0, N, (i) => i % 10 === 0).map((i) => `big/${id(i)}`))
    for (const s of shards) expect(s.ids.length).toBeLessThan(100)
    // Merged, the run is still the partial run it was.
    const merged = mergeShards(shards.map((s, i) => ({ name: `shard-${i}`, results: s.results })))
    expect(merged.ok && merged.results.run.selection).toEqual({
      filter: 'refund',
      kept: 100,
      of: N + 4,
    })
  })
})

describe('eval --rerun-failed', () => {
  const failed = [
    ...range(0, N, (i) => fails(i) || errors(i)).map((i) => `big/${id(i)}`),
    // small's s0..s3 answer n = 2..5: none fails or errors.
  ]

  it('runs the failed and errored cases of the latest run, from the store', async () => {
    const cwd = tempProject({})
    const full = await run(cwd)
    expect(full.result.outcome).toBe('passed')
    const again = await ranWith({ rerunFailed: true }, cwd)
    expect(again.ids).toEqual(failed)
    expect(again.results.run.selection).toMatchObject({
      rerunOf: full.result.outcome === 'skipped' ? '' : full.result.results.run.id,
      kept: failed.length,
    })
  })

  it('runs the failed cases of a results file, or of a run named by an id prefix', async () => {
    const cwd = tempProject({})
    const full = await run(cwd)
    if (full.result.outcome === 'skipped') throw new Error('skipped')
    const file = join(cwd, 'results.json')
    writeFileSync(file, JSON.stringify(full.result.results))
    // Another run in between: the file and the id name the first one, not the latest.
    await run(cwd, { cases: ['c0001'] })
    expect((await ranWith({ rerunFailed: 'results.json' }, cwd)).ids).toEqual(failed)
    const prefix = full.result.results.run.id.slice(0, 22)
    expect((await ranWith({ rerunFailed: prefix }, cwd)).ids).toEqual(failed)
  })

  it('reports failed cases that no longer exist, and runs the others', async () => {
    const cwd = tempProject({})
    await run(cwd)
    const fewer = config(600)
    const { result, log } = await run(cwd, { rerunFailed: true }, fewer)
    if (result.outcome === 'skipped') throw new Error('skipped')
    expect(ran(result.results)).toEqual(failed.filter((f) => Number(f.slice(5)) < 600))
    const gone = failed.filter((f) => Number(f.slice(5)) >= 600)
    expect(log.warnings).toHaveLength(gone.length)
    gone.forEach((f, i) => expect(log.warnings[i]).toContain(`case ${f} of run`))
  })

  it('runs nothing after a run where every case passed, and says so', async () => {
    const cwd = tempProject({})
    const passing = config(N, (i) => !fails(i) && !errors(i))
    const first = await run(cwd, {}, passing)
    expect(first.result.outcome).toBe('passed')
    const { result } = await run(cwd, { rerunFailed: true }, passing)
    expect(result.outcome).toBe('skipped')
    expect(result.outcome === 'skipped' ? result.reason : '').toMatch(
      /^run \S+ had no failed or errored case$/,
    )
  })

  it('with no run in the store is a usage error', async () => {
    const error = await failure(run(tempProject({}), { rerunFailed: true }))
    expect(error.exitCode).toBe(2)
    expect(error.message).toContain('--rerun-failed: no run')
  })
})
