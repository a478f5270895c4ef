import { describe, expect, it } from 'vitest'
import { openMemoryStore } from '../../src/stores/memory/index.js'
import { redactingStore } from '../../src/stores/redacting.js'
import { createRedactor } from '../../src/utils/redact.js'
import { newRun, plannedCase, sample, storedBatch } from '../contract/store.contract.js'

const KEY = 'team-credential-value-123'

describe('the store write boundary', () => {
  it('redacts the config secrets and secret shapes from every row written', async () => {
    const inner = openMemoryStore()
    const store = redactingStore(inner, createRedactor([KEY]))
    const id = '20261130-120000-aaaaaa'
    const kase = { ...plannedCase('smoke', 'a'), vars: { key: KEY } }
    await store.runs.create(newRun(id), [kase])
    await store.runs.appendSamples(id, [
      sample('smoke', 'a', 0, {
        output: `echo ${KEY}`,
        error: { kind: 'bad_request', message: `Incorrect API key provided: ${KEY}` },
      }),
    ])
    // Read back through the inner store: what was written, not a view of it.
    const rows = JSON.stringify([await inner.runs.samples(id), await inner.runs.cases(id)])
    expect(rows).not.toContain(KEY)
    expect(rows).toContain('[REDACTED]')
    expect(await store.runs.get(id)).toMatchObject({ id })
  })

  it('stores the provider batch ids a run submitted as they are (resume needs them whole)', async () => {
    const store = redactingStore(openMemoryStore(), createRedactor([KEY]))
    const id = '20261130-120000-aaaaaa'
    await store.runs.create(newRun(id), [])
    const batches = [
      storedBatch('batch_67f0a1b2c3d4e5f60718293a4b5c6d7e', ['smoke/a#0', 'smoke/b#0']),
      storedBatch('msgbatch_01HkcTjaV5uDC8jWR4ZsDV8d', ['smoke/a#0'], { provider: 'claude' }),
    ]
    for (const batch of batches) await store.runs.addBatch(id, batch)
    expect(await store.runs.batches(id)).toEqual(batches)
  })
})
