// The floor of the 10,000-case latency benchmark (bench/run.mjs `latency`): plain Node, no
// dependencies. Reads the same cases.jsonl, renders the same prompt, "calls" a model that
// answers after LATENCY_MS (a timer, as shipgate's mock provider does), `CONCURRENCY` at a
// time, runs the same three checks by hand (is-json, contains, the javascript expression
// compiled once) and writes every result as a JSON line, as a run keeps its samples.
// Prints "<passed>/<total> passed".
// Usage: node bench/latency-floor.mjs CASES_JSONL LATENCY_MS CONCURRENCY OUT_JSONL
import { readFileSync, writeFileSync } from 'node:fs'

const [file, latencyArg, concurrencyArg, out] = process.argv.slice(2)
const latencyMs = Number(latencyArg)
const concurrency = Number(concurrencyArg)
const ANSWER = '{"answer": 42, "ok": true}'
const cases = readFileSync(file, 'utf8')
  .split('\n')
  .filter((line) => line !== '')
  .map((line) => JSON.parse(line))
const expression = new Function('output', 'return (JSON.parse(output).answer === 42\n)')

function isJson(text) {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

function call(prompt) {
  return new Promise((resolve) => setTimeout(() => resolve({ prompt, output: ANSWER }), latencyMs))
}

async function run(kase) {
  const { n, a, b } = kase.vars
  const { output } = await call(`Question ${n}: what is ${a} + ${b}?`)
  const pass = isJson(output) && output.includes('answer') && expression(output) === true
  return { id: kase.id, output, pass }
}

const results = new Array(cases.length)
let next = 0
async function worker() {
  while (next < cases.length) {
    const i = next++
    results[i] = await run(cases[i])
  }
}
await Promise.all(Array.from({ length: concurrency }, worker))
writeFileSync(out, `${results.map((r) => JSON.stringify(r)).join('\n')}\n`)
console.log(`${results.filter((r) => r.pass).length}/${results.length} passed`)
