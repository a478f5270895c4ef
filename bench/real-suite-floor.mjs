// The floor of the real-suite benchmark (bench/real-suite.mjs): plain Node, no dependencies.
// Reads the same cases.jsonl, makes the same Chat Completions calls (fetch, `CONCURRENCY` at a
// time) and runs the same checks written by hand: a minimal JSON Schema validator for the
// keywords the generated schemas use, `new Function` for the javascript expression, RegExp and
// includes. Prints "<passed>/<total> passed".
// Usage: node bench/real-suite-floor.mjs CASES_JSONL BASE_URL CONCURRENCY
import { readFileSync } from 'node:fs'

const [file, baseUrl, concurrencyArg] = process.argv.slice(2)
const concurrency = Number(concurrencyArg)
const cases = readFileSync(file, 'utf8')
  .split('\n')
  .filter((line) => line !== '')
  .map((line) => JSON.parse(line))

const typeOk = {
  object: (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
  string: (v) => typeof v === 'string',
  integer: (v) => Number.isInteger(v),
  boolean: (v) => typeof v === 'boolean',
}

/** type, required, properties, additionalProperties: false, minLength, minimum, maximum, enum. */
function valid(schema, v) {
  if (schema.type !== undefined && !typeOk[schema.type](v)) return false
  if (schema.enum !== undefined && !schema.enum.includes(v)) return false
  if (schema.minLength !== undefined && v.length < schema.minLength) return false
  if (schema.minimum !== undefined && v < schema.minimum) return false
  if (schema.maximum !== undefined && v > schema.maximum) return false
  if (schema.required?.some((k) => !(k in v))) return false
  for (const [k, value] of Object.entries(schema.type === 'object' ? v : {})) {
    const sub = schema.properties?.[k]
    if (sub === undefined ? schema.additionalProperties === false : !valid(sub, value)) return false
  }
  return true
}

function checksOf(kase) {
  return kase.assert.map(({ type, value }) => {
    if (type === 'is-json') {
      return (out) => {
        try {
          return valid(value, JSON.parse(out))
        } catch {
          return false
        }
      }
    }
    if (type === 'javascript') return new Function('output', `return (${value}\n)`)
    if (type === 'regex') {
      const re = new RegExp(value)
      return (out) => re.test(out)
    }
    if (type === 'contains') return (out) => out.includes(value)
    throw new Error(`floor: no check for ${type}`)
  })
}

async function run(kase) {
  const prompt = `Case ${kase.vars.n}: summarize ${kase.vars.topic} in one sentence.`
  const res = await fetch(`${baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'bench-model', messages: [{ role: 'user', content: prompt }] }),
  })
  const output = (await res.json()).choices[0].message.content
  return checksOf(kase).every((check) => check(output) === true)
}

let next = 0
let passed = 0
async function worker() {
  while (next < cases.length) {
    if (await run(cases[next++])) passed++
  }
}
await Promise.all(Array.from({ length: concurrency }, worker))
console.log(`${passed}/${cases.length} passed`)
