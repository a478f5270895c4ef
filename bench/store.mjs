// The stores at team scale (issue 16), run by bench/run.mjs: writing 1,000,000 samples, `runs
// list` over 100,000 stored runs, and reading back a 100,000-sample run, on SQLite and on a
// PostgreSQL 15 started here (initdb into a temp dir, loopback port, durability settings left at
// their defaults so writes are real commits). The floor for writes is the database driver alone
// (better-sqlite3 prepared statements in one transaction; pg multi-row INSERTs) inserting the same
// rows into the same table, with no store code around it.
import { execFileSync, spawn } from 'node:child_process'
import { chownSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'

const STORES = fileURLToPath(new URL('../dist/stores/index.js', import.meta.url))

/** Samples per appendSamples call: what an eval's writer batches at its busiest. */
const BATCH = 1_000

function sample(caseId, index) {
  return {
    suite: 'bench',
    caseId,
    sample: index,
    output: `{"answer": ${index}, "ok": true}`,
    pass: index % 7 !== 0,
    score: index % 7 === 0 ? 0 : 1,
    grades: [{ type: 'contains', pass: true, score: 1, reason: 'found "answer"' }],
    usage: { input: 120, output: 18 },
    costUsd: 0.000123,
    latencyMs: 51.2,
    error: null,
    attempts: 1,
    cached: false,
  }
}

function newRun(id, i) {
  return {
    id,
    startedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    git: { commit: `c${i}`, branch: i % 10 === 0 ? 'main' : `feature-${i % 50}`, dirty: false },
    configHash: 'bench',
    shipgateVersion: '0.1.0',
    suites: [
      {
        name: 'bench',
        provider: { name: 'mock', id: 'mock:x' },
        prompt: { name: 'p', version: 'v1' },
        threshold: 0.8,
        repeat: 10,
        casePass: 'all',
        k: 1,
      },
    ],
    owner: null,
  }
}

const runId = (i) => `20260101-000000-${String(i).padStart(6, '0')}`

async function timed(work) {
  const started = process.hrtime.bigint()
  const value = await work()
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, value }
}

/** Samples/s writing `total` samples (10 per case) into one run through the store. */
async function writeSamples(store, total) {
  const cases = Array.from({ length: total / 10 }, (_, i) => ({
    suite: 'bench',
    id: `case-${i}`,
    vars: { n: i },
    tags: [],
  }))
  const id = runId(999_999)
  await store.runs.create(newRun(id, 0), cases)
  const { ms } = await timed(async () => {
    let batch = []
    for (const c of cases) {
      for (let s = 0; s < 10; s++) batch.push(sample(c.id, s))
      if (batch.length >= BATCH) {
        await store.runs.appendSamples(id, batch)
        batch = []
      }
    }
    if (batch.length > 0) await store.runs.appendSamples(id, batch)
  })
  return { perSecond: total / (ms / 1000), runId: id }
}

/** Median ms of `runs list` (default page, and filtered by branch) over `count` stored runs. */
async function listRuns(store, count) {
  for (let i = 0; i < count; i += BATCH) {
    await Promise.all(
      Array.from({ length: Math.min(BATCH, count - i) }, (_, j) =>
        store.runs.create(newRun(runId(i + j), i + j), []),
      ),
    )
  }
  // The viewer's paging: the page below the middle run, by cursor (start time, id).
  const middle = newRun(runId(Math.floor(count / 2)), Math.floor(count / 2))
  const cursor = { startedAt: middle.startedAt, id: middle.id }
  const times = { all: [], branch: [], suite: [], deep: [] }
  for (let round = 0; round < 7; round++) {
    times.all.push((await timed(() => store.runs.list({}))).ms)
    times.branch.push((await timed(() => store.runs.list({ branch: 'main' }))).ms)
    times.suite.push((await timed(() => store.runs.list({ suite: 'bench' }))).ms)
    times.deep.push((await timed(() => store.runs.list({ olderThan: cursor }))).ms)
  }
  return {
    all: median(times.all),
    branch: median(times.branch),
    suite: median(times.suite),
    deep: median(times.deep),
  }
}

