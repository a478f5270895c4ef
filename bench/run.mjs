// `npm run bench`: shipgate's performance figures, measured on the built CLI (see
// docs/benchmarks.md for the targets and recorded results). Medians of several runs.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { flagsBench } from './flags.mjs'
import { judgeBench } from './judge.mjs'
import { realSuiteBench } from './real-suite.mjs'
import { proxyBench, replayBench } from './replay-proxy.mjs'
import { scanBench } from './scan.mjs'
import { selectBench } from './select.mjs'

const BIN = fileURLToPath(new URL('../bin/shipgate.js', import.meta.url))
const RSS_HOOK = fileURLToPath(new URL('./rss.mjs', import.meta.url))
const LATENCY_FLOOR = fileURLToPath(new URL('./latency-floor.mjs', import.meta.url))
const only = process.argv.slice(2)
const want = (name) => only.length === 0 || only.includes(name)

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

function timeRun(args, options = {}) {
  const started = process.hrtime.bigint()
  const result = spawnSync(process.execPath, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    ...options,
  })
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  if (result.status !== 0)
    throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`)
  return ms
}

function startup(runs = 21) {
  const floor = median(Array.from({ length: runs }, () => timeRun(['-e', '0'])))
  const version = median(Array.from({ length: runs }, () => timeRun([BIN, '--version'])))
  const help = median(Array.from({ length: runs }, () => timeRun([BIN, '--help'])))
  return [
    ['node -e 0 (the floor)', `${floor.toFixed(1)} ms`, '', ''],
    [
      'shipgate --version',
      `${version.toFixed(1)} ms`,
      `${(version / floor).toFixed(2)} × floor`,
      '≤ 1.5 × floor',
    ],
    [
      'shipgate --help',
      `${help.toFixed(1)} ms`,
      `${(help / floor).toFixed(2)} × floor`,
      '≤ 1.5 × floor',
    ],
  ]
}

/** A project of `n` cases with 3 assertions each, on a mock answering in `latencyMs`. */
function project(n, latencyMs) {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-bench-'))
  writeFileSync(
    join(dir, 'shipgate.yaml'),
    `version: 1
providers:
  bench: { type: mock, model: claude-3-5-haiku-20241022, latencyMs: ${latencyMs}, default: '{"answer": 42, "ok": true}' }
prompts:
  q: { user: "Question {{ n }}: what is {{ a }} + {{ b }}?" }
suites:
  bench:
    prompt: q
    provider: bench
    cases: cases.jsonl
    assert:
      - { type: is-json }
      - { type: contains, value: answer }
      - { type: javascript, value: "JSON.parse(output).answer === 42" }
