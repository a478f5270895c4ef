/**
 * Where a run's results come from — a results file, a stored run, or the latest completed run
 * of a branch — and the baseline a run is compared with (gate, compare, cost, --reuse-baseline).
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { BaselineInfo } from '../../contracts/gate.js'
import type { ResultsDocument } from '../../contracts/results.js'
import type { Store, StoredRun } from '../../contracts/store.js'
import { usageError } from '../../errors.js'
import { withConfigAndStore, type StoreChoice } from '../project/index.js'
import { loadRunResults } from './runs.js'

/** Which run to read: a results document, a results file, or a stored run (default latest). */
export interface RunChoice {
  readonly cwd: string
  /** A stored run: an id, a prefix or `latest` (default). */
  readonly run?: string
  /** A results file (or an already read document) instead of a stored run. */
  readonly results?: string | ResultsDocument
}

/** A results file (a path that exists, or ends in .json) or a stored run (id, prefix, latest). */
export async function resultsOf(ref: string, store: Store, cwd: string): Promise<ResultsDocument> {
  const path = resolve(cwd, ref)
  if (ref.endsWith('.json') || existsSync(path)) return readResults(path)
  return loadRunResults(store, ref)
}

/** The run to judge: a results document, a results file, or a stored run (default latest). */
export async function currentResults(options: RunChoice, store: Store): Promise<ResultsDocument> {
  if (typeof options.results === 'object') return options.results
  if (options.results !== undefined) return readResults(resolve(options.cwd, options.results))
  return loadRunResults(store, options.run ?? 'latest')
}

/** Reads a results file written by `shipgate eval -o FILE.json` (or `shipgate merge`). */
export async function readResults(path: string): Promise<ResultsDocument> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    throw usageError(
      `cannot read results file ${path}`,
      'write one with `shipgate eval -o results.json`',
    )
  }
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (error) {
    throw usageError(
      `${path} is not JSON: ${(error as Error).message}`,
      'pass a results file written by `shipgate eval -o results.json`',
    )
  }
  const results = doc as Partial<ResultsDocument>
  if (results.schemaVersion !== 1 || !Array.isArray(results.suites) || results.run === undefined) {
    throw usageError(
      `${path} is not a shipgate results file`,
      'pass a results file written by `shipgate eval -o results.json`',
    )
  }
  return doc as ResultsDocument
}

/** The run a baseline is looked up for: not itself, not a later run, the same suites. */
export interface PendingRun {
  readonly id: string
  readonly startedAt: string
  readonly suites: readonly string[]
}

/** What a run is as a {@link PendingRun}. */
export function pendingOf(results: ResultsDocument): PendingRun {
  return {
    id: results.run.id,
    startedAt: results.run.startedAt,
    suites: results.suites.map((s) => s.name),
  }
}

/** A baseline, or why there is none. */
export interface FoundBaseline {
  readonly found?: { results: ResultsDocument; info: BaselineInfo }
  readonly why: string
}

/** The baseline named by `ref`: a results file, a stored run, or a branch's latest run. */
export async function findBaseline(
  ref: string,
  current: PendingRun,
  store: Store,
  cwd: string,
): Promise<FoundBaseline> {
  const path = resolve(cwd, ref)
  if (ref.endsWith('.json') || (ref.includes('/') && existsSync(path))) {
    if (!existsSync(path)) return { why: `no baseline: ${ref} does not exist` }
    const results = await readResults(path)
    return { found: { results, info: infoOf(results, { source: 'file', file: ref }) }, why: '' }
  }
  // Run ids start with their date (20261130-…); branch names rarely start with a digit.
  if (/^\d/.test(ref)) {
    const id = await store.runs.resolveId(ref)
    if (id === undefined) return { why: `no baseline: no run matches "${ref}"` }
    const results = await loadRunResults(store, id)
    return { found: { results, info: infoOf(results, { source: 'run' }) }, why: '' }
  }
  const runs = await store.runs.list({ branch: ref, status: 'completed', limit: 50 })
  const candidates = runs.filter((r) => r.id !== current.id && r.startedAt <= current.startedAt)
  const chosen = chooseBaseline(candidates, current.suites)
  if (chosen === undefined) {
    return { why: `no baseline: no completed run of these suites on branch "${ref}" in the store` }
  }
  const results = await loadRunResults(store, chosen.id)
  return { found: { results, info: infoOf(results, { source: 'store', branch: ref }) }, why: '' }
}

/**
 * The newest completed run of `branch` in the store started before the stored run `current`
 * (the newest-first order: earlier, or as early with a lower id), with the run's suites:
 * all of them, else some. Reads the store only, never a file (the viewer's baseline).
 */
export async function storedBaseline(
  branch: string,
  current: PendingRun,
  store: Store,
): Promise<StoredRun | undefined> {
  const olderThan = { startedAt: current.startedAt, id: current.id }
  const runs = await store.runs.list({ branch, status: 'completed', olderThan, limit: 50 })
  return chooseBaseline(runs, current.suites)
}

/**
 * Of `candidates` (newest first), the first with all of `suites`, else with some of them. A
 * partial run (`eval --case`, `--filter`, `--first`, `--sample`, `--rerun-failed`) is never
 * chosen: it ran only some cases of its suites.
 */
function chooseBaseline(
  candidates: readonly StoredRun[],
  suites: readonly string[],
): StoredRun | undefined {
  const full = candidates.filter((r) => r.selection === undefined)
  // A config suite's name (a run about to start) matches the variants it ran as too.
  const has = (run: StoredRun, s: string) =>
    run.suites.some((x) => x.name === s || x.variant?.suite === s)
  return (
    full.find((r) => suites.every((s) => has(r, s))) ??
    full.find((r) => suites.some((s) => has(r, s)))
  )
}

function infoOf(
  results: ResultsDocument,
  how: Pick<BaselineInfo, 'source'> & Partial<Pick<BaselineInfo, 'branch' | 'file'>>,
): BaselineInfo {
  return { runId: results.run.id, git: results.run.git, startedAt: results.run.startedAt, ...how }
}

/**
 * The baseline of a run about to start (`--reuse-baseline`): `ref` or the config's
 * `gate.baseline`, for the given suites.
 */
export async function baselineBeforeRun(
  options: StoreChoice & { readonly baseline?: string; readonly suites: readonly string[] },
): Promise<FoundBaseline> {
  return withConfigAndStore(options, (loaded, store) => {
    const ref = options.baseline ?? loaded.config.gate.baseline
    const pending = { id: '', startedAt: new Date().toISOString(), suites: options.suites }
    return findBaseline(ref, pending, store, options.cwd)
  })
}
