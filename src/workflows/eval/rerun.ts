/** `--rerun-failed`: the cases that failed or errored in a previous run. */
import type { LoadedConfig } from '../../config/load.js'
import type { ResultsDocument } from '../../contracts/results.js'
import type { Store } from '../../contracts/store.js'
import { usageError } from '../../errors.js'
import { readGitInfo } from '../../integrations/git/index.js'
import { openStore } from '../../stores/index.js'
import { storeLocation } from '../project/index.js'
import { loadRunResults, resultsOf } from '../results/index.js'
import type { EvalOptions } from './options.js'

/** The failed cases of a run, by config suite name, and the run they come from. */
export interface FailedCases {
  readonly run: string
  readonly only: ReadonlyMap<string, ReadonlySet<string>>
}

/** The failed and errored cases of the run `rerunFailed` names. */
export async function failedCases(
  loaded: LoadedConfig,
  options: EvalOptions & { readonly rerunFailed: string | true },
): Promise<FailedCases> {
  const ref = options.rerunFailed
  const store =
    options.store ?? (await openStore(storeLocation(options.env, loaded.config.store), loaded.dir))
  try {
    const results =
      ref === true
        ? await latestOfBranch(loaded, options, store)
        : await resultsOf(ref, store, options.cwd)
    return { run: results.run.id, only: failedOf(results) }
  } finally {
    if (options.store === undefined) await store.close()
  }
}

/**
 * The latest run of the current git branch that is not still running (of any branch outside a
 * git repository, or on a detached head).
 */
async function latestOfBranch(
  loaded: LoadedConfig,
  options: Pick<EvalOptions, 'env'>,
  store: Store,
): Promise<ResultsDocument> {
  const branch = (await readGitInfo(loaded.dir, options.env))?.branch ?? undefined
  const runs = await store.runs.list({ ...(branch === undefined ? {} : { branch }), limit: 20 })
  const last = runs.find((r) => r.status !== 'running')
  if (last === undefined) {
    throw usageError(
      `--rerun-failed: no run${branch === undefined ? '' : ` of branch "${branch}"`} in the store`,
      'run `shipgate eval` first, or name a run id or a results file: --rerun-failed RUN',
    )
  }
  return loadRunResults(store, last.id)
}

/** Cases with samples that did not pass (failed or errored), by the config's suite name. */
export function failedOf(results: ResultsDocument): Map<string, Set<string>> {
  const only = new Map<string, Set<string>>()
  for (const suite of results.suites) {
    const name = suite.variant?.suite ?? suite.name
    for (const kase of suite.cases) {
      if (kase.samples.length === 0 || kase.pass) continue
      const ids = only.get(name) ?? new Set<string>()
      ids.add(kase.id)
      only.set(name, ids)
    }
  }
  return only
}
