// `node bench/experiment-analyze.mjs` (after `npm run build`): `shipgate experiment analyze` over
// 1,000,000 events in SQLite: 200,000 users in two arms, each with one exposure, two task
// success outcomes and two cost outcomes. Times the built CLI as a user runs it (whole process,
// median of 3) with its peak RSS, and the writing of the events (one append per 5,000).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const BIN = fileURLToPath(new URL('../bin/shipgate.js', import.meta.url))
const RSS_HOOK = fileURLToPath(new URL('./rss.mjs', import.meta.url))
const FLOOR = fileURLToPath(new URL('./experiment-floor.mjs', import.meta.url))
const STORES = fileURLToPath(new URL('../dist/stores/index.js', import.meta.url))
const USERS = 200_000
const BATCH = 5_000

const CONFIG = `version: 1
providers: { bot: { type: mock } }
prompts: { hello: { user: "hi" } }
suites: { greet: { prompt: hello, provider: bot, cases: [{ id: one, vars: {} }] } }
experiments:
  checkout:
    flag: checkout-prompt
    control: A
    allocation: { A: 50, B: 50 }
    metrics:
      task_success: { kind: proportion }
      cost: { kind: mean, better: lower }
      cost_per_request: { event: cost, kind: ratio, better: lower }
    primary: { metric: task_success, effect: 0.02 }
    guardrails: [{ metric: cost, margin: 0.1 }, { metric: cost_per_request, margin: 0.1 }]
    plannedDays: 14
`

/** A small deterministic generator (mulberry32), so every run writes the same events. */
function stream(a) {
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function* events() {
  const random = stream(42)
  const start = Date.parse('2026-12-01T00:00:00Z')
  for (let u = 0; u < USERS; u++) {
    const variant = u % 2 === 0 ? 'A' : 'B'
    const user = `user-${u}`
    const base = { v: 1, experiment: 'checkout', variant, user }
    const at = (k) => new Date(start + u * 6_000 + k * 1_000).toISOString()
    yield { ...base, id: `${user}-x`, type: 'exposure', at: at(0) }
    for (let k = 1; k <= 2; k++) {
      const p = variant === 'A' ? 0.6 : 0.62
      const success = random() < p ? 1 : 0
      yield {
        ...base,
        id: `${user}-s${k}`,
        type: 'outcome',
        name: 'task_success',
        value: success,
        at: at(k),
      }
      yield {
        ...base,
        id: `${user}-c${k}`,
        type: 'outcome',
        name: 'cost',
        value: 0.001 + 0.002 * random(),
        at: at(k),
      }
    }
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

/** Writes the events; returns [count, ms]. */
async function write(dir) {
  const { openStore } = await import(STORES)
  const store = await openStore(join(dir, '.shipgate/shipgate.db'), dir)
  const started = performance.now()
  let batch = []
  let count = 0
  for (const event of events()) {
    batch.push(event)
    if (batch.length === BATCH) {
      count += (await store.experimentEvents.append(batch)).stored
      batch = []
    }
  }
  if (batch.length > 0) count += (await store.experimentEvents.append(batch)).stored
  const ms = performance.now() - started
  await store.close()
  return [count, ms]
}

/** One `experiment analyze` run of the built CLI: wall time and peak RSS. */
function analyze(dir) {
  const rssFile = join(dir, 'rss')
  const started = performance.now()
  const result = spawnSync(
    process.execPath,
    ['--import', RSS_HOOK, BIN, 'experiment', 'analyze', 'checkout', '--json'],
    {
      cwd: dir,
      env: { ...process.env, SHIPGATE_BENCH_RSS_FILE: rssFile },
      encoding: 'utf8',
    },
  )
  const ms = performance.now() - started
  if (result.status !== 0) throw new Error(`analyze exited ${result.status}: ${result.stderr}`)
  return {
    ms,
    rssMb: Number(readFileSync(rssFile, 'utf8')) / 2 ** 20,
    report: JSON.parse(result.stdout),
  }
}

/** The floor (bench/experiment-floor.mjs) over the same file: wall time and peak RSS. */
function floor(dir) {
  const rssFile = join(dir, 'rss-floor')
  const started = performance.now()
  const result = spawnSync(
    process.execPath,
    ['--import', RSS_HOOK, FLOOR, join(dir, '.shipgate/shipgate.db')],
    { env: { ...process.env, SHIPGATE_BENCH_RSS_FILE: rssFile }, encoding: 'utf8' },
  )
  const ms = performance.now() - started
  if (result.status !== 0) throw new Error(`the floor exited ${result.status}: ${result.stderr}`)
  return { ms, rssMb: Number(readFileSync(rssFile, 'utf8')) / 2 ** 20 }
}

/** The benchmark's rows: [benchmark, measured]. */
export async function experimentAnalyzeBench(runs = 3) {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-bench-experiment-'))
  try {
    writeFileSync(join(dir, 'shipgate.yaml'), CONFIG)
    const [count, writeMs] = await write(dir)
    // Interleaved with the floor, so both see the same machine and the same page cache.
    const results = []
    const floors = []
    for (let i = 0; i < runs; i++) {
      results.push(analyze(dir))
      floors.push(floor(dir))
    }
    const ms = median(results.map((r) => r.ms))
    const rssMb = Math.max(...results.map((r) => r.rssMb))
    const floorMs = median(floors.map((r) => r.ms))
    const floorRss = Math.max(...floors.map((r) => r.rssMb))
    const { decision, events: read } = results[0].report
    return [
      [
        `write ${count.toLocaleString('en')} experiment events to SQLite (batches of ${BATCH})`,
        `${(writeMs / 1000).toFixed(2)} s`,
      ],
      [
        `experiment analyze over ${(read.exposures + read.outcomes).toLocaleString('en')} events, ${USERS.toLocaleString('en')} users (whole CLI run)`,
        `${(ms / 1000).toFixed(2)} s, peak RSS ${rssMb.toFixed(0)} MB (decision: ${decision.outcome}); ${(ms / floorMs).toFixed(2)} × the floor`,
      ],
      [
        'floor: the same rows through better-sqlite3 alone, folded per user with plain Maps',
        `${(floorMs / 1000).toFixed(2)} s, peak RSS ${floorRss.toFixed(0)} MB`,
      ],
    ]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [name, measured] of await experimentAnalyzeBench())
    console.log(`| ${name} | ${measured} |`)
}
