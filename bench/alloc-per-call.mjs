// Bytes one OpenAI SDK call allocates through the project's httpFetch (issue 13): the provider
// as a run builds it, against bench/mock-llm.mjs answering at once, CALLS calls 32 at a time.
// The young generation is made large enough that no collection runs while measuring, so the
// growth of the heap is what the calls allocated. Pass another build's dist to compare.
// Usage: node --expose-gc --min-semi-space-size=256 --max-semi-space-size=256 \
//          bench/alloc-per-call.mjs [DIST] [CALLS]
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const dist = process.argv[2] ?? fileURLToPath(new URL('../dist', import.meta.url))
const calls = Number(process.argv[3] ?? 1500)
if (typeof globalThis.gc !== 'function') throw new Error('run with --expose-gc (see the usage)')
const mock = spawn(process.execPath, [fileURLToPath(new URL('./mock-llm.mjs', import.meta.url))], {
  stdio: ['ignore', 'pipe', 'inherit'],
})
const url = await new Promise((resolve) =>
  mock.stdout.once('data', (d) => resolve(String(d).trim())),
)
const { httpFetch } = await import(`${dist}/utils/http-fetch.js`)
const { openaiProvider } = await import(`${dist}/providers/openai/index.js`)
const options = {
  model: 'bench-model',
  baseUrl: `${url}/v1`,
  noApiKey: true,
  params: {},
  headers: {},
  stream: false,
  api: 'chat',
}
const clock = { now: () => performance.now() }
const provider = openaiProvider.create(options, {
  name: 'bench',
  baseDir: '.',
  env: {},
  clock,
  logger: console,
  fetch: httpFetch,
  offline: false,
})

async function run(n) {
  let next = 0
  const worker = async () => {
    while (next < n) {
      const i = next++
      const messages = [
        { role: 'user', content: `Case ${i}: summarize topic-${i} in one sentence.` },
      ]
      const result = await provider.complete(
        { messages, vars: {} },
        { signal: new AbortController().signal },
      )
      if (!result.ok) throw new Error(JSON.stringify(result.error))
    }
  }
  await Promise.all(Array.from({ length: 32 }, worker))
}

await run(500) // warm-up: compiled code and the keep-alive sockets
globalThis.gc()
const before = process.memoryUsage().heapUsed
const cpu = process.cpuUsage()
await run(calls)
const allocated = process.memoryUsage().heapUsed - before
const used = process.cpuUsage(cpu)
console.log(
  JSON.stringify({
    dist,
    calls,
    kbPerCall: +(allocated / calls / 1024).toFixed(1),
    cpuMsPerCall: +((used.user + used.system) / 1000 / calls).toFixed(3),
  }),
)
mock.kill('SIGTERM')
