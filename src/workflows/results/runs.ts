import type { ResultsDocument } from '../../contracts/results.js'
import type { Store, StoredRun } from '../../contracts/store.js'
import { buildResults } from '../../core/eval/aggregate.js'
import { usageError } from '../../errors.js'

/** The results document of a stored run, rebuilt from its cases and samples. */
export async function loadRunResults(store: Store, ref: string): Promise<ResultsDocument> {
  const id = await store.runs.resolveId(ref)
  const run = id === undefined ? undefined : await store.runs.get(id)
  if (run === undefined) {
    throw usageError(
      `no run matches "${ref}"`,
      'list runs with `shipgate runs list`; a prefix must match exactly one',
    )
  }
  const [cases, samples] = await Promise.all([store.runs.cases(run.id), store.runs.samples(run.id)])
  return buildResults({ run: runInfoOf(run), suites: run.suites, cases, samples })
}

function runInfoOf(run: StoredRun): ResultsDocument['run'] {
  const { suites: _suites, summary: _summary, owner: _owner, ...info } = run
  return info
}
