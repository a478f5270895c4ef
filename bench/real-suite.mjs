// The engine on real suites (issue 13): a promptfoo-shaped project — every case with its own
// inline JSON Schema (`is-json`), its own `javascript` expression, a `regex` and a `contains` —
// against an OpenAI-compatible loopback server answering in 50 ms (bench/mock-llm.mjs, in its
// own process), at concurrency 32. `shipgate eval` (the built CLI) is timed side by side with
// a dependency-free floor runner (bench/real-suite-floor.mjs) making the same HTTP calls and
// checks. Usage alone: node bench/real-suite.mjs [CASES] [ROUNDS]
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const BIN = fileURLToPath(new URL('../bin/shipgate.js', import.meta.url))
const MOCK = fileURLToPath(new URL('./mock-llm.mjs', import.meta.url))
const FLOOR = fileURLToPath(new URL('./real-suite-floor.mjs', import.meta.url))
const RSS_HOOK = fileURLToPath(new URL('./rss.mjs', import.meta.url))

/** How many distinct schemas the cases' inline schemas are copies of (as in suites written by
 * copying a case and editing it); every case still carries its own copy. */
export const SCHEMA_VARIANTS = 40
export const CONCURRENCY = 32

/** The inline JSON Schema written in case `i`. */
function schemaOf(i) {
  const k = i % SCHEMA_VARIANTS
  return {
    type: 'object',
    required: k % 2 === 0 ? ['answer', 'ok'] : ['answer', 'words', 'ok'],
    properties: {
      answer: { type: 'string', minLength: 1 + (k % 7) },
      words: { type: 'integer', minimum: 1, maximum: 20 + k },
      ok: { type: 'boolean', enum: [true] },
    },
    additionalProperties: false,
  }
}

/** Case `i` as a line of cases.jsonl. */
function caseOf(i) {
  return {
    id: `case-${i}`,
    vars: { n: i, topic: `topic-${i}` },
    assert: [
      { type: 'is-json', value: schemaOf(i) },
      { type: 'javascript', value: `JSON.parse(output).answer.includes("Case ${i}:")` },
      { type: 'regex', value: `^\\{"answer":"answer to Case ${i}: ` },
      { type: 'contains', value: `topic-${i}` },
    ],
  }
}

/** Writes the project of `n` cases for the server at `baseUrl` into a new temp dir. */
export function generate(n, baseUrl) {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-real-suite-'))
  writeFileSync(
    join(dir, 'shipgate.yaml'),
    `version: 1
providers:
  local: { type: openai, model: bench-model, baseUrl: "${baseUrl}", noApiKey: true }
prompts:
  q: { user: "Case {{ n }}: summarize {{ topic }} in one sentence." }
suites:
  real:
    prompt: q
    provider: local
    cases: cases.jsonl
    trustCases: true
runner: { timeoutMs: 30000 }
`,
  )
  const lines = Array.from({ length: n }, (_, i) => JSON.stringify(caseOf(i)))
  writeFileSync(join(dir, 'cases.jsonl'), `${lines.join('\n')}\n`)
  return dir
}

function median(values) {
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

function timed(args, options) {
  const started = process.hrtime.bigint()
  const result = spawnSync(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 2 ** 20,
    ...options,
  })
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  if (result.status !== 0) {
    throw new Error(`${args.join(' ')} exited ${result.status}: ${String(result.stderr)}`)
  }
  return { ms, stdout: String(result.stdout) }
}

/** A child's wall time, peak RSS and CPU time (user + system), through the preload hook. */
function measured(dir, args) {
  const rssFile = join(dir, 'rss')
  const cpuFile = join(dir, 'cpu')
  const { ms, stdout } = timed(['--import', RSS_HOOK, ...args], {
    cwd: dir,
    env: { ...process.env, SHIPGATE_BENCH_RSS_FILE: rssFile, SHIPGATE_BENCH_CPU_FILE: cpuFile },
  })
  const rssMb = Number(readFileSync(rssFile, 'utf8')) / 2 ** 20
  return { ms, stdout, rssMb, cpuMs: Number(readFileSync(cpuFile, 'utf8')) / 1000 }
}

/** One `shipgate eval` run. */
function shipgateRun(dir) {
  return measured(dir, [BIN, 'eval', '--no-progress', '--concurrency', String(CONCURRENCY)])
}

/** One floor run, checked to have passed every case. */
function floorRun(dir, baseUrl, n) {
  const run = measured(dir, [FLOOR, join(dir, 'cases.jsonl'), baseUrl, String(CONCURRENCY)])
  if (!run.stdout.startsWith(`${n}/${n} passed`)) throw new Error(`floor: ${run.stdout}`)
  return run
}

function startMock(delayMs) {
  const child = spawn(process.execPath, [MOCK, String(delayMs)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const url = new Promise((resolve, reject) => {
    child.stdout.once('data', (d) => resolve(d.toString().trim().split('\n')[0]))
    child.once('exit', (code) => reject(new Error(`mock exited ${code}`)))
  })
  return { child, url }
}

/**
 * `rounds` rounds of floor then shipgate on an `n`-case project, 50 ms server: medians of the
 * wall times, their ratio, and shipgate's highest peak RSS.
 */
export async function realSuiteBench(n = 2000, rounds = 5) {
  const mock = startMock(50)
  const baseUrl = `${await mock.url}/v1`
  const dir = generate(n, baseUrl)
  try {
    const floor = []
    const shipgate = []
    for (let r = 0; r < rounds; r++) {
      floor.push(floorRun(dir, baseUrl, n))
      shipgate.push(shipgateRun(dir))
    }
    const floorMs = median(floor.map((f) => f.ms))
    const shipgateMs = median(shipgate.map((s) => s.ms))
    return {
      n,
      floorMs,
      shipgateMs,
      ratio: shipgateMs / floorMs,
      ratios: shipgate.map((s, i) => s.ms / floor[i].ms),
      cpuRatio: median(shipgate.map((s) => s.cpuMs)) / median(floor.map((f) => f.cpuMs)),
      floorCpuMs: median(floor.map((f) => f.cpuMs)),
      shipgateCpuMs: median(shipgate.map((s) => s.cpuMs)),
      rssMb: Math.max(...shipgate.map((s) => s.rssMb)),
      floorRssMb: Math.max(...floor.map((f) => f.rssMb)),
    }
  } finally {
    mock.child.kill('SIGTERM')
    rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await realSuiteBench(Number(process.argv[2] ?? 2000), Number(process.argv[3] ?? 5))
  console.log(JSON.stringify(r))
}
