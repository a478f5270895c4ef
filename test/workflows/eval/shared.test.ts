import { hostname } from 'node:os'
import { describe, expect, it } from 'vitest'
import type { ConfigInput } from '../../../src/config/schema.js'
import { ShipgateError } from '../../../src/errors.js'
import { silentLogger } from '../../../src/logger.js'
import { openMemoryStore } from '../../../src/stores/memory/index.js'
import { evaluate } from '../../../src/workflows/eval/index.js'
import { tempProject } from '../../helpers/project.js'
import { shardJoin } from '../../contract/store.contract.js'

/*
 * `evaluate` with a `runId`: the checks made before anything runs, and the run a shard joins.
 * The processes racing, a shard killed and resumed, and Postgres are in
 * test/e2e/shared-run.test.ts.
 */

function config(cases: number, repeat = 1): ConfigInput {
  return {
    version: 1,
    providers: { bot: { type: 'mock', default: 'ok' } },
    prompts: { p: { user: 'say {{ n }}' } },
    suites: {
      s: {
        prompt: 'p',
        provider: 'bot',
        repeat,
        assert: [{ type: 'equals', value: 'ok' }],
        cases: Array.from({ length: cases }, (_, n) => ({ id: `c${n}`, vars: { n } })),
      },
    },
  }
}

const base = { cwd: tempProject({}), env: {}, logger: silentLogger }

describe('evaluate with a shared run id', () => {
  it('refuses --run-id without a shard, and an id that is not a plain name', async () => {
    const store = openMemoryStore()
    await expect(evaluate({ ...base, config: config(2), store, runId: 'r1' })).rejects.toThrow(
      /--run-id joins the shards of one eval into one stored run: it needs --shard i\/n/,
    )
    const shard = { index: 1, count: 2 }
    for (const runId of ['', 'a b', '../x', 'x'.repeat(129)]) {
      await expect(evaluate({ ...base, config: config(2), store, runId, shard })).rejects.toThrow(
        /is not a run id/,
      )
    }
    expect(await store.runs.list()).toEqual([])
  })

  it('writes every shard into one run, which completes with the last, its cases in plan order', async () => {
    const store = openMemoryStore()
    const value = config(12, 2)
    for (const index of [2, 1, 3]) {
      const shard = { index, count: 3 }
      const { results } = await evaluate({ ...base, config: value, store, runId: 'r1', shard })
      expect(results.run).toMatchObject({ id: 'r1', shard })
      const run = await store.runs.get('r1')
      expect(run?.status).toBe(index === 3 ? 'completed' : 'running')
    }
    const run = await store.runs.get('r1')
    expect(run).toMatchObject({ shards: 3, owner: null, summary: { cases: 12, samples: 24 } })
    expect((await store.runs.cases('r1')).map((c) => c.id)).toEqual(
      Array.from({ length: 12 }, (_, n) => `c${n}`),
    )
    expect(await store.runs.samples('r1')).toHaveLength(24)
  })

  it('refuses a shard of another plan, naming what differs, before running anything', async () => {
    const store = openMemoryStore()
    const shard = { index: 1, count: 2 }
    await evaluate({ ...base, config: config(4), store, runId: 'r1', shard })
    const other = { index: 2, count: 2 }
    const refused = evaluate({ ...base, config: config(5), store, runId: 'r1', shard: other })
    await expect(refused).rejects.toThrow(/cannot join shard 2\/2 of run r1: .*planned other cases/)
    await expect(refused).rejects.toBeInstanceOf(ShipgateError)
    expect((await store.runs.shards('r1')).map((s) => s.index)).toEqual([1])
  })

  it('refuses to run a shard that a live process of this machine is running', async () => {
    const store = openMemoryStore()
    const value = config(4)
    // The store says shard 1 runs in this very test's parent process: alive, and not us.
    await store.runs.joinShard({
      ...shardJoin(1),
      run: { ...shardJoin(1).run, id: 'r1' },
      owner: { host: hostname(), pid: process.ppid },
    })
    const shard = { index: 1, count: 3 }
    await expect(evaluate({ ...base, config: value, store, runId: 'r1', shard })).rejects.toThrow(
      `shard 1/3 of run r1 is running in process ${process.ppid} on this machine`,
    )
  })
})
