/** A small history in a store, and a store's whole contents, for tests that move history. */
import type { Store } from '../../src/contracts/store.js'
import {
  deployment,
  manifest,
  newRun,
  plannedCase,
  runEnd,
  sample,
} from '../contract/store.contract.js'
import { event } from '../contract/experiment-events.contract.js'

/** A store with three runs (one still running), two releases and two deployments. */
export async function seedHistory(store: Store): Promise<void> {
  const ids = ['20261101-000000-aaaaaa', '20261102-000000-bbbbbb', '20261103-000000-cccccc']
  for (const [i, id] of ids.entries()) {
    await store.runs.create(newRun(id, { startedAt: `2026-11-0${i + 1}T00:00:00.000Z` }), [
      plannedCase('smoke', 'a'),
      plannedCase('smoke', 'b'),
    ])
    await store.runs.appendSamples(id, [
      sample('smoke', 'a', 0, {
        costUsd: 0.01,
        usage: { input: 10, output: 2, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
      }),
      sample('smoke', 'b', 0, { pass: false, score: 0 }),
    ])
    if (i < 2) await store.runs.finish(id, runEnd(i === 0 ? 'completed' : 'failed'))
  }
  await store.releases.save(manifest('rel-aaaaaaaaaaaa', { name: 'v1' }))
  await store.releases.save(
    manifest('rel-bbbbbbbbbbbb', { name: 'v2', createdAt: '2026-11-02T00:00:00.000Z' }),
  )
  await store.deployments.begin(
    deployment('dep-1', 'prod', { status: 'succeeded', finishedAt: '2026-11-01T00:10:00.000Z' }),
  )
  await store.deployments.begin(deployment('dep-2', 'staging'))
  await store.experimentEvents.append([
    event('x1', 1),
    event('x2', 2, { type: 'outcome' }),
    event('x3', 3, { type: 'sample', experiment: 'judge-test' }),
  ])
}

/** Everything a store holds, for comparing two of them. */
export async function contents(store: Store) {
  const runs = await store.runs.list({ limit: 100 })
  return {
    runs,
    cases: await Promise.all(runs.map((r) => store.runs.cases(r.id))),
    samples: await Promise.all(runs.map((r) => store.runs.samples(r.id))),
    releases: await store.releases.list({ limit: 100 }),
    deployments: await store.deployments.list({ limit: 100 }),
    experiments: await store.experimentEvents.experiments(),
    events: await readAll(store.experimentEvents.read('prompt-v2')),
  }
}

/** Every item of an async iterable, in order (Node 20 has no `Array.fromAsync`). */
export async function readAll<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of iterable) out.push(item)
  return out
}
