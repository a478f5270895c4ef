/**
 * `store copy`: every run (cases, samples, how it ended), release, deployment and experiment
 * event of one store
 * into another, equal field by field; a second copy keeps what is there.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openStore } from '../../src/stores/index.js'
import { copyStore } from '../../src/workflows/project/index.js'
import { contents, seedHistory } from '../helpers/history.js'
import { storedBatch } from '../contract/store.contract.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shipgate-copy-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('copyStore', () => {
  it('copies a SQLite store into a new one whole, and a second copy keeps what is there', async () => {
    const source = await openStore('from.db', dir)
    await seedHistory(source)
    const expected = await contents(source)
    await source.close()

    const first = await copyStore({ from: 'from.db', to: 'to.db', cwd: dir })
    expect(first).toEqual({
      runs: { copied: 3, kept: 0 },
      releases: { copied: 2, kept: 0 },
      deployments: { copied: 2, kept: 0 },
      experimentEvents: { copied: 3, kept: 0 },
    })
    const target = await openStore('to.db', dir)
    expect(await contents(target)).toEqual(expected)
    await target.close()

    const again = await copyStore({ from: 'from.db', to: 'to.db', cwd: dir })
    expect(again).toEqual({
      runs: { copied: 0, kept: 3 },
      releases: { copied: 0, kept: 2 },
      deployments: { copied: 0, kept: 2 },
      experimentEvents: { copied: 0, kept: 3 },
    })
  })

  it('copies the provider batches of each run, in order, so a copied run can be resumed', async () => {
    const source = await openStore('from.db', dir)
    await seedHistory(source)
    const running = '20261103-000000-cccccc'
    const ended = '20261101-000000-aaaaaa'
    const batches = [storedBatch('msgbatch_2', ['smoke/a#0']), storedBatch('batch_1')]
    for (const batch of batches) await source.runs.addBatch(running, batch)
    await source.runs.addBatch(ended, storedBatch('batch_0'))
    await source.close()

    await copyStore({ from: 'from.db', to: 'to.db', cwd: dir })
    const target = await openStore('to.db', dir)
    try {
      expect(await target.runs.batches(running)).toEqual(batches)
      expect(await target.runs.batches(ended)).toEqual([storedBatch('batch_0')])
      expect(await target.runs.batches('20261102-000000-bbbbbb')).toEqual([])
    } finally {
      await target.close()
    }
  })
})
