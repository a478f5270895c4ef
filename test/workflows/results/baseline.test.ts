import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { NewRun, Store } from '../../../src/contracts/store.js'
import { openStore } from '../../../src/stores/index.js'
import { findBaseline, storedBaseline } from '../../../src/workflows/results/index.js'
import { newRun } from '../../contract/store.contract.js'

const SUMMARY = {
  suites: 1,
  cases: 0,
  samples: 0,
  passed: 0,
  failed: 0,
  errors: 0,
  costUsd: null,
  judgeCostUsd: null,
  durationMs: 0,
  pass: true,
}
const CURRENT = {
  id: '20261130-130000-cccccc',
  startedAt: '2026-11-30T13:00:00.000Z',
  suites: ['smoke'],
}

describe('the baseline of a run passes over partial runs', () => {
  let store: Store

  beforeEach(async () => {
    store = await openStore(':memory:', process.cwd())
  })
  afterEach(() => store.close())

  async function finished(id: string, minute: number, overrides: Partial<NewRun> = {}) {
    const startedAt = `2026-11-30T12:${String(minute).padStart(2, '0')}:00.000Z`
    await store.runs.create(newRun(id, { startedAt, ...overrides }), [])
    await store.runs.finish(id, {
      status: 'completed',
      finishedAt: startedAt,
      summary: SUMMARY,
    })
  }

  it('chooses the newest full run of the branch, not a newer run of some of its cases', async () => {
    await finished('20261130-120100-aaaaaa', 1)
    await finished('20261130-120200-bbbbbb', 2, {
      selection: { cases: ['smoke/a'], kept: 1, of: 40 },
    })
    expect((await storedBaseline('main', CURRENT, store))?.id).toBe('20261130-120100-aaaaaa')
    const found = await findBaseline('main', CURRENT, store, process.cwd())
    expect(found.found?.results.run.id).toBe('20261130-120100-aaaaaa')
  })

  it('finds no baseline when the branch has only partial runs, and says why', async () => {
    await finished('20261130-120200-bbbbbb', 2, { selection: { first: 5, kept: 5, of: 40 } })
    expect(await storedBaseline('main', CURRENT, store)).toBeUndefined()
    const found = await findBaseline('main', CURRENT, store, process.cwd())
    expect(found.found).toBeUndefined()
    expect(found.why).toMatch(/no completed run of these suites on branch "main"/)
  })

  it('still takes a partial run named by its id', async () => {
    await finished('20261130-120200-bbbbbb', 2, { selection: { first: 5, kept: 5, of: 40 } })
    const found = await findBaseline('20261130-120200', CURRENT, store, process.cwd())
    expect(found.found?.results.run.selection).toEqual({ first: 5, kept: 5, of: 40 })
  })
})
