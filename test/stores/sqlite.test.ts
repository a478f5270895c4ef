import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { Kysely, Migrator, SqliteDialect, sql } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { SampleResult } from '../../src/contracts/results.js'
import type { Store } from '../../src/contracts/store.js'
import { ShipgateError } from '../../src/errors.js'
import { openStore } from '../../src/stores/index.js'
import { migrationProvider, migrations } from '../../src/stores/migrations/index.js'
import { openSqliteStore } from '../../src/stores/sqlite/index.js'
import {
  newRun,
  plannedCase,
  runEnd,
  sample,
  storeContract,
  storedBatch,
} from '../contract/store.contract.js'

const RUN = '20261130-120000-aaaaaa'

let dir: string
let opened: Store[]

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shipgate-sqlite-'))
  opened = []
})

afterEach(async () => {
  // Stores a test left open (e.g. after a failed assertion) must close before the dir goes.
  for (const store of opened) await store.close().catch(() => undefined)
  rmSync(dir, { recursive: true, force: true })
})

/** Opens a store on a file under the test's temp dir, closed again after the test. */
async function open(file = 'shipgate.db'): Promise<Store> {
  const store = openSqliteStore(join(dir, file))
  opened.push(store)
  await store.migrate()
  return store
}

storeContract('sqlite store', () => Promise.resolve(openSqliteStore(join(dir, 'contract.db'))))

describe('sqlite store file', () => {
  it('keeps its data across close and reopen, and migrating again is a no-op', async () => {
    const first = openSqliteStore(join(dir, 'shipgate.db'))
    await first.migrate()
    await first.runs.create(newRun(RUN), [plannedCase('smoke', 'a')])
    await first.runs.appendSamples(RUN, [sample('smoke', 'a', 0)])
    await first.close()

    const second = await open()
    await second.migrate()
    expect((await second.runs.get(RUN))?.status).toBe('running')
    expect(await second.runs.cases(RUN)).toEqual([plannedCase('smoke', 'a')])
    expect(await second.runs.samples(RUN)).toEqual([sample('smoke', 'a', 0)])
  })

  it('upgrades a store made before shards were recorded, keeping its runs', async () => {
    const db = new Kysely<unknown>({
      dialect: new SqliteDialect({ database: new Database(join(dir, 'old.db')) }),
    })
    const migrator = new Migrator({ db, provider: migrationProvider })
    expect((await migrator.migrateTo('001-runs')).error).toBeUndefined()
    await sql`INSERT INTO runs (id, status, started_at, config_hash, shipgate_version, suites)
      VALUES (${RUN}, 'completed', '2026-11-30T12:00:00.000Z', 'h', '0.1.0', '[]')`.execute(db)
    await db.destroy()

    const store = await open('old.db')
    const old = await store.runs.get(RUN)
    expect(old).toMatchObject({ id: RUN, status: 'completed', configHash: 'h' })
    expect(old?.shard).toBeUndefined()
    const sharded = '20261130-120000-bbbbbb'
    await store.runs.create(newRun(sharded, { shard: { index: 3, count: 4 } }), [])
    expect((await store.runs.get(sharded))?.shard).toEqual({ index: 3, count: 4 })
  })

  it('upgrades a store made before tool calls were kept: its samples read back without them', async () => {
    const db = new Kysely<unknown>({
      dialect: new SqliteDialect({ database: new Database(join(dir, 'old.db')) }),
    })
    const migrator = new Migrator({ db, provider: migrationProvider })
    expect((await migrator.migrateTo('010-deployment-alerts')).error).toBeUndefined()
    await sql`INSERT INTO runs (id, status, started_at, config_hash, shipgate_version, suites)
      VALUES (${RUN}, 'running', '2026-11-30T12:00:00.000Z', 'h', '0.1.0', '[]')`.execute(db)
    for (const [id, ordinal] of [
      ['a', 0],
      ['b', 1],
    ] as const) {
      await sql`INSERT INTO run_cases (run_id, suite, case_id, ordinal, vars, tags)
        VALUES (${RUN}, 'smoke', ${id}, ${ordinal}, '{}', '[]')`.execute(db)
    }
    await sql`INSERT INTO case_results (run_id, suite, case_id, sample, output, pass, score,
      grades, latency_ms, attempts, cached)
      VALUES (${RUN}, 'smoke', 'a', 0, 'old', 1, 1, '[]', 12, 1, 0)`.execute(db)
    await db.destroy()

    const store = await open('old.db')
    const calls = [{ id: 'c1', name: 'lookup', arguments: { id: 7 } }]
    await store.runs.appendSamples(RUN, [sample('smoke', 'b', 0, { toolCalls: calls })])
    expect(await store.runs.samples(RUN)).toEqual([
      sample('smoke', 'a', 0, { output: 'old' }),
      sample('smoke', 'b', 0, { toolCalls: calls }),
    ])
  })

  it('upgrades a store made before batches were kept: its runs take batches, and every migration is applied', async () => {
    const db = new Kysely<unknown>({
      dialect: new SqliteDialect({ database: new Database(join(dir, 'old.db')) }),
    })
    const migrator = new Migrator({ db, provider: migrationProvider })
    expect((await migrator.migrateTo('012-run-selection')).error).toBeUndefined()
    await sql`INSERT INTO runs (id, status, started_at, config_hash, shipgate_version, suites)
      VALUES (${RUN}, 'interrupted', '2026-11-30T12:00:00.000Z', 'h', '0.1.0', '[]')`.execute(db)
    await db.destroy()

    const store = await open('old.db')
    expect(await store.runs.batches(RUN)).toEqual([])
    await store.runs.addBatch(RUN, storedBatch('batch_1'))
    expect(await store.runs.batches(RUN)).toEqual([storedBatch('batch_1')])
    const check = new Database(join(dir, 'old.db'), { readonly: true })
    try {
      const applied = check.prepare('SELECT name FROM kysely_migration ORDER BY name').all()
      expect(applied.map((r) => (r as { name: string }).name)).toEqual(Object.keys(migrations))
      expect(Object.keys(migrations).at(-1)).toBe('013-run-batches')
    } finally {
      check.close()
    }
  })

  it('creates the directories of a file that does not exist yet', async () => {
    const store = await open('nested/deeper/shipgate.db')
    await store.runs.create(newRun(RUN), [])
    expect(existsSync(join(dir, 'nested/deeper/shipgate.db'))).toBe(true)
  })

  it('appends 10,000 samples in batches of 500', async () => {
    const store = await open()
    const cases = Array.from({ length: 1000 }, (_, i) => plannedCase('smoke', `case-${i}`))
    await store.runs.create(newRun(RUN), cases)
    const samples = cases.flatMap((c) =>
      Array.from({ length: 10 }, (_, i) => sample('smoke', c.id, i)),
    )
    for (let i = 0; i < samples.length; i += 500) {
      await store.runs.appendSamples(RUN, samples.slice(i, i + 500))
    }
    const stored = await store.runs.samples(RUN)
    expect(stored).toHaveLength(10_000)
    expect(stored[9_999]).toEqual(sample('smoke', 'case-999', 9))
  })

  it('stores none of a batch that fails half-way', async () => {
    const store = await open()
    const cases = Array.from({ length: 800 }, (_, i) => plannedCase('smoke', `case-${i}`))
    await store.runs.create(newRun(RUN), cases)
    await store.runs.appendSamples(RUN, [sample('smoke', 'case-700', 0)])
    // 700 new rows, then the duplicate: the failure comes in the batch's second INSERT chunk.
    const batch: SampleResult[] = [
      ...cases.slice(0, 700).map((c) => sample('smoke', c.id, 0)),
      sample('smoke', 'case-700', 0),
    ]
    await expect(store.runs.appendSamples(RUN, batch)).rejects.toThrow()
    expect(await store.runs.samples(RUN)).toEqual([sample('smoke', 'case-700', 0)])
  })
})

