// Runs whose suites ran as variants (`suite[variant]`), as `shipgate eval` makes them, and a
// project that has them in its SQLite store and as results.json: the inputs of the ab tests.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ResultsDocument, SampleResult, SuiteInfo } from '../../../src/contracts/results.js'
import { variantSuiteName } from '../../../src/contracts/results.js'
import type { Store } from '../../../src/contracts/store.js'
import { buildResults } from '../../../src/core/eval/aggregate.js'
import { silentLogger } from '../../../src/logger.js'
import { openStore } from '../../../src/stores/index.js'
import type { AbOptions } from '../../../src/workflows/ab/index.js'
import { completedRun, sampleResult, suiteInfo } from '../../helpers/results.js'
import { minimalConfig, tempProject } from '../../helpers/project.js'

/** One variant of a suite: its cases `c0..c{n-1}`, case i passing when `passes(i)`. */
export interface Variant {
  readonly suite: string
  readonly name: string
  readonly cases: number
  readonly passes: (i: number) => boolean
  /** Case i's output; default `ok`. */
  readonly output?: (i: number) => string
}

/** A run of `variants` (and of `plain`, suites without variants), as `shipgate eval` makes it. */
export function run(id: string, variants: readonly Variant[], plain: readonly string[] = []) {
  const suites: SuiteInfo[] = [
    ...variants.map((v) =>
      suiteInfo({
        name: variantSuiteName(v.suite, v.name),
        variant: { suite: v.suite, name: v.name },
      }),
    ),
    ...plain.map((name) => suiteInfo({ name })),
  ]
  const cases: { suite: string; id: string; vars: Record<string, unknown>; tags: string[] }[] = []
  const samples: SampleResult[] = []
  for (const v of variants) {
    const suite = variantSuiteName(v.suite, v.name)
    for (let i = 0; i < v.cases; i++) {
      cases.push({ suite, id: `c${i}`, vars: { n: i }, tags: [] })
      samples.push(
        sampleResult({
          suite,
          caseId: `c${i}`,
          pass: v.passes(i),
          costUsd: 0.001,
          output: v.output?.(i) ?? 'ok',
        }),
      )
    }
  }
  for (const suite of plain) {
    cases.push({ suite, id: 'c0', vars: {}, tags: [] })
    samples.push(sampleResult({ suite, caseId: 'c0' }))
  }
  return buildResults({ run: completedRun({ id }), suites, cases, samples })
}

/** A project with `results` stored in its SQLite store and written to results.json. */
export async function storedProject(
  results: readonly ResultsDocument[],
  stores: Store[],
  config = minimalConfig(),
) {
  const dir = tempProject({ 'shipgate.yaml': config })
  const store = await openStore(join(dir, 'shipgate.db'), dir)
  stores.push(store)
  for (const r of results) {
    const { run, suites, summary } = r
    await store.runs.create(
      { ...run, suites, owner: { host: 'h', pid: 1 } },
      suites.flatMap((s) => s.cases.map(({ samples: _, ...c }) => ({ ...c, suite: s.name }))),
    )
    await store.runs.appendSamples(
      run.id,
      suites.flatMap((s) => s.cases.flatMap((c) => c.samples)),
    )
    await store.runs.finish(run.id, { status: 'completed', finishedAt: run.finishedAt!, summary })
  }
  writeFileSync(join(dir, 'results.json'), JSON.stringify(results.at(-1)))
  const options: AbOptions = { cwd: dir, env: {}, logger: silentLogger, store }
  return { dir, options }
}
