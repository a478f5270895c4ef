/**
 * The Postgres store on a real PostgreSQL 15 started for the suite: the store contract, migration
 * by many processes at once under the advisory lock, and a password that no error repeats.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ShipgateError } from '../../src/errors.js'
import { DEFAULT_STORE, openStore } from '../../src/stores/index.js'
import { migrations } from '../../src/stores/migrations/index.js'
import { copyStore } from '../../src/workflows/project/index.js'
import { storeLocation } from '../../src/workflows/project/store.js'
import { contents, seedHistory } from '../helpers/history.js'
import {
  newRun,
  plannedCase,
  sample,
  storeContract,
  storedBatch,
} from '../contract/store.contract.js'
import { query, startPostgres, type TestPostgres } from '../helpers/postgres.js'
import { requireService } from '../helpers/services.js'

const run = promisify(execFile)
const root = fileURLToPath(new URL('../..', import.meta.url))

const RUN = '20261207-030000-aaaaaa'

const describePostgres = requireService('PostgreSQL', 'initdb')

describePostgres('the Postgres store', () => {
  let server: TestPostgres
  beforeAll(async () => {
    server = await startPostgres()
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
  })

  storeContract('postgres store', async () => openStore(await server.createDatabase(), '/'))

  it('migrates a new database once when six processes open it at the same moment', async () => {
    const url = await server.createDatabase()
    const start = Date.now() + 2_000
    const script = `
      const { openStore } = await import(${JSON.stringify(`${root}dist/stores/index.js`)})
      await new Promise((resolve) => setTimeout(resolve, ${start} - Date.now()))
      const store = await openStore(process.env.URL, '/')
      await store.runs.list({})
      await store.close()
    `
    const children = Array.from({ length: 6 }, () =>
      run(process.execPath, ['--input-type=module', '-e', script], {
        env: { ...process.env, URL: url },
      }).then(
        () => 'ok',
        (error: { stderr?: string }) => error.stderr ?? 'failed',
      ),
    )
    expect(await Promise.all(children)).toEqual(Array(6).fill('ok'))
    const applied = await query(url, 'SELECT name FROM kysely_migration ORDER BY name')
    expect(applied.rows.map((r: { name: string }) => r.name)).toEqual(Object.keys(migrations))
  }, 60_000)

  it('lets exactly one of four processes begin a deployment on one target at the same moment', async () => {
    const url = await server.createDatabase()
    const first = await openStore(url, '/')
    await first.close()
    for (const round of [1, 2, 3]) {
      const start = Date.now() + 1_500
      const script = (n: number): string => `
        const { openStore } = await import(${JSON.stringify(`${root}dist/stores/index.js`)})
        const store = await openStore(process.env.URL, '/')
        await new Promise((resolve) => setTimeout(resolve, ${start} - Date.now()))
        const result = await store.deployments.begin({
          id: 'dep-${round}-${n}', target: 'prod-${round}', releaseId: 'rel-aaaaaaaaaaaa',
          previousReleaseId: null, strategy: 'replace', status: 'running', steps: [],
          startedAt: new Date().toISOString(), finishedAt: null, reason: null, owner: null,
        })
        process.stdout.write(result.ok ? 'began' : 'refused:' + result.running.id)
        await store.close()
      `
      const outcomes = await Promise.all(
        [1, 2, 3, 4].map((n) =>
          run(process.execPath, ['--input-type=module', '-e', script(n)], {
            env: { ...process.env, URL: url },
          }).then((r) => r.stdout),
        ),
      )
      expect(outcomes.filter((o) => o === 'began')).toHaveLength(1)
      const winner = `dep-${round}-${outcomes.indexOf('began') + 1}`
      expect(outcomes.filter((o) => o === `refused:${winner}`)).toHaveLength(3)
    }
  }, 60_000)

  it('takes a SQLite store whole by store copy (a team moving up keeps its history)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipgate-copy-pg-'))
    try {
      const source = await openStore('from.db', dir)
      await seedHistory(source)
      const expected = await contents(source)
      await source.close()
      const url = await server.createDatabase()
      const report = await copyStore({ from: 'from.db', to: url, cwd: dir })
      expect(report.runs).toEqual({ copied: 3, kept: 0 })
      const target = await openStore(url, '/')
      try {
        expect(await contents(target)).toEqual(expected)
      } finally {
        await target.close()
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('stores a NUL in an output as U+FFFD, and an escaped backslash-u0000 as written', async () => {
    const store = await openStore(await server.createDatabase(), '/')
    try {
      await store.runs.create(newRun(RUN), [plannedCase('smoke', 'a'), plannedCase('smoke', 'b')])
      await store.runs.appendSamples(RUN, [
        sample('smoke', 'a', 0, { output: 'before\u0000after' }),
        sample('smoke', 'b', 0, { output: 'a backslash: \\u0000 stays' }),
      ])
      const outputs = (await store.runs.samples(RUN)).map((s) => s.output)
      expect(outputs).toEqual(['before\ufffdafter', 'a backslash: \\u0000 stays'])
    } finally {
      await store.close()
    }
  })

  it('gives batches added at the same moment on several connections one place each', async () => {
    const url = await server.createDatabase()
    const store = await openStore(url, '/')
    try {
      await store.runs.create(newRun(RUN), [])
      const ids = Array.from({ length: 12 }, (_, i) => `batch_${i}`)
      // Each id twice: the pool's 4 connections race, and a repeat is kept once.
      await Promise.all([...ids, ...ids].map((id) => store.runs.addBatch(RUN, storedBatch(id))))
      const stored = (await store.runs.batches(RUN)).map((b) => b.id)
      expect([...stored].sort()).toEqual([...ids].sort())
      const positions = await query(
        url,
        `SELECT position FROM run_batches WHERE run_id = '${RUN}' ORDER BY position`,
      )
      expect(positions.rows.map((r: { position: number }) => r.position)).toEqual(
        ids.map((_, i) => i),
      )
    } finally {
      await store.close()
    }
  })

  it('names the server but never the password when it cannot log in', async () => {
    const wrong = server.url.replace(server.password, 'not-the-password')
    const error = await openStore(wrong.replace('/postgres', '/nope'), '/').then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(ShipgateError)
    const text = `${(error as ShipgateError).message} ${(error as ShipgateError).hint ?? ''}`
    expect(text).toContain(`127.0.0.1:${server.port}`)
    expect(text).toContain('***')
    expect(text).not.toContain('not-the-password')
    expect(text).not.toContain(server.password)
  })
})

describe('storeLocation', () => {
  it('takes SHIPGATE_DATABASE_URL over the config, and the config over the default', () => {
    const url = 'postgres://ci:secret@db.internal:5432/shipgate'
    expect(storeLocation({ SHIPGATE_DATABASE_URL: url }, 'local.db')).toBe(url)
    expect(storeLocation({}, 'postgres://ci@db.internal/shipgate')).toBe(
      'postgres://ci@db.internal/shipgate',
    )
    expect(storeLocation({}, undefined)).toBe(DEFAULT_STORE)
  })

  it('refuses a password written in the config, without repeating it', () => {
    let error: unknown
    try {
      storeLocation({}, 'postgres://ci:hunter2-secret@db.internal/shipgate')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ShipgateError)
    expect((error as ShipgateError).hint).toContain('SHIPGATE_DATABASE_URL')
    expect(JSON.stringify(error)).not.toContain('hunter2')
    expect((error as ShipgateError).message).not.toContain('hunter2')
  })
})