/** Ms to read back the first `count` samples' run: a run of exactly `count` samples. */
async function readBack(store, count) {
  const id = runId(888_888)
  const cases = Array.from({ length: count / 10 }, (_, i) => ({
    suite: 'bench',
    id: `case-${i}`,
    vars: { n: i },
    tags: [],
  }))
  await store.runs.create(newRun(id, 1), cases)
  for (let i = 0; i < cases.length; i += BATCH / 10) {
    const batch = cases
      .slice(i, i + BATCH / 10)
      .flatMap((c) => Array.from({ length: 10 }, (_, s) => sample(c.id, s)))
    await store.runs.appendSamples(id, batch)
  }
  const times = []
  for (let round = 0; round < 3; round++) {
    const { ms, value } = await timed(() => store.runs.samples(id))
    if (value.length !== count) throw new Error(`read ${value.length} samples, wrote ${count}`)
    times.push(ms)
  }
  return median(times)
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

/** The floor: the driver alone inserting the same rows as the store's row builder makes them. */
async function floorWrites(kind, location, total) {
  const { sampleRow } = await import(
    fileURLToPath(new URL('../dist/stores/sql/rows.js', import.meta.url))
  )
  const id = runId(777_777)
  const rows = []
  for (let i = 0; i < total / 10; i++)
    for (let s = 0; s < 10; s++) rows.push(sampleRow(id, sample(`case-${i}`, s)))
  const columns = Object.keys(rows[0])
  // A table of the same shape without the foreign keys (the store's checks are part of its cost).
  if (kind === 'sqlite') {
    const { default: Database } = await import('better-sqlite3')
    const db = new Database(location)
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    db.exec(`CREATE TABLE floor_results (${columns.join(', ')})`)
    const insert = db.prepare(
      `INSERT INTO floor_results VALUES (${columns.map(() => '?').join(', ')})`,
    )
    const { ms } = await timed(() => {
      for (let i = 0; i < rows.length; i += BATCH) {
        db.transaction(() => {
          for (const row of rows.slice(i, i + BATCH)) insert.run(Object.values(row))
        })()
      }
    })
    db.close()
    return total / (ms / 1000)
  }
  const client = new pg.Client({ connectionString: location })
  await client.connect()
  await client.query(`CREATE TABLE floor_results (${columns.map((c) => `${c} text`).join(', ')})`)
  const perStatement = 500
  const { ms } = await timed(async () => {
    for (let i = 0; i < rows.length; i += BATCH) {
      await client.query('BEGIN')
      for (let j = i; j < Math.min(i + BATCH, rows.length); j += perStatement) {
        const chunk = rows.slice(j, Math.min(j + perStatement, i + BATCH))
        const values = []
        const tuples = chunk.map((row) => {
          const start = values.length
          values.push(...Object.values(row))
          return `(${columns.map((_, k) => `$${start + k + 1}`).join(', ')})`
        })
        await client.query(`INSERT INTO floor_results VALUES ${tuples.join(', ')}`, values)
      }
      await client.query('COMMIT')
    }
  })
  await client.end()
  return total / (ms / 1000)
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/** A PostgreSQL server for the benchmark, or undefined when initdb is not installed. */
async function startPostgres() {
  let initdb
  try {
    initdb = realpathSync(
      execFileSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).trim(),
    )
  } catch {
    return undefined
  }
  const bin = dirname(initdb)
  const home = mkdtempSync(join(tmpdir(), 'shipgate-bench-pg-'))
  const owner =
    process.getuid?.() === 0
      ? {
          uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
          gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
        }
      : {}
  writeFileSync(join(home, 'pw'), 'bench\n')
  if (owner.uid !== undefined) {
    chownSync(home, owner.uid, owner.gid)
    chownSync(join(home, 'pw'), owner.uid, owner.gid)
  }
  execFileSync(
    join(bin, 'initdb'),
    [
      '-D',
      join(home, 'data'),
      '-U',
      'bench',
      `--pwfile=${join(home, 'pw')}`,
      '-A',
      'scram-sha-256',
      '--no-sync',
    ],
    { stdio: 'ignore', ...owner },
  )
  const port = await freePort()
  const server = spawn(
    join(bin, 'postgres'),
    ['-D', join(home, 'data'), '-p', String(port), '-k', home, '-c', 'listen_addresses=127.0.0.1'],
    { stdio: 'ignore', ...owner },
  )
  const url = (db) => `postgres://bench:bench@127.0.0.1:${port}/${db}`
  for (let attempt = 0; ; attempt++) {
    try {
      const client = new pg.Client({ connectionString: url('postgres') })
      await client.connect()
      await client.end()
      break
    } catch (error) {
      if (attempt > 200) throw error
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
  let databases = 0
  return {
    async database() {
      databases += 1
      const client = new pg.Client({ connectionString: url('postgres') })
      await client.connect()
      await client.query(`CREATE DATABASE b${databases}`)
      await client.end()
      return url(`b${databases}`)
    },
    async stop() {
      const exited = new Promise((resolve) => server.once('exit', resolve))
      server.kill('SIGINT')
      await exited
      rmSync(home, { recursive: true, force: true })
    },
  }
}

/** Rows for docs/benchmarks.md: both stores (Postgres when installed), each against its floor. */
export async function storeBench({
  samples = 1_000_000,
  runs = 100_000,
  readBackSamples = 100_000,
} = {}) {
  const { openStore } = await import(STORES)
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-bench-store-'))
  const postgres = await startPostgres()
  const results = []
  try {
    const kinds = [['sqlite', (name) => join(dir, `${name}.db`)]]
    if (postgres !== undefined) kinds.push(['postgres', () => postgres.database()])
    for (const [kind, location] of kinds) {
      const open = async (name) => openStore(await location(name), dir)
      let store = await open('writes')
      const writes = await writeSamples(store, samples)
      await store.close()
      const floor = await floorWrites(kind, await location('floor'), samples)
      store = await open('list')
      const list = await listRuns(store, runs)
      await store.close()
      store = await open('read')
      const read = await readBack(store, readBackSamples)
      await store.close()
      results.push({ kind, writes: writes.perSecond, floor, list, read })
    }
  } finally {
    await postgres?.stop()
    rmSync(dir, { recursive: true, force: true })
  }
  return results
}
