import { describe, expect, it } from 'vitest'
import { evaluate } from '../../../src/workflows/eval/index.js'
import { wilson } from '../../../src/core/stats/intervals.js'
import { silentLogger } from '../../../src/logger.js'
import { openStore } from '../../../src/stores/index.js'
import { seededRandom } from '../../../src/utils/random.js'
import { tempProject, writeFiles } from '../../helpers/project.js'

/*
 * Do the reported intervals mean what they say? A simulated suite: 200 cases, each passed by
 * the mock provider with its own fixed probability, 10 samples each. The probabilities are
 * drawn from Beta(1/2, 1/2) (as sin²(πU/2)), so the population mean pass rate is 0.5 and cases
 * differ a lot — the setting where repeats of one case are strongly correlated. Over 100 seeds,
 * the 95% interval must cover 0.5 in at least 93 runs; the interval that treats the 2,000
 * samples as independent must cover clearly less.
 */

const CASES = 200
const REPEAT = 10
const RUNS = 100
const TRUE_MEAN = 0.5

function config(seed: number): string {
  const random = seededRandom(seed * 7919 + 1)
  const responses = Array.from({ length: CASES }, (_, i) => {
    const p = Math.sin((Math.PI * random()) / 2) ** 2
    const pass = Math.min(Math.max(p, 1e-9), 1 - 1e-9)
    return `      - { match: "<case ${i}>", outputs: [{ output: PASS, weight: ${pass} }, { output: FAIL, weight: ${1 - pass} }] }`
  })
  return `version: 1
providers:
  model:
    type: mock
    seed: ${seed}
    responses:
${responses.join('\n')}
prompts:
  p: { user: "<case {{ i }}>" }
suites:
  sim:
    prompt: p
    provider: model
    repeat: ${REPEAT}
    threshold: 0
    assert: [{ type: equals, value: PASS }]
    cases: cases.jsonl
runner: { concurrency: 64 }
`
}

describe('interval coverage on a simulated suite (200 cases × 10 repeats, 100 seeds)', () => {
  it('covers the true pass rate at the stated level, and the unclustered interval does not', async () => {
    const dir = tempProject({
      'cases.jsonl': Array.from({ length: CASES }, (_, i) =>
        JSON.stringify({ id: `c${i}`, vars: { i } }),
      ).join('\n'),
    })
    const store = await openStore('memory:', dir)
    let clustered = 0
    let scoreCovered = 0
    let naive = 0
    try {
      for (let seed = 1; seed <= RUNS; seed++) {
        writeFiles(dir, { 'shipgate.yaml': config(seed) })
        const { results } = await evaluate({ cwd: dir, env: {}, logger: silentLogger, store })
        const stats = results.suites[0]?.stats
        if (stats === undefined) throw new Error('no suite')
        expect(stats.samples).toBe(CASES * REPEAT)
        const { passRate, score } = stats
        if (passRate.lower <= TRUE_MEAN && TRUE_MEAN <= passRate.upper) clustered += 1
        if (score.lower <= TRUE_MEAN && TRUE_MEAN <= score.upper) scoreCovered += 1
        const independent = wilson(stats.passed, stats.samples)
        if (independent.lower <= TRUE_MEAN && TRUE_MEAN <= independent.upper) naive += 1
      }
    } finally {
      await store.close()
    }
    console.log(
      `coverage of ${RUNS} runs: clustered pass rate ${clustered}, clustered score ${scoreCovered}, independent ${naive}`,
    )
    expect(clustered).toBeGreaterThanOrEqual(93)
    expect(scoreCovered).toBeGreaterThanOrEqual(93)
    expect(naive).toBeLessThanOrEqual(80)
  }, 120_000)
})
