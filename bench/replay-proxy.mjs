// Record/replay and proxy benchmarks (issue 3), run by bench/run.mjs.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const BIN = fileURLToPath(new URL('../bin/shipgate.js', import.meta.url))
const MOCK = fileURLToPath(new URL('./mock-llm.mjs', import.meta.url))

function median(values) {
  const s = [...values].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

/** Starts a child that prints its URL on its first line of stdout. */
function startWithUrl(command, args, options = {}) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], ...options })
  const url = new Promise((resolve, reject) => {
    child.stdout.once('data', (d) => resolve(d.toString().trim().split('\n')[0]))
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}`)))
  })
  return { child, url }
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve()
    child.once('exit', resolve)
    child.kill('SIGTERM')
  })
}

/** Replay of `n` recorded cases: record them once against the mock, then time `eval --replay`. */
export async function replayBench(n = 10_000, runs = 3) {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-replay-'))
  const mock = startWithUrl(process.execPath, [MOCK, '0'])
  try {
    const url = await mock.url
    writeFileSync(
      join(dir, 'shipgate.yaml'),
      `version: 1\nproviders:\n  haiku: { type: anthropic, model: claude-3-5-haiku-20241022, baseUrl: "${url}" }\nprompts:\n  q: { user: "Question {{ n }}" }\nsuites:\n  bench:\n    prompt: q\n    provider: haiku\n    cases: cases.jsonl\n    assert: [{ type: contains, value: answer }]\ncassettes: { dir: cassettes }\n`,
    )
    writeFileSync(
      join(dir, 'cases.jsonl'),
      Array.from({ length: n }, (_, i) => JSON.stringify({ id: `c${i}`, vars: { n: i } })).join(
        '\n',
      ),
    )
    const env = { ...process.env, ANTHROPIC_API_KEY: 'bench-key' }
    const recorded = spawnSync(
      process.execPath,
      [BIN, 'eval', '--record', '--no-progress', '--concurrency', '64'],
      { cwd: dir, env, stdio: ['ignore', 'ignore', 'inherit'] },
    )
    if (recorded.status !== 0) throw new Error(`recording exited ${recorded.status}`)
    await stop(mock.child)
    const times = []
    for (let i = 0; i < runs; i++) {
      const started = process.hrtime.bigint()
      const replayed = spawnSync(
        process.execPath,
        [BIN, 'eval', '--replay', '--no-progress', '--concurrency', '64'],
        { cwd: dir, env: { PATH: process.env.PATH }, stdio: ['ignore', 'ignore', 'inherit'] },
      )
      times.push(Number(process.hrtime.bigint() - started) / 1e6)
      if (replayed.status !== 0) throw new Error(`replay exited ${replayed.status}`)
    }
    return median(times)
  } finally {
    await stop(mock.child)
    rmSync(dir, { recursive: true, force: true })
  }
}

/** One streamed request; resolves with its duration in ms once the whole stream is read. */
function streamOnce(base, agent, body) {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const req = request(
      `${base}/v1/messages`,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'x-api-key': 'bench-key',
          'anthropic-version': '2023-06-01',
        },
      },
      (res) => {
        res.resume()
        res.on('end', () => resolve(performance.now() - started))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

/**
 * p50 duration of streamed requests from `clients` concurrent clients, each sending `each`
 * requests one after another and starting at a random moment within `spreadMs` (as independent
 * users do), so that `clients` streams are open at once without arriving in lockstep.
 */
async function streams(base, clients, each, spreadMs, seed = 1) {
  const { Agent } = await import('node:http')
  const agent = new Agent({ keepAlive: true, maxSockets: clients })
  const body = JSON.stringify({
    model: 'claude-3-5-haiku-20241022',
    max_tokens: 64,
    stream: true,
    messages: [{ role: 'user', content: 'the same question' }],
  })
  let state = seed
  const random = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648
  const times = []
  await Promise.all(
    Array.from({ length: clients }, async () => {
      await new Promise((r) => setTimeout(r, random() * spreadMs))
      for (let i = 0; i < each; i++) {
        const ms = await streamOnce(base, agent, body)
        if (i > 0) times.push(ms) // the first request also opens the connection
      }
    }),
  )
  agent.destroy()
  return median(times)
}

/**
 * Proxy overhead with `concurrency` concurrent streams: p50 through the proxy minus p50 straight
 * to the mock (passthrough: the proxy forwards every call), and p50 of replayed streams.
 */
export async function proxyBench(clients = 100, each = 6) {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-proxy-'))
  // Streams of 10 events 20 ms apart, about 200 ms each, as a model streams its answer.
  const mock = startWithUrl(process.execPath, [MOCK, '0', '20'])
  const children = [mock.child]
  try {
    const upstream = await mock.url
    const spread = 200
    const direct = await streams(upstream, clients, each, spread)
    const pass = startWithUrl(
      process.execPath,
      [BIN, 'proxy', '--port', '0', '--mode', 'passthrough', '--anthropic-upstream', upstream],
      { cwd: dir },
    )
    children.push(pass.child)
    const viaProxy = await streams(await pass.url, clients, each, spread)
    const rec = startWithUrl(
      process.execPath,
      [
        BIN,
        'proxy',
        '--port',
        '0',
        '--mode',
        'record-missing',
        '--cassettes',
        'c',
        '--anthropic-upstream',
        upstream,
      ],
      { cwd: dir },
    )
    children.push(rec.child)
    await streams(await rec.url, 1, 2, 0)
    await stop(rec.child)
    const rep = startWithUrl(
      process.execPath,
      [BIN, 'proxy', '--port', '0', '--mode', 'replay', '--timing', 'recorded', '--cassettes', 'c'],
      { cwd: dir },
    )
    children.push(rep.child)
    // Every request is the same: the proxy answers each from the one recording, at its pace.
    // The overhead of serving 100 streams at once is their p50 beyond one stream served alone.
    const url = await rep.url
    const alone = await streams(url, 1, each, 0)
    const loaded = await streams(url, clients, each, spread)
    return {
      direct,
      viaProxy,
      overhead: viaProxy - direct,
      alone,
      loaded,
      replayOverhead: loaded - alone,
    }
  } finally {
    await Promise.all(children.map(stop))
    rmSync(dir, { recursive: true, force: true })
  }
}