runner: { timeoutMs: 30000 }
`,
  )
  const lines = Array.from({ length: n }, (_, i) =>
    JSON.stringify({ id: `case-${i}`, vars: { n: i, a: i, b: 42 - i } }),
  )
  writeFileSync(join(dir, 'cases.jsonl'), `${lines.join('\n')}\n`)
  return dir
}

function evalRun(dir, concurrency) {
  const rssFile = join(dir, 'rss')
  const ms = timeRun(
    ['--import', RSS_HOOK, BIN, 'eval', '--no-progress', '--concurrency', String(concurrency)],
    {
      cwd: dir,
      env: { ...process.env, SHIPGATE_BENCH_RSS_FILE: rssFile },
    },
  )
  return { ms, rssMb: Number(readFileSync(rssFile, 'utf8')) / 2 ** 20 }
}

function throughput(n, latencyMs, concurrency, runs) {
  const dir = project(n, latencyMs)
  try {
    const results = Array.from({ length: runs }, () => evalRun(dir, concurrency))
    return { ms: median(results.map((r) => r.ms)), rssMb: Math.max(...results.map((r) => r.rssMb)) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * The 50 ms latency benchmark: `runs` rounds of the floor runner (bench/latency-floor.mjs: node
 * with a timer for a model, the same checks, results written) then `shipgate eval`, on one
 * `n`-case project; medians. The floor shows what Node and its timers alone cost over the ideal.
 */
function latency(n, runs) {
  const dir = project(n, 50)
  try {
    const floor = []
    const results = []
    for (let i = 0; i < runs; i++) {
      floor.push(
        timeRun([LATENCY_FLOOR, join(dir, 'cases.jsonl'), '50', '64', join(dir, 'floor.jsonl')]),
      )
      results.push(evalRun(dir, 64))
    }
    return {
      ms: median(results.map((r) => r.ms)),
      rssMb: Math.max(...results.map((r) => r.rssMb)),
      floorMs: median(floor),
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const rows = []
if (want('startup')) rows.push(...startup())
if (want('latency')) {
  const n = 10_000
  const ideal = Math.ceil(n / 64) * 50
  const r = latency(n, 3)
  rows.push([
    '10,000 cases × 3 assertions, mock 50 ms, concurrency 64 (and a dependency-free floor runner doing the same, alternating)',
    `${(r.ms / 1000).toFixed(2)} s, peak RSS ${r.rssMb.toFixed(0)} MB; floor ${(r.floorMs / 1000).toFixed(2)} s`,
    `${(r.ms / ideal).toFixed(3)} × ideal (${(ideal / 1000).toFixed(2)} s); floor ${(r.floorMs / ideal).toFixed(3)} × ideal; ${(r.ms / r.floorMs).toFixed(3)} × floor`,
    '≤ 1.10 × ideal, RSS < 250 MB',
  ])
}
if (want('throughput')) {
  const n = 10_000
  const r = throughput(n, 0, 64, 5)
  rows.push([
    '10,000 cases × 3 assertions, mock 0 ms (whole CLI run, store writes included)',
    `${(r.ms / 1000).toFixed(2)} s, peak RSS ${r.rssMb.toFixed(0)} MB`,
    `${Math.round(n / (r.ms / 1000)).toLocaleString('en-US')} cases/s`,
    '≥ 5,000 cases/s',
  ])
}

// The engine on real suites (issue 13): `npm run bench real` alone; `real-10k` for the
// 10,000-case variant (one round: its figure is the peak RSS).
if (want('real')) {
  const r = await realSuiteBench(2000, 5)
  rows.push([
    '2,000 promptfoo-shaped cases (inline schema, javascript, regex, contains), OpenAI-compatible server 50 ms, concurrency 32: `shipgate eval` vs a dependency-free floor runner',
    `${(r.shipgateMs / 1000).toFixed(2)} s shipgate, ${(r.floorMs / 1000).toFixed(2)} s floor (medians of ${r.ratios.length} rounds), peak RSS ${r.rssMb.toFixed(0)} MB`,
    `${r.ratio.toFixed(2)} × floor (rounds: ${r.ratios.map((x) => x.toFixed(2)).join(', ')}); CPU ${(r.shipgateCpuMs / 1000).toFixed(2)} s vs ${(r.floorCpuMs / 1000).toFixed(2)} s, ${r.cpuRatio.toFixed(2)} ×`,
    '≤ 1.2 × floor',
  ])
}
if (want('real-10k')) {
  const r = await realSuiteBench(10_000, 1)
  rows.push([
    '10,000 cases of the same shape',
    `${(r.shipgateMs / 1000).toFixed(2)} s shipgate, ${(r.floorMs / 1000).toFixed(2)} s floor, peak RSS ${r.rssMb.toFixed(0)} MB (floor ${r.floorRssMb.toFixed(0)} MB)`,
    `${r.ratio.toFixed(2)} × floor`,
    'peak RSS ≤ 200 MB',
  ])
}

if (want('replay')) {
  const ms = await replayBench(10_000, 3)
  rows.push([
    'replay of 10,000 recorded cases (whole CLI run, `eval --replay`)',
    `${(ms / 1000).toFixed(2)} s`,
    `${Math.round(10_000 / (ms / 1000)).toLocaleString('en-US')} cases/s`,
    '< 3 s',
  ])
}
if (want('proxy')) {
  const p = await proxyBench(100, 6)
  rows.push([
    'proxy replay, 100 concurrent streams on loopback (10 events 20 ms apart, replayed at the recorded pace)',
    `p50 stream ${p.loaded.toFixed(2)} ms with 100 open, ${p.alone.toFixed(2)} ms alone`,
    `overhead ${p.replayOverhead.toFixed(2)} ms`,
    '< 2 ms p50',
  ])
  rows.push([
    'proxy passthrough, the same 100 concurrent streams (an extra hop to the mock upstream)',
    `p50 stream ${p.viaProxy.toFixed(2)} ms through the proxy, ${p.direct.toFixed(2)} ms direct`,
    `overhead ${p.overhead.toFixed(2)} ms`,
    '(not a target)',
  ])
}

if (want('judge')) {
  for (const { type, us } of await judgeBench()) {
    rows.push([
      `judge bookkeeping, \`${type}\` (all but the model call; in-process mock judge, 32 at a time)`,
      `${(us / 1000).toFixed(3)} ms per assertion`,
      '',
      '< 1 ms',
    ])
  }
}

if (want('scan')) {
  const s = await scanBench(2000, 3)
  rows.push([
    'secret scan, 2,000 tracked files of ~2 KB, 20 tokens planted (`scanSecrets` in process; whole `shipgate scan` run)',
    `${(s.ms / 1000).toFixed(2)} s in process, ${(s.cliMs / 1000).toFixed(2)} s whole CLI run`,
    `${Math.round(s.filesPerSecond).toLocaleString('en-US')} files/s`,
    '(no target set)',
  ])
}

