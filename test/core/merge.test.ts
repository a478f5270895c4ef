import { describe, expect, it } from 'vitest'
import type {
  ResultsDocument,
  RunInfo,
  SampleResult,
  SuiteInfo,
} from '../../src/contracts/results.js'
import { buildResults } from '../../src/core/eval/aggregate.js'
import { mergeShards, type NamedResults } from '../../src/core/eval/merge.js'
import { shardOf } from '../../src/core/eval/shard.js'
import { completedRun, suiteInfo } from '../helpers/results.js'

const bot = { name: 'bot', id: 'mock:bot' }
const SUITES: SuiteInfo[] = [
  suiteInfo({
    name: 'alpha',
    provider: bot,
    prompt: { name: 'p', version: 'v1' },
    threshold: 0.7,
    repeat: 3,
    casePass: 'majority',
    k: 2,
  }),
  suiteInfo({
    name: 'beta',
    provider: bot,
    prompt: { name: 'q', version: 'v2' },
    threshold: 0.9,
    repeat: 2,
    k: 2,
  }),
]

/** 30 alpha cases and 12 beta cases, declared in order; ids do not sort in that order. */
const CASES = SUITES.flatMap((suite, s) =>
  Array.from({ length: s === 0 ? 30 : 12 }, (_, i) => ({
    suite: suite.name,
    id: `${suite.name[0]}-${i}`,
    vars: { n: i },
    tags: i % 3 === 0 ? ['slow'] : [],
    source: { file: `evals/${suite.name}.yaml`, line: 3 + 2 * i, column: 5 },
  })),
)

