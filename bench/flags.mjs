// Flag evaluations per second (issue 7), for bench/run.mjs: a 10 % `fractional` rollout flag in
// a flag file, evaluated for distinct users (`targetingKey`) one after another. Four layers, so
// that a regression can be placed: the OpenFeature client, the provider's synchronous evaluator
// (`provider.evaluator`, the hot path), the provider's async resolve method, and flagd-core alone. Medians of `runs` runs of `n` evaluations. Needs `npm run build`.
// Run alone: `node bench/flags.mjs`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { OpenFeature } from '@openfeature/server-sdk'
import { compileFlags, FileFlagProvider, rolloutFlag } from '@shipgate/runtime/flags'

const KEY = 'prompt_version'
const USERS = Array.from({ length: 10_000 }, (_, i) => ({ targetingKey: `user-${i}` }))
const LOGGER = { debug() {}, info() {}, warn() {}, error() {} }

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

async function perSecond(n, runs, evaluate) {
  const rates = []
  for (let r = 0; r < runs; r++) {
    let v2 = 0
    const started = performance.now()
    for (let i = 0; i < n; i++) if ((await evaluate(USERS[i % USERS.length])) === 'v2') v2++
    rates.push(n / ((performance.now() - started) / 1000))
    if (v2 === 0) throw new Error('nobody got v2: the rollout is not being evaluated')
  }
  return median(rates)
}

/**
 * Evaluations per second through the OpenFeature client (`client`), the synchronous evaluator
 * (`evaluator`), the provider's resolve method (`provider`) and flagd-core (`core`), each with
 * `fractional` targeting.
 */
export async function flagsBench(n = 200_000, runs = 5) {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-flags-bench-'))
  const path = join(dir, 'flags.json')
  const text = JSON.stringify({
    flags: { [KEY]: rolloutFlag({ key: KEY, from: 'v1', to: 'v2', percent: 10 }) },
  })
  writeFileSync(path, text)
  const provider = new FileFlagProvider({ path, watch: false })
  try {
    await OpenFeature.setProviderAndWait('flags-bench', provider)
    const client = OpenFeature.getClient('flags-bench')
    await perSecond(20_000, 1, (ctx) => client.getStringValue(KEY, 'v1', ctx)) // warm-up
    const clientRate = await perSecond(n, runs, (ctx) => client.getStringValue(KEY, 'v1', ctx))
    const evaluatorRate = await perSecond(n, runs, (ctx) =>
      provider.evaluator.getStringValue(KEY, 'v1', ctx),
    )
    const providerRate = await perSecond(n, runs, async (ctx) => {
      return (await provider.resolveStringEvaluation(KEY, 'v1', ctx, LOGGER)).value
    })
    const { core } = compileFlags(text, path)
    const coreRate = await perSecond(
      n,
      runs,
      (ctx) => core.resolveStringEvaluation(KEY, 'v1', ctx).value,
    )
    return { client: clientRate, evaluator: evaluatorRate, provider: providerRate, core: coreRate }
  } finally {
    await OpenFeature.clearProviders()
    rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await flagsBench()
  const fmt = (x) => Math.round(x).toLocaleString('en-US')
  console.log(
    `evaluator: ${fmt(r.evaluator)}/s · OpenFeature client: ${fmt(r.client)}/s · provider: ${fmt(r.provider)}/s · flagd-core: ${fmt(r.core)}/s`,
  )
}
