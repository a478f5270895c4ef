import { setTimeout as sleep } from 'node:timers/promises'
import { beforeEach, describe, expect, it } from 'vitest'
import type { SampleResult } from '../../../src/contracts/results.js'
import type { RunRepository } from '../../../src/contracts/store.js'
import { createBatchWriter } from '../../../src/workflows/eval/writer.js'
import { openMemoryStore } from '../../../src/stores/memory/index.js'
import { newRun, plannedCase, sample } from '../../contract/store.contract.js'

const RUN = '20261130-120000-aaaaaa'

/** A repository that delegates to the memory store and records every appended batch's size. */
function recording(inner: RunRepository): RunRepository & { appended: number[] } {
  const appended: number[] = []
  return {
    appended,
    create: (run, cases) => inner.create(run, cases),
    appendSamples: (runId, samples) => {
      appended.push(samples.length)
      return inner.appendSamples(runId, samples)
    },
    finish: (runId, end) => inner.finish(runId, end),
    get: (runId) => inner.get(runId),
    resolveId: (ref) => inner.resolveId(ref),
    list: (query) => inner.list(query),
    cases: (runId) => inner.cases(runId),
    samples: (runId) => inner.samples(runId),
    prune: (rule) => inner.prune(rule),
    joinShard: (join) => inner.joinShard(join),
    finishShard: (runId, index, end) => inner.finishShard(runId, index, end),
    shards: (runId) => inner.shards(runId),
    addBatch: (runId, batch) => inner.addBatch(runId, batch),
    batches: (runId) => inner.batches(runId),
  }
}

function samplesOf(count: number): SampleResult[] {
  return Array.from({ length: count }, (_, i) => sample('smoke', 'a', i))
}

describe('createBatchWriter', () => {
  let runs: ReturnType<typeof recording>

  beforeEach(async () => {
    runs = recording(openMemoryStore().runs)
    await runs.create(newRun(RUN), [plannedCase('smoke', 'a')])
  })

  it('writes a batch each time batchSize samples are buffered', async () => {
    const writer = createBatchWriter(runs, RUN, { batchSize: 3, maxDelayMs: 60_000 })
    for (const s of samplesOf(7)) writer.add(s)
    await sleep(0)
    expect(runs.appended).toEqual([3, 3])
    await writer.flush()
    expect(runs.appended).toEqual([3, 3, 1])
    expect(await runs.samples(RUN)).toEqual(samplesOf(7))
  })

  it('writes a partial batch once maxDelayMs has passed', async () => {
    const writer = createBatchWriter(runs, RUN, { batchSize: 100, maxDelayMs: 20 })
    for (const s of samplesOf(2)) writer.add(s)
    expect(runs.appended).toEqual([])
    await expect.poll(() => runs.appended, { timeout: 2_000, interval: 5 }).toEqual([2])
    expect(await runs.samples(RUN)).toHaveLength(2)
    await writer.flush()
    expect(runs.appended).toEqual([2])
  })

  it('flush writes the remainder and waits for it', async () => {
    const writer = createBatchWriter(runs, RUN, { batchSize: 100, maxDelayMs: 60_000 })
    for (const s of samplesOf(5)) writer.add(s)
    await writer.flush()
    expect(runs.appended).toEqual([5])
    expect(await runs.samples(RUN)).toEqual(samplesOf(5))
  })

  it('flush with nothing buffered writes nothing', async () => {
    const writer = createBatchWriter(runs, RUN)
    await writer.flush()
    expect(runs.appended).toEqual([])
  })

  it('rethrows a failed append from flush', async () => {
    const writer = createBatchWriter(runs, RUN, { batchSize: 2, maxDelayMs: 60_000 })
    writer.add(sample('smoke', 'a', 0))
    writer.add(sample('smoke', 'a', 0)) // a duplicate key: the store rejects the batch
    writer.add(sample('smoke', 'a', 1))
    await expect(writer.flush()).rejects.toThrow(/already stored/)
    expect(await runs.samples(RUN)).toEqual([])
  })
})
