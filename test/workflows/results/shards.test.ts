import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { evaluate } from '../../../src/workflows/eval/index.js'
import { mergeResultsFiles } from '../../../src/workflows/results/merge.js'
import { buildPlan } from '../../../src/workflows/eval/plan.js'
import { loadConfig } from '../../../src/config/load.js'
import type { ResultsDocument } from '../../../src/contracts/results.js'
import { shardOf } from '../../../src/core/eval/shard.js'
import { ShipgateError } from '../../../src/errors.js'
import { silentLogger } from '../../../src/logger.js'
import { openMemoryStore } from '../../../src/stores/memory/index.js'
import { minimalConfig, tempProject, writeFiles } from '../../helpers/project.js'

/** Ten cases named n0…n9; n3 carries the tag `rare`. */
const TEN = Array.from(
  { length: 10 },
  (_, i) => `      - { id: n${i}, vars: { name: N${i} }${i === 3 ? ', tags: [rare]' : ''} }`,
).join('\n')

async function planned(shard?: { index: number; count: number }, tags: string[] = []) {
  const loaded = await loadConfig({
    cwd: tempProject({ 'shipgate.yaml': minimalConfig('', TEN) }),
    env: {},
  })
  const { plan, cases } = await buildPlan(loaded, {
    suites: [],
    tags,
    ...(shard === undefined ? {} : { shard }),
  })
  return { suites: plan.suites, ids: cases.map((c) => c.id) }
}

const expectUsage = (error: unknown, message: string | RegExp) => {
  expect(error).toBeInstanceOf(ShipgateError)
  expect((error as ShipgateError).code).toBe('usage')
  expect((error as ShipgateError).message).toMatch(message)
}

describe('buildPlan with a shard', () => {
  it('keeps the cases of the shard, in config order, and the shards cover every case once', async () => {
    const all = (await planned()).ids
    const parts = await Promise.all([1, 2, 3].map((index) => planned({ index, count: 3 })))
    parts.forEach((part, i) => {
      expect(part.ids).toEqual(all.filter((id) => shardOf('greet', id, 3) === i + 1))
    })
    expect(parts.flatMap((p) => p.ids).sort()).toEqual([...all].sort())
  })

  it('plans an empty shard as no suites, not as a usage error', async () => {
    // Of 2 shards, the one the single `rare` case is not in is empty.
    const empty = shardOf('greet', 'n3', 2) === 1 ? 2 : 1
    expect(await planned({ index: empty, count: 2 }, ['rare'])).toEqual({ suites: [], ids: [] })
    const error: unknown = await planned({ index: 1, count: 2 }, ['none']).catch((e: unknown) => e)
    expectUsage(error, 'no cases match --tag none')
  })
})

describe('evaluate with a shard', () => {
  it('records the shard in the results and the store', async () => {
    const dir = tempProject({ 'shipgate.yaml': minimalConfig('', TEN) })
    const store = openMemoryStore()
    const { results } = await evaluate({
      cwd: dir,
      env: {},
      logger: silentLogger,
      store,
      shard: { index: 2, count: 3 },
    })
    expect(results.run.shard).toEqual({ index: 2, count: 3 })
    expect((await store.runs.get(results.run.id))?.shard).toEqual({ index: 2, count: 3 })
    const ids = results.suites.flatMap((s) => s.cases.map((c) => c.id))
    expect(ids.length).toBeGreaterThan(0)
    expect(ids.every((id) => shardOf('greet', id, 3) === 2)).toBe(true)
  })
})

describe('mergeResultsFiles', () => {
  async function shardFiles(dir: string, count: number): Promise<string[]> {
    const files: string[] = []
    for (let index = 1; index <= count; index++) {
      const { results } = await evaluate({
        cwd: dir,
        env: {},
        logger: silentLogger,
        store: openMemoryStore(),
        shard: { index, count },
      })
      const file = `shard-${index}.json`
      writeFiles(dir, { [file]: JSON.stringify(results) })
      files.push(file)
    }
    return files
  }

  it('writes the merged results file and says whether it passed', async () => {
    const onlyN1 = '    assert: [{ type: contains, value: N1 }]\n'
    const dir = tempProject({ 'shipgate.yaml': minimalConfig(onlyN1, TEN) })
    const files = await shardFiles(dir, 3)
    const warnings: string[] = []
    const logger = { ...silentLogger, warn: (m: string) => void warnings.push(m) }
    const { outcome, results } = await mergeResultsFiles({
      cwd: dir,
      files,
      output: 'out/merged.json',
      logger,
    })
    expect(outcome).toBe('failed') // 1 of 10 cases passes: below the threshold
    const written = JSON.parse(
      readFileSync(join(dir, 'out/merged.json'), 'utf8'),
    ) as ResultsDocument
    expect(written).toEqual(results)
    expect(written.summary).toMatchObject({ cases: 10, samples: 10, passed: 1, pass: false })
    expect(written.suites[0]?.cases.map((c) => c.id)).toEqual(
      Array.from({ length: 10 }, (_, i) => `n${i}`),
    )
    expect(warnings).toEqual([])
  })

  it('redacts secret shapes from shard files made elsewhere before writing the merged file', async () => {
    const dir = tempProject({ 'shipgate.yaml': minimalConfig('', TEN) })
    const files = await shardFiles(dir, 2)
    const key = ['sk', 'proj', 'Ab_9-'.repeat(10)].join('-')
    const first = join(dir, files[0] ?? '')
    const doc = JSON.parse(readFileSync(first, 'utf8')) as ResultsDocument
    const sample = doc.suites[0]?.cases[0]?.samples[0]
    if (sample !== undefined) Object.assign(sample, { output: `echo ${key}` })
    writeFiles(dir, { [files[0] ?? '']: JSON.stringify(doc) })
    const { results } = await mergeResultsFiles({
      cwd: dir,
      files,
      output: 'm.json',
      logger: silentLogger,
    })
    expect(JSON.stringify(results)).toContain('echo [REDACTED]')
    expect(readFileSync(join(dir, 'm.json'), 'utf8')).not.toContain(key)
  })

  it('turns unreadable, non-JSON and foreign files into usage errors naming the file', async () => {
    const dir = tempProject({ 'bad.json': '{ nope', 'other.json': '{"schemaVersion": 2}' })
    const merge = (file: string) =>
      mergeResultsFiles({ cwd: dir, files: [file], output: '-', logger: silentLogger }).catch(
        (e: unknown) => e,
      )
    expectUsage(await merge('missing.json'), /^cannot read missing\.json/)
    expectUsage(await merge('bad.json'), /^bad\.json is not JSON/)
    expectUsage(await merge('other.json'), 'other.json is not a shipgate results file')
  })
})
