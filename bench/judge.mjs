// Judge bookkeeping (issue 4), run by bench/run.mjs: the time a model-graded assertion spends
// outside the model call — rendering the judge prompt, the structured-output request, the
// concurrency gate and retry loop, parsing and validating the answer, usage and cost. The judge
// is the in-process mock provider answering at once, so the figure is an upper bound: it also
// contains the mock's own answer.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { JudgeHub } from '../dist/workflows/eval/judges.js'
import { createProviders } from '../dist/workflows/eval/providers.js'
import { prepareAssertion } from '../dist/assertions/index.js'
import { stopFan } from '../dist/core/eval/retry.js'
import { loadConfig } from '../dist/config/load.js'
import { silentLogger } from '../dist/logger.js'
import { costOf, createPriceLookup } from '@shipgate/runtime/pricing'
import { systemClock } from '../dist/utils/clock.js'

const GEVAL = Object.fromEntries(
  ['correctness', 'completeness', 'clarity', 'relevance', 'overall'].map((k) => [
    k,
    { reason: `${k} is fine`, score: 8 },
  ]),
)

const CONFIG = `version: 1
providers:
  app: { type: mock }
  judge:
    type: mock
    model: claude-3-5-haiku-20241022
    usage: { input: 900, output: 120 }
    responses:
      - { match: "Grade the output against the rubric", output: ${JSON.stringify(JSON.stringify({ reason: 'Meets the rubric.', pass: true, score: 0.9 }))} }
      - { match: "Evaluate the output on each criterion", output: ${JSON.stringify(JSON.stringify(GEVAL))} }
      - { match: "Two AI systems answered", output: ${JSON.stringify(JSON.stringify({ reason: 'A is clearer', winner: 'A' }))} }
judge: judge
prompts:
  p: { user: "{{ q }}" }
suites:
  s: { prompt: p, provider: app, cases: [{ vars: { q: x } }] }
`

const SPECS = [
  { type: 'llm-rubric', value: 'The answer explains the bug and suggests a fix', weight: 1 },
  { type: 'g-eval', weight: 1 },
  { type: 'pairwise', value: 'The reference answer to {{ q }}', weight: 1 },
]

const OUTPUT =
  'The function mutates its argument; copy the list first. '.repeat(8) +
  'Also handle the empty case.'

/** Microseconds per assertion (median of `runs`), checks run `concurrency` at a time. */
export async function judgeBench(n = 5_000, runs = 5, concurrency = 32) {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-judge-bench-'))
  try {
    writeFileSync(join(dir, 'shipgate.yaml'), CONFIG)
    const loaded = await loadConfig({ cwd: dir, env: {} })
    const hub = new JudgeHub(loaded)
    const context = hub.context(dir, loaded.config.suites.s)
    const checks = await Promise.all(SPECS.map((spec) => prepareAssertion(spec, context)))
    const providers = await createProviders(loaded, hub.names(), {
      env: {},
      clock: systemClock,
      logger: silentLogger,
      fetch,
      offline: false,
    })
    const prices = createPriceLookup({})
    hub.bind({
      providers,
      cost: (p, model, usage) => costOf(prices(p.type, model ?? p.model), usage),
      timeoutMs: () => 60_000,
      concurrency: () => concurrency,
      retry: { retries: 2, baseDelayMs: 10, maxDelayMs: 100, maxRetryAfterMs: 1000 },
      clock: systemClock,
      random: Math.random,
      stop: stopFan(new AbortController().signal),
      graceMs: 1000,
    })
    const input = {
      output: OUTPUT,
      vars: { q: 'Review this function' },
      prompt: [{ role: 'user', content: 'Review this function: def f(xs): xs.append(1)' }],
      latencyMs: 100,
      costUsd: 0.0001,
      usage: null,
    }
    const results = []
    for (const [i, check] of checks.entries()) {
      const timings = []
      for (let r = 0; r < runs; r++) {
        const started = process.hrtime.bigint()
        for (let done = 0; done < n; done += concurrency) {
          const batch = await Promise.all(
            Array.from({ length: Math.min(concurrency, n - done) }, () => check(input)),
          )
          if (batch.some((g) => g.error)) throw new Error(`judge error: ${batch[0].reason}`)
        }
        timings.push(Number(process.hrtime.bigint() - started) / 1e3 / n)
      }
      timings.sort((a, b) => a - b)
      results.push({ type: SPECS[i].type, us: timings[Math.floor(runs / 2)] })
    }
    return results
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
