import { spawnSync } from 'node:child_process'
import { hostname } from 'node:os'
import { describe, expect, it } from 'vitest'
import { recoverAbandonedRuns } from '../../../src/workflows/project/recover.js'
import { openMemoryStore } from '../../../src/stores/memory/index.js'
import { newRun, plannedCase, sample } from '../../contract/store.contract.js'

/** The pid of a process that has already exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid
}

describe('recoverAbandonedRuns', () => {
  it('marks interrupted the runs of dead processes on this host, summarizing what they stored', async () => {
    const store = openMemoryStore()
    const host = hostname()
    await store.runs.create(newRun('20261130-120000-aaaaaa', { owner: { host, pid: deadPid() } }), [
      plannedCase('smoke', 'c1'),
      plannedCase('smoke', 'c2'),
    ])
    await store.runs.appendSamples('20261130-120000-aaaaaa', [sample('smoke', 'c1', 0)])
    await store.runs.create(
      newRun('20261130-120000-bbbbbb', { owner: { host, pid: process.pid } }),
      [],
    )
    await store.runs.create(
      newRun('20261130-120000-cccccc', { owner: { host: 'elsewhere', pid: deadPid() } }),
      [],
    )
    await store.runs.create(newRun('20261130-120000-dddddd', { owner: null }), [])

    const now = new Date('2026-11-30T13:00:00.000Z')
    expect(await recoverAbandonedRuns(store, () => now)).toEqual(['20261130-120000-aaaaaa'])

    const recovered = await store.runs.get('20261130-120000-aaaaaa')
    expect(recovered).toMatchObject({ status: 'interrupted', finishedAt: now.toISOString() })
    expect(recovered?.summary).toMatchObject({ samples: 1, passed: 1, pass: false })
    for (const id of [
      '20261130-120000-bbbbbb',
      '20261130-120000-cccccc',
      '20261130-120000-dddddd',
    ]) {
      expect((await store.runs.get(id))?.status).toBe('running')
    }
    expect(await recoverAbandonedRuns(store, () => now)).toEqual([])
  })
})
