import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { BaselineInfo, GateCheck, GateVerdict } from '../../contracts/gate.js'
import type { Logger } from '../../contracts/logger.js'
import type { ResultsDocument } from '../../contracts/results.js'
import type { Store } from '../../contracts/store.js'
import type { LoadedConfig } from '../../config/load.js'
import { coverageCheck, sarifCheck } from '../../core/gate/external.js'
import { DEFAULT_RULES, evaluateGate, type GateRules } from '../../core/gate/evaluate.js'
import { usageError } from '../../errors.js'
import { gateEvent, notifyConfigured } from '../alerts/index.js'
import { loadRunResults } from '../results/runs.js'
import { withConfigAndStore } from '../project/store.js'

/** Options of {@link gate}. */
export interface GateOptions {
  readonly cwd: string
  readonly env: Readonly<Record<string, string | undefined>>
  readonly configFile?: string
  /** The run to gate: an id, a prefix or `latest` (default). */
  readonly run?: string
  /** A results file to gate instead of a stored run. */
  readonly results?: string | ResultsDocument
  /** A branch, a run id or a results file; default the config's `gate.baseline` (`main`). */
  readonly baseline?: string
  /** Approval keys from `--approve`. */
  readonly approve?: readonly string[]
  /** A store to use instead of the config's. */
  readonly store?: Store
  readonly logger: Logger
}

/** The verdict and the results it judged. */
export interface GateResult {
  readonly verdict: GateVerdict
  readonly results: ResultsDocument
}

/**
 * `shipgate gate` as a library call: the run's results (stored or from a file), the baseline
 * (a results file, a run id, or the latest completed run of the branch in the store), the
 * approvals in force, and the files other tools wrote, judged by the config's `gate:` rules.
 * The verdict goes out as `gate.passed` / `gate.failed` through the config's `notify:` list (a
 * failing notifier is logged, never fatal).
 */
export async function gate(options: GateOptions): Promise<GateResult> {
  return withConfigAndStore(options, async (loaded, store) => {
    const current = await currentResults(options, store)
    const ref = options.baseline ?? loaded.config.gate?.baseline ?? 'main'
    const baseline = await findBaseline(ref, pendingOf(current), store, options.cwd)
    const verdict = evaluateGate({
      current,
      baseline: baseline.found ?? null,
      noBaselineReason: baseline.why,
      rules: rulesOf(loaded),
      approvals: await approvalsOf(loaded, options),
      external: await externalChecks(loaded),
    })
    const event = gateEvent(verdict, new Date())
    await notifyConfigured(loaded.config.notify, event, {
      env: options.env,
      logger: options.logger,
    })
    return { verdict, results: current }
  })
}

/** The run to judge: a results document, a results file, or a stored run (default latest). */
export async function currentResults(
  options: Pick<GateOptions, 'results' | 'run' | 'cwd'>,
  store: Store,
): Promise<ResultsDocument> {
  if (typeof options.results === 'object') return options.results
  if (options.results !== undefined) return readResults(resolve(options.cwd, options.results))
  return loadRunResults(store, options.run ?? 'latest')
}

function rulesOf(loaded: LoadedConfig): GateRules {
  const config = loaded.config.gate
  if (config === undefined) return DEFAULT_RULES
  return {
    ...(config.thresholds === undefined ? {} : { thresholds: config.thresholds }),
    suites: config.suites,
    compare: config.compare,
  }
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
  const suites = current.suites
  const candidates = runs.filter((r) => r.id !== current.id && r.startedAt <= current.startedAt)
  const chosen =
    candidates.find((r) => suites.every((s) => r.suites.some((x) => x.name === s))) ??
    candidates.find((r) => suites.some((s) => r.suites.some((x) => x.name === s)))
  if (chosen === undefined) {
    return { why: `no baseline: no completed run of these suites on branch "${ref}" in the store` }
  }
  const results = await loadRunResults(store, chosen.id)
  return { found: { results, info: infoOf(results, { source: 'store', branch: ref }) }, why: '' }
}

function infoOf(
  results: ResultsDocument,
  how: Pick<BaselineInfo, 'source'> & Partial<Pick<BaselineInfo, 'branch' | 'file'>>,
): BaselineInfo {
  return { runId: results.run.id, git: results.run.git, startedAt: results.run.startedAt, ...how }
}

/** Approval keys from `--approve`, `SHIPGATE_APPROVE` and the pull request's labels. */
async function approvalsOf(
  loaded: LoadedConfig,
  options: GateOptions,
): Promise<{ key: string; from: string }[]> {
  const approvals: { key: string; from: string }[] = []
  const add = (keys: readonly string[], from: string) => {
    for (const key of keys.flatMap((k) => k.split(',')).map((k) => k.trim())) {
      if (key !== '' && !approvals.some((a) => a.key === key)) approvals.push({ key, from })
    }
  }
  add(options.approve ?? [], '--approve')
  add([options.env.SHIPGATE_APPROVE ?? ''], 'SHIPGATE_APPROVE')
  const labels = loaded.config.gate?.approvals.labels ?? {}
  const eventPath = options.env.GITHUB_EVENT_PATH
  if (Object.keys(labels).length > 0 && eventPath !== undefined && eventPath !== '') {
    const present = await pullRequestLabels(eventPath, options.logger)
    for (const [key, label] of Object.entries(labels)) {
      if (present.includes(label)) add([key], `label "${label}"`)
    }
  }
  return approvals
}

/** The labels of the pull request in a GitHub Actions event payload; none when unreadable. */
async function pullRequestLabels(path: string, logger: Logger): Promise<string[]> {
  try {
    const event = JSON.parse(await readFile(path, 'utf8')) as {
      pull_request?: { labels?: { name?: unknown }[] }
    }
    return (event.pull_request?.labels ?? [])
      .map((l) => l.name)
      .filter((n): n is string => typeof n === 'string')
  } catch (error) {
    logger.warn(`cannot read the GitHub event payload ${path}: ${(error as Error).message}`)
    return []
  }
}

/** Coverage and SARIF checks from the files the config names (relative to it). */
async function externalChecks(loaded: LoadedConfig): Promise<GateCheck[]> {
  const config = loaded.config.gate
  if (config === undefined) return []
  const read = (file: string) =>
    readFile(resolve(loaded.dir, file), 'utf8').catch(
      (error: unknown) => new Error(`${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`),
    )
  const checks: GateCheck[] = []
  if (config.coverage !== undefined) {
    checks.push(
      coverageCheck(config.coverage.file, await read(config.coverage.file), config.coverage.min),
    )
  }
  for (const spec of config.sarif) checks.push(sarifCheck(spec, await read(spec.file)))
  return checks
}

/**
 * The baseline of a run about to start (`--reuse-baseline`): `ref` or the config's
 * `gate.baseline`, for the given suites.
 */
export async function baselineBeforeRun(options: {
  cwd: string
  env: Readonly<Record<string, string | undefined>>
  configFile?: string
  baseline?: string
  suites: readonly string[]
}): Promise<FoundBaseline> {
  return withConfigAndStore(options, (loaded, store) => {
    const ref = options.baseline ?? loaded.config.gate?.baseline ?? 'main'
    const pending = { id: '', startedAt: new Date().toISOString(), suites: options.suites }
    return findBaseline(ref, pending, store, options.cwd)
  })
}