if (want('select')) {
  const s = selectBench()
  rows.push([
    '`shipgate select --since main`, 5,000 files and 200 suites, 20 files changed (whole CLI run)',
    `${(s.ms / 1000).toFixed(2)} s`,
    `${s.selected} suites selected`,
    '< 1 s',
  ])
}

if (want('store')) {
  const { storeBench } = await import('./store.mjs')
  for (const r of await storeBench()) {
    const target = r.kind === 'sqlite' ? 50_000 : 20_000
    rows.push([
      `${r.kind} store: write 1,000,000 samples (batches of 1,000, one transaction each)`,
      `${Math.round(r.writes).toLocaleString('en-US')} samples/s`,
      `${(r.writes / r.floor).toFixed(2)} × the bare driver (${Math.round(r.floor).toLocaleString('en-US')}/s)`,
      `≥ ${target.toLocaleString('en-US')}/s`,
    ])
    rows.push([
      `${r.kind} store: \`runs list\` over 100,000 stored runs (page of 50; by branch; by suite; the page below the 50,000th run, by cursor)`,
      `${r.list.all.toFixed(1)} ms; ${r.list.branch.toFixed(1)} ms; ${r.list.suite.toFixed(1)} ms; ${r.list.deep.toFixed(1)} ms`,
      '',
      '< 100 ms',
    ])
    rows.push([
      `${r.kind} store: read back a 100,000-sample run`,
      `${r.read.toFixed(0)} ms`,
      '',
      '< 2 s',
    ])
  }
}
if (want('runtime')) {
  const { overheadBench, renderBench } = await import('./runtime.mjs')
  const o = overheadBench()
  rows.push([
    'runtime: telemetry + runtime handler per request, node:http adapter (p50 server time, a fresh process per variant, median of 7 paired rounds)',
    `${o.full.toFixed(1)} µs wrapped, ${o.bare.toFixed(1)} µs bare`,
    `+${o.overhead.toFixed(1)} µs`,
    '< 25 µs p50',
  ])
  const r = await renderBench()
  rows.push([
    `runtime: render /metrics, ${r.modelIds} model ids (10 versions × 20 models), ${r.lines.toLocaleString('en-US')} lines`,
    `${r.changed.toFixed(2)} ms all series changed, ${r.unchanged.toFixed(2)} ms none changed`,
    `${(r.bytes / 1e6).toFixed(1)} MB`,
    '< 5 ms',
  ])
}

if (want('flags')) {
  const r = await flagsBench()
  rows.push([
    'flag evaluations, 10% fractional rollout, distinct users (provider.evaluator; the OpenFeature client, provider, flagd-core)',
    `${Math.round(r.evaluator).toLocaleString('en-US')}/s through provider.evaluator`,
    `${Math.round(r.client).toLocaleString('en-US')}/s client, ${Math.round(r.provider).toLocaleString('en-US')}/s provider, ${Math.round(r.core).toLocaleString('en-US')}/s flagd-core`,
    '≥ 200,000/s',
  ])
}

if (want('view')) {
  const { viewBench } = await import('./view.mjs')
  const r = await viewBench()
  const ms = (v) => `${v.toFixed(0)} ms`
  const pages = [
    ['runs page, newest 50', r.pages.runs, r.floor.runs],
    ['runs page, by branch and status', r.pages.runsBranch, r.floor.runs],
    ['runs page, the 100th page (cursor)', r.pages.runsDeep, r.floor.runs],
    [
      `a ${r.bigCases.toLocaleString('en-US')}-case run's page (first 100 cases)`,
      r.pages.run,
      r.floor.run,
    ],
    ['the same run, failing cases only', r.pages.runFailing, r.floor.run],
  ]
  for (const [name, page, floor] of pages) {
    rows.push([
      `view: ${name}, ${r.runs.toLocaleString('en-US')} runs / ${r.samples.toLocaleString('en-US')} samples stored; load event in Chromium, median of 7 (first load)`,
      `${ms(page.warm.loaded)} (first ${ms(page.cold.loaded)}); DOM interactive ${ms(page.warm.interactive)}; server ${ms(page.warm.server)}`,
      `${(page.warm.loaded / floor.warm.loaded).toFixed(2)} × the floor (${ms(floor.warm.loaded)})`,
      '< 500 ms',
    ])
  }
}

console.log('| benchmark | measured | ratio | target |')
console.log('| --- | --- | --- | --- |')
for (const row of rows) console.log(`| ${row.join(' | ')} |`)