describe('a run recorded with many planned cases', () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => plannedCase('smoke', `case-${i}`))

  it('is written in slices, with the event loop running between them, as one transaction', async () => {
    const store = await open()
    const other = openSqliteStore(join(dir, 'shipgate.db'))
    opened.push(other)
    let turns = 0
    const counting = setInterval(() => (turns += 1), 0)
    let seenByOther: number | undefined
    const creating = store.runs.create(newRun(RUN), many(5000))
    // Between slices another connection sees none of it: the transaction is not committed.
    setImmediate(() => {
      void other.runs.get(RUN).then((run) => (seenByOther = run === undefined ? 0 : 1))
    })
    await creating
    clearInterval(counting)
    expect(turns).toBeGreaterThan(0)
    expect(seenByOther).toBe(0)
    const cases = await other.runs.cases(RUN)
    expect(cases).toHaveLength(5000)
    expect(cases[4999]).toEqual(plannedCase('smoke', 'case-4999'))
  })

  it('makes writes that arrive meanwhile wait, not join it', async () => {
    const store = await open()
    const OTHER = '20261130-120000-bbbbbb'
    await store.runs.create(newRun(OTHER), [plannedCase('smoke', 'a')])
    const creating = store.runs.create(newRun(RUN), many(3000))
    const appending = store.runs.appendSamples(OTHER, [sample('smoke', 'a', 0)])
    const finishing = store.runs.finish(OTHER, runEnd('completed'))
    await Promise.all([creating, appending, finishing])
    expect(await store.runs.cases(RUN)).toHaveLength(3000)
    expect(await store.runs.samples(OTHER)).toEqual([sample('smoke', 'a', 0)])
    expect((await store.runs.get(OTHER))?.status).toBe('completed')
  })

  it('keeps nothing of the run when a slice fails half-way', async () => {
    const store = await open()
    const cases = many(2000)
    // A value JSON cannot hold, in the third slice.
    cases[1200] = { ...plannedCase('smoke', 'case-1200'), vars: { n: 10n } }
    await expect(store.runs.create(newRun(RUN), cases)).rejects.toThrow()
    expect(await store.runs.get(RUN)).toBeUndefined()
    // The connection is usable again, outside any transaction.
    await store.runs.create(newRun(RUN), many(600))
    expect(await store.runs.cases(RUN)).toHaveLength(600)
  })
})

describe('openStore', () => {
  it("opens a working, migrated in-memory store for 'memory:'", async () => {
    const store = await openStore('memory:', dir)
    opened.push(store)
    await store.runs.create(newRun(RUN), [])
    expect(await store.runs.resolveId('latest')).toBe(RUN)
  })

  it('resolves a relative SQLite path against baseDir', async () => {
    const store = await openStore('.shipgate/shipgate.db', dir)
    opened.push(store)
    await store.runs.create(newRun(RUN), [])
    expect(existsSync(join(dir, '.shipgate/shipgate.db'))).toBe(true)
    expect((await store.runs.get(RUN))?.id).toBe(RUN)
  })

  it.each(['postgres://ci:pw-1@127.0.0.1:1/shipgate', 'postgresql://ci:pw-1@127.0.0.1:1/x'])(
    'opens %s as a Postgres store: unreachable, an environment error without the password',
    async (url) => {
      const error: unknown = await openStore(url, dir).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ShipgateError)
      expect((error as ShipgateError).code).toBe('environment')
      expect((error as ShipgateError).message).toContain('127.0.0.1:1')
      expect((error as ShipgateError).message).not.toContain('pw-1')
    },
  )
})
