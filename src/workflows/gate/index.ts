import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { GateCheck, GateVerdict } from '../../contracts/gate.js'
import type { Logger } from '../../contracts/logger.js'
import type { ResultsDocument } from '../../contracts/results.js'
import { EVERY_ROW, type Store } from '../../contracts/store.js'
import type { LoadedConfig } from '../../config/load.js'
import { runSpend, spentUsd } from '../../core/gate/bill.js'
import { monthStart, type BudgetInput } from '../../core/gate/budget.js'
import { coverageCheck, sarifCheck } from '../../core/gate/external.js'
import { evaluateGate, type GateRules } from '../../core/gate/evaluate.js'
import { pullRequestLabels } from '../../integrations/github/index.js'
import { gateEvent, notifyConfigured } from '../alerts/index.js'
import { stageRedactor, withConfigAndStore, type StoreChoice } from '../project/index.js'
import { currentResults, findBaseline, pendingOf, type RunChoice } from '../results/index.js'

/** Options of {@link gate}. */
export interface GateOptions extends StoreChoice, RunChoice {
  /** A branch, a run id or a results file; default the config's `gate.baseline`. */
  readonly baseline?: string
  /** Approval keys from `--approve`. */
  readonly approve?: readonly string[]
  readonly logger: Logger
  /** The time the monthly budget is judged at; now unless given (tests). */
  readonly now?: Date
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
    // Results files may come from anywhere (an older shipgate, another machine): redacted as
    // they are read, like everything a run makes, before any report is rendered from them.
    const redactor = stageRedactor(loaded, options)
    const current = redactor.json(await currentResults(options, store))
    const ref = options.baseline ?? loaded.config.gate.baseline
    const baseline = await findBaseline(ref, pendingOf(current), store, options.cwd)
    const now = options.now ?? new Date()
    const verdict = evaluateGate({
      current,
      baseline: redactor.json(baseline.found ?? null),
      noBaselineReason: baseline.why,
      rules: rulesOf(loaded),
      approvals: await approvalsOf(loaded, options),
      external: await externalChecks(loaded),
      budget: await budgetInput(loaded, store, current, now),
    })
    const event = gateEvent(verdict, now)
    await notifyConfigured(loaded.config.notify, event, {
      env: options.env,
      logger: options.logger,
    })
    return { verdict, results: current }
  })
}

function rulesOf(loaded: LoadedConfig): GateRules {
  const config = loaded.config.gate
  return {
    ...(config.thresholds === undefined ? {} : { thresholds: config.thresholds }),
    suites: config.suites,
    compare: config.compare,
  }
}

/**
 * With `gate.budget`: what each stored run of the month up to `now` spent, as the bill counts it
 * (`cost --by month`); the gated run is left out here and counted once by the gate, stored or not.
 */
async function budgetInput(
  loaded: LoadedConfig,
  store: Store,
  current: ResultsDocument,
  now: Date,
): Promise<BudgetInput | undefined> {
  const rule = loaded.config.gate.budget
  if (rule === undefined) return undefined
  const until = now.toISOString()
  const runs = await store.runs.list({ since: monthStart(now), limit: EVERY_ROW })
  const stored = runs
    .filter((r) => r.id !== current.run.id && r.startedAt <= until)
    .map((r) => ({ startedAt: r.startedAt, spentUsd: spentUsd(runSpend(r.summary)) }))
  return { rule, stored, now }
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
  const labels = loaded.config.gate.approvals.labels
  const eventPath = options.env.GITHUB_EVENT_PATH
  if (Object.keys(labels).length > 0 && eventPath !== undefined && eventPath !== '') {
    const present = await pullRequestLabels(eventPath, options.logger)
    for (const [key, label] of Object.entries(labels)) {
      if (present.includes(label)) add([key], `label "${label}"`)
    }
  }
  return approvals
}

/** Coverage and SARIF checks from the files the config names (relative to it). */
async function externalChecks(loaded: LoadedConfig): Promise<GateCheck[]> {
  const config = loaded.config.gate
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
