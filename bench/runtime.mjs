// The runtime SDK (issue 7), run by bench/run.mjs: what the telemetry middleware adds to a
// request served through the node:http adapter, and the time to render /metrics with many
// label sets. Imports the built @shipgate/runtime (npm run build).
import { execFileSync } from 'node:child_process'
import { Agent, createServer, request } from 'node:http'
import { fileURLToPath } from 'node:url'
import { createRuntimeHandler, createTelemetry, toNodeListener } from '@shipgate/runtime'

const SELF = fileURLToPath(import.meta.url)

const percentile = (values, q) => {
  const sorted = Float64Array.from(values).sort()
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]
}

/**
 * A server whose listener is timed from its call to the response's `finish`: server-side
 * microseconds per request, without the client's and the kernel's share of loopback latency.
 */
async function timedServer(handler) {
  let samples = []
  const listener = toNodeListener(handler)
  const server = createServer((req, res) => {
    const started = process.hrtime.bigint()
    res.once('finish', () => samples.push(Number(process.hrtime.bigint() - started) / 1000))
    listener(req, res)
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: server.address().port,
    take: () => {
      const taken = samples
      samples = []
      return taken
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  }
}

function get(agent, port, path) {
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: '127.0.0.1', port, path }, (res) => {
      res.resume()
      res.on('end', resolve)
    })
    req.on('error', reject)
    req.end()
  })
}

const app = () =>
  new Response(JSON.stringify({ response: 'hello' }), {
    headers: { 'content-type': 'application/json' },
  })

/** The handler of one variant: the bare app, or the app behind the runtime and telemetry. */
function variant(name) {
  if (name === 'bare') return app
  const telemetry = createTelemetry({ service: 'bench', version: '1', release: 'r1' })
  const runtime = createRuntimeHandler({ telemetry })
  const wrapped = telemetry.wrap(app, { route: ['/agent/query', '/users/:id'] })
  return async (req) => (await runtime(req)) ?? wrapped(req)
}

/** p50 server-side µs of `n` sequential keep-alive requests to one variant, after a warm-up. */
async function measure(name, n) {
  const server = await timedServer(variant(name))
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  try {
    for (let i = 0; i < 3_000; i++) await get(agent, server.port, '/agent/query')
    server.take()
    for (let i = 0; i < n; i++) await get(agent, server.port, '/agent/query')
    return percentile(server.take(), 0.5)
  } finally {
    agent.destroy()
    await server.close()
  }
}

/**
 * What the runtime handler plus `telemetry.wrap` (route templates matched) add to a request
 * served through the node:http adapter: p50 server time of the same app, bare and wrapped,
 * each in a fresh process (the telemetry's AsyncLocalStorage slows every promise of the
 * process it is enabled in, so a bare server sharing its process would hide that cost). The
 * variants alternate over `rounds`, and the overhead is the median of each round's difference,
 * so a change of the machine's load between rounds cancels out. Microseconds.
 */
export function overheadBench(n = 8_000, rounds = 7) {
  const run = (name) => {
    const out = execFileSync(process.execPath, [SELF, 'measure', name, String(n)], {
      encoding: 'utf8',
    })
    return Number(out.trim())
  }
  const bare = []
  const full = []
  for (let r = 0; r < rounds; r++) {
    bare.push(run('bare'))
    full.push(run('full'))
  }
  const overhead = percentile(
    full.map((f, i) => f - bare[i]),
    0.5,
  )
  return { bare: percentile(bare, 0.5), full: percentile(full, 0.5), overhead, requests: n, rounds }
}

/**
 * Milliseconds to render /metrics (median of `runs`) with `versions` × `models` model ids
 * called (each with token, duration and cost series, a tenth of them failing too) and 20
 * routes served: the cardinality of a service that has seen many model snapshots. Timed: the
 * UTF-8 chunks `GET /metrics` sends when nothing changed since the last scrape, the same when
 * every series changed (the worst case: all re-encoded), and the text as one string.
 */
export async function renderBench(versions = 10, models = 20, runs = 101) {
  const telemetry = createTelemetry({ service: 'bench', version: '1', release: 'r1' })
  const usage = { input: 1200, output: 300, cacheRead: 0, cacheWrite: 0, reasoning: 0 }
  const calls = []
  for (let v = 0; v < versions; v++) {
    for (let m = 0; m < models; m++) {
      const call = { provider: 'openai', model: `model-${m}-2025-0${v}-01`, durationMs: 800, usage }
      calls.push(call)
      if (m % 10 === 0) calls.push({ ...call, usage: null, error: new TypeError('x') })
    }
  }
  const touchAll = () => calls.forEach((call) => telemetry.recordLlmCall(call))
  touchAll()
  const routes = Array.from({ length: 20 }, (_, i) => `/route/${i}`)
  const handler = telemetry.wrap(() => new Response('ok'), { route: routes })
  // A request is recorded once its body has been read.
  for (const route of routes) await (await handler(new Request(`http://bench${route}`))).text()
  const text = await telemetry.metricsText()
  const time = async (render, before = () => {}) => {
    for (let i = 0; i < 20; i++) await render()
    const times = []
    for (let i = 0; i < runs; i++) {
      before()
      const started = process.hrtime.bigint()
      await render()
      times.push(Number(process.hrtime.bigint() - started) / 1e6)
    }
    return percentile(times, 0.5)
  }
  const unchanged = await time(() => telemetry.metricsChunks())
  const changed = await time(() => telemetry.metricsChunks(), touchAll)
  const string = await time(() => telemetry.metricsText(), touchAll)
  const jsonStarted = process.hrtime.bigint()
  telemetry.snapshot()
  const jsonMs = Number(process.hrtime.bigint() - jsonStarted) / 1e6
  return {
    unchanged,
    changed,
    string,
    modelIds: versions * models,
    lines: text.split('\n').length,
    bytes: text.length,
    jsonMs,
  }
}

// `node bench/runtime.mjs measure bare|full N`: one variant of overheadBench, in its own process.
if (process.argv[1] === SELF && process.argv[2] === 'measure') {
  console.log(await measure(process.argv[3], Number(process.argv[4])))
}