function samplesOf(suite: SuiteInfo, caseId: string, i: number): SampleResult[] {
  return Array.from({ length: suite.repeat }, (_, sample) => {
    const pass = (i * 7 + sample) % 5 !== 0
    return {
      suite: suite.name,
      caseId,
      sample,
      output: `${caseId}#${sample}`,
      pass,
      score: pass ? 1 : 0.2 + (i % 3) / 10,
      grades: [
        {
          type: 'g-eval',
          pass,
          score: pass ? 0.9 : 0.3,
          reason: 'r',
          weight: 1,
          value: 1 + (i % 10),
        },
      ],
      usage: { input: 10 + i, output: 5 + sample, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
      costUsd: i % 4 === 0 ? null : 0.0001 * (i + 1),
      latencyMs: 10 + ((i * 13 + sample * 7) % 40),
      error: pass || i % 2 === 0 ? null : { kind: 'timeout', message: 'slow' },
      attempts: 1,
      cached: false,
    }
  })
}

const SAMPLES = CASES.flatMap((c) =>
  samplesOf(
    SUITES.find((s) => s.name === c.suite)!,
    c.id,
    Number(c.vars.n),
  ),
)

function runInfo(overrides: Partial<RunInfo> = {}): RunInfo {
  return completedRun({
    id: '20261130-120000-000000',
    finishedAt: '2026-11-30T12:10:00.000Z',
    git: { commit: 'abc', branch: 'main', dirty: false },
    configHash: 'cfg',
    ...overrides,
  })
}

/** Shard `index` of `count`, run as `eval --shard` would: its cases and their samples only. */
function shard(index: number, count = 4, overrides: Partial<RunInfo> = {}): NamedResults {
  const mine = (suite: string, id: string) => shardOf(suite, id, count) === index
  const cases = CASES.filter((c) => mine(c.suite, c.id))
  const suites = SUITES.filter((s) => cases.some((c) => c.suite === s.name))
  const results = buildResults({
    run: runInfo({
      id: `20261130-12000${index}-00000${index}`,
      startedAt: `2026-11-30T12:00:0${index}.000Z`,
      finishedAt: `2026-11-30T12:0${9 - index}:00.000Z`,
      shard: { index, count },
      ...overrides,
    }),
    suites,
    cases,
    samples: SAMPLES.filter((s) => mine(s.suite, s.caseId)),
  })
  return { name: `shard-${index}.json`, results }
}

const shards = (count = 4) => Array.from({ length: count }, (_, i) => shard(i + 1, count))

function merged(inputs: readonly NamedResults[], allowMissing = false): ResultsDocument {
  const outcome = mergeShards(inputs, { allowMissing })
  if (!outcome.ok) throw new Error(outcome.problem.message)
  return outcome.results
}

function problem(inputs: readonly NamedResults[], allowMissing = false): string {
  const outcome = mergeShards(inputs, { allowMissing })
  expect(outcome.ok).toBe(false)
  return outcome.ok ? '' : outcome.problem.message
}

describe('mergeShards', () => {
  it('gives the results of the unsharded run: cases, order and statistics', () => {
    const whole = buildResults({
      run: runInfo({ startedAt: '2026-11-30T12:00:01.000Z', finishedAt: '2026-11-30T12:08:00Z' }),
      suites: SUITES,
      cases: CASES,
      samples: SAMPLES,
    })
    // Every shard has some cases, so the merge is a real join of four parts.
    for (const s of shards()) expect(s.results.summary.cases).toBeGreaterThan(0)
    const result = merged([...shards()].reverse())
    expect(result.suites).toEqual(whole.suites)
    expect(result.summary).toEqual({ ...whole.summary, durationMs: 479_000 })
    expect(result.summary.pass).toBe(false)
    expect(result.suites.map((s) => s.pass)).toEqual([true, false])
  })

  it('makes a run of its own: derived id, earliest start, latest finish, no shard', () => {
    const result = merged(shards())
    expect(result.run).toEqual({
      id: expect.stringMatching(/^20261130-120001-[0-9a-f]{6}$/) as string,
      status: 'completed',
      startedAt: '2026-11-30T12:00:01.000Z',
      finishedAt: '2026-11-30T12:08:00.000Z',
      git: { commit: 'abc', branch: 'main', dirty: false },
      configHash: 'cfg',
      shipgateVersion: '0.1.0',
    })
    expect(merged([...shards()].reverse()).run.id).toBe(result.run.id)
    const other = [shard(1), shard(2), shard(3), shard(4, 4, { id: '20261130-120004-ffffff' })]
    expect(merged(other).run.id).not.toBe(result.run.id)
  })

  it('takes the worst status of the shards: failed > interrupted > completed', () => {
    const interrupted = [shard(1), shard(2, 4, { status: 'interrupted' }), shard(3), shard(4)]
    expect(merged(interrupted).run.status).toBe('interrupted')
    expect(merged(interrupted).summary.pass).toBe(false)
    const failed = [...interrupted.slice(0, 2), shard(3, 4, { status: 'failed' }), shard(4)]
    expect(merged(failed).run.status).toBe('failed')
  })

  it('keeps the config order of suites when the first shard lacks one', () => {
    const only = (index: number, names: string[]): NamedResults => {
      const suites = SUITES.filter((s) => names.includes(s.name))
      const cases = CASES.filter((c) => names.includes(c.suite) && c.vars.n === index)
      return {
        name: `s${index}.json`,
        results: buildResults({
          run: runInfo({ id: `run-${index}`, shard: { index, count: 2 } }),
          suites,
          cases,
          samples: SAMPLES.filter((s) => cases.some((c) => c.id === s.caseId)),
        }),
      }
    }
    const result = merged([only(1, ['beta']), only(2, ['alpha', 'beta'])])
    expect(result.suites.map((s) => [s.name, s.cases.map((c) => c.id)])).toEqual([
      ['alpha', ['a-2']],
      ['beta', ['b-1', 'b-2']],
    ])
  })

  it('refuses shards of different configs, naming both files and hashes', () => {
    const message = problem([shard(1), shard(2, 4, { configHash: 'other' }), shard(3), shard(4)])
    expect(message).toBe(
      'shards of different configs: shard-1.json has config hash cfg, shard-2.json has other',
    )
  })

  it('refuses a case found in two files, naming it and them', () => {
    const twin = { ...shard(1, 2), name: 'copy.json' }
    const relabelled = {
      ...twin,
      results: { ...twin.results, run: { ...twin.results.run, shard: { index: 2, count: 2 } } },
    }
    const first = shard(1, 2).results.suites[0]!
    expect(problem([shard(1, 2), relabelled])).toBe(
      `case ${first.name}/${first.cases[0]!.id} is in both shard-1.json and copy.json`,
    )
  })

  it('refuses the same shard twice, shards of different counts, and runs that are no shard', () => {
    expect(problem([shard(1), shard(2), { ...shard(2), name: 'again.json' }, shard(4)])).toBe(
      'shard 2/4 given twice: shard-2.json and again.json',
    )
    expect(problem([shard(1, 2), shard(2, 3)])).toContain('shards of different counts')
    const plain = { ...shard(1), results: { ...shard(1).results, run: runInfo() } }
    expect(problem([plain])).toBe('shard-1.json is not a shard: its run was made without --shard')
    expect(problem([])).toBe('no results files to merge')
  })

  it('refuses a suite that ran differently in two shards', () => {
    const changed = shard(2)
    const suites = changed.results.suites.map((s) => ({ ...s, threshold: 0.5 }))
    const edited = { ...changed, results: { ...changed.results, suites } }
    expect(problem([shard(1), edited, shard(3), shard(4)])).toMatch(
      /^suite "alpha" ran differently in shard-1.json and shard-2.json$/,
    )
  })

  it('refuses missing shards unless allowed, then warns and merges what there is', () => {
    const some = [shard(1), shard(3)]
    expect(problem(some)).toBe('2 of 4 shards given: missing 2/4, 4/4')
    const outcome = mergeShards(some, { allowMissing: true })
    expect(outcome.ok && outcome.warnings).toEqual([
      '2 of 4 shards given: missing 2/4, 4/4; the merged results cover only the shards given',
    ])
    const cases = some.reduce((n, s) => n + s.results.summary.cases, 0)
    expect(merged(some, true).summary.cases).toBe(cases)
  })

  it('warns when shards ran on different commits or versions', () => {
    const inputs = [
      shard(1),
      shard(2, 4, { git: { commit: 'def', branch: 'main', dirty: false } }),
      shard(3, 4, { shipgateVersion: '0.2.0' }),
      shard(4),
    ]
    const outcome = mergeShards(inputs)
    expect(outcome.ok && outcome.warnings).toEqual([
      'shards ran on different shipgate versions: 0.1.0, 0.2.0',
      'shards ran on different commits: abc, def',
    ])
  })
})
