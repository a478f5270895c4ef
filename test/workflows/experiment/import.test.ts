import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../../src/errors.js'
import { createLogger } from '../../../src/logger.js'
import { openStore } from '../../../src/stores/index.js'
import { importExperimentEvents } from '../../../src/workflows/experiment/index.js'
import { event, experimentProject, ndjson } from './project.js'

/* experiment import: a JSONL sink's file into SQLite, checked first, idempotent. */

const logger = createLogger({ write: () => {} })
const T = '2026-12-01T10:00:00+01:00'

async function summaries(cwd: string) {
  const store = await openStore(join(cwd, '.shipgate/shipgate.db'), cwd)
  try {
    return await store.experimentEvents.experiments()
  } finally {
    await store.close()
  }
}

describe('importExperimentEvents', () => {
  it('stores the file in batches, and nothing new the second time', async () => {
    const cwd = experimentProject()
    const events = Array.from({ length: 25 }, (_, i) =>
      event({ type: 'exposure' }, `u${i}`, i % 2 === 0 ? 'A' : 'B', T),
    )
    const other = event({ type: 'exposure' }, 'u0', 'A', T, 'other')
    writeFileSync(join(cwd, 'events.jsonl'), ndjson([...events, other]) + '\n')
    const options = { cwd, env: {}, logger, batchSize: 10 }
    const first = await importExperimentEvents('events.jsonl', options)
    expect(first).toEqual({
      file: 'events.jsonl',
      events: 26,
      stored: 26,
      duplicates: 0,
      skipped: 0,
      experiments: ['checkout', 'other'],
    })
    const again = await importExperimentEvents('events.jsonl', {
      ...options,
      experiment: 'checkout',
    })
    expect(again).toMatchObject({ events: 25, stored: 0, duplicates: 25, skipped: 1 })
    const [checkout] = await summaries(cwd)
    // Times are stored in UTC: 10:00 at +01:00 is 09:00Z.
    expect(checkout).toMatchObject({
      experiment: 'checkout',
      exposures: 25,
      first: '2026-12-01T09:00:00.000Z',
    })
  })

  it('reports every bad line at file:line and stores nothing', async () => {
    const cwd = experimentProject()
    const good = event({ type: 'exposure' }, 'u1', 'A', T)
    const lines = [
      JSON.stringify(good),
      '{"v":1,"id":"x"',
      JSON.stringify({ ...good, id: 'y', v: 3 }),
      '',
      JSON.stringify({ ...good, id: 'z', type: 'outcome', name: 'task_success' }),
    ]
    writeFileSync(join(cwd, 'bad.jsonl'), lines.join('\n'))
    const error = await importExperimentEvents('bad.jsonl', { cwd, env: {}, logger }).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(ConfigError)
    const issues = (error as ConfigError).issues
    expect(issues.map((i) => [i.file, i.line])).toEqual([
      ['bad.jsonl', 2],
      ['bad.jsonl', 3],
      ['bad.jsonl', 5],
    ])
    expect(issues[1]?.message).toContain('unsupported event version v=3')
    expect(issues[2]?.message).toContain('"value" must be a finite number')
    expect((error as ConfigError).message).toContain('bad.jsonl:2: not JSON')
    expect(await summaries(cwd)).toEqual([])
  })

  it('is a usage error for a missing file', async () => {
    const cwd = experimentProject()
    await expect(importExperimentEvents('nope.jsonl', { cwd, env: {}, logger })).rejects.toThrow(
      /cannot read .*nope\.jsonl/,
    )
  })
})
