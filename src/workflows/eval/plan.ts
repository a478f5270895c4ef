import { prepareAssertion } from '../../assertions/index.js'
import type { AssertionContext, Check } from '../../contracts/assertion.js'
import type { ChatMessage } from '../../contracts/provider.js'
import type { Shard } from '../../contracts/results.js'
import type { StoredCase } from '../../contracts/store.js'
import type { LoadedCase, LoadedConfig, LoadedSuite, LocatedAssertion } from '../../config/load.js'
import { MAX_REPEAT, MAX_SAMPLES } from '../../config/schema.js'
import {
  CaseIds,
  matchesFilter,
  mergeTags,
  shapeOf,
  shardOfPlan,
  storedCase,
  totalSamples,
  type CaseFilter,
  type EvalPlan,
  type PlannedCase,
  type PlannedCheck,
  type PlannedSuite,
} from '../../core/eval/plan.js'
import { ConfigError, ShipgateError, usageError, type ConfigIssue } from '../../errors.js'
import { RenderError, type CompiledPrompt } from '../../prompts/template.js'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { canonicalJson, sha256 } from '../../utils/hash.js'
import { JudgeHub } from './judges.js'

/** What to run of a loaded config. */
export interface PlanOptions extends CaseFilter {
  /** Overrides every suite's `repeat`. */
  readonly repeat?: number
  /**
   * Keep only this shard's part of the selected cases (every repeat of a case stays in its
   * shard). An empty shard is a plan with no suites, not an error.
   */
  readonly shard?: Shard
}

/** A plan and the cases to record with the run. */
export interface BuiltPlan {
  readonly plan: EvalPlan
  readonly cases: readonly StoredCase[]
  /** With a shard: every selected suite and case, of which the plan keeps the shard's part. */
  readonly whole?: { readonly plan: EvalPlan; readonly cases: readonly StoredCase[] }
}

/**
 * Selects suites and cases, renders each case's prompt and prepares its assertions. Every
 * problem (an unknown variable, an invalid assertion value, a duplicate id) is collected and
 * thrown as one ConfigError with positions.
 */
export async function buildPlan(
  loaded: LoadedConfig,
  options: PlanOptions,
  judges: JudgeHub = new JudgeHub(loaded),
): Promise<BuiltPlan> {
  checkFilter(loaded, options)
  if (options.repeat !== undefined && options.repeat > MAX_REPEAT) {
    throw usageError(
      `--repeat ${options.repeat} is more than the ${MAX_REPEAT} samples per case a run may take`,
      `pass --repeat ${MAX_REPEAT} or fewer`,
    )
  }
  const issues: ConfigIssue[] = []
  const suites: PlannedSuite[] = []
  const hashes = new FileHashes()
  for (const suite of loaded.suites) {
    if (options.suites.length > 0 && !options.suites.includes(suite.name)) continue
    const planned = await planSuite(loaded, suite, options, { issues, judges, hashes })
    if (planned.cases.length > 0) suites.push(planned)
  }
  if (issues.length > 0) throw new ConfigError(issues)
  if (suites.length === 0) {
    throw usageError(
      `no cases match --tag ${options.tags.join(', ')}`,
      'check the tags on your cases, or drop --tag',
    )
  }
  // Every case is planned before the shard is kept, so each shard reports the config errors
  // of the whole selection, as the unsharded run would.
  const kept = options.shard === undefined ? suites : shardOfPlan(suites, options.shard)
  const samples = totalSamples({ suites: kept })
  if (samples > MAX_SAMPLES) {
    throw usageError(
      `${loaded.file ?? 'the config'}: this run would take ${samples.toLocaleString('en-US')} samples (cases × repeat), more than the ${MAX_SAMPLES.toLocaleString('en-US')} one run may hold`,
      'lower repeat, run fewer cases (--suite, --tag), or split the run with --shard',
    )
  }
  const storedCases = (of: readonly PlannedSuite[]) =>
    of.flatMap((s) => s.cases.map((c) => storedCase(s.name, c)))
  const cases = storedCases(kept)
  if (options.shard === undefined) return { plan: { suites: kept }, cases }
  return { plan: { suites: kept }, cases, whole: { plan: { suites }, cases: storedCases(suites) } }
}

/**
 * The config without its loaded cases, for what runs after planning. The plan keeps what a run
 * needs of each case; the loaded ones (each validated, then located with its assertions) were
 * ~2.5 KB a case that would otherwise live to the end of the run (docs/benchmarks.md, issue 13).
 */
export function withoutCases(loaded: LoadedConfig): LoadedConfig {
  return {
    ...loaded,
    suites: loaded.suites.map((s) => ({
      name: s.name,
      config: s.config,
      assertions: s.assertions,
      cases: [],
    })),
  }
}

function checkFilter(loaded: LoadedConfig, options: PlanOptions): void {
  const known = loaded.suites.map((s) => s.name)
  const unknown = options.suites.filter((s) => !known.includes(s))
  if (unknown.length > 0) {
    throw usageError(
      `unknown suite ${unknown.map((s) => `"${s}"`).join(', ')}`,
      `suites in this config: ${known.join(', ')}`,
    )
  }
}

async function planSuite(
  loaded: LoadedConfig,
  suite: LoadedSuite,
  options: PlanOptions,
  { issues, judges, hashes }: { issues: ConfigIssue[]; judges: JudgeHub; hashes: FileHashes },
): Promise<PlannedSuite> {
  const prompt = loaded.prompts.get(suite.config.prompt) as CompiledPrompt
  const prepareAll = (assertions: readonly LocatedAssertion[]) =>
    prepareChecks(assertions, issues, (baseDir) => judges.context(baseDir, suite.config))
  const shared = await prepareAll(suite.assertions)
  const suiteKey = suiteFingerprint(loaded, suite, prompt, hashes)
  const ids = new CaseIds(suite.name)
  const shapes = new Set<string>()
  const cases: PlannedCase[] = []
  for (const kase of suite.cases) {
    const { id, duplicate } = ids.next(kase.config.id, kase.config.vars)
    if (duplicate) {
      issues.push({
        ...kase.location,
        message: `duplicate case id "${id}" in suite "${suite.name}"`,
        hint: 'case ids must be unique within a suite',
      })
    }
    const tags = mergeTags(suite.config.tags, kase.config.tags)
    if (!matchesFilter(suite.name, tags, options)) continue
    const vars = isEmpty(suite.config.vars)
      ? kase.config.vars
      : { ...suite.config.vars, ...kase.config.vars }
    const messages = renderer(prompt, vars, id, kase, { shapes, issues })
    const own = kase.assertions.length === 0 ? [] : await prepareAll(kase.assertions)
    if (messages === undefined) continue
    // Built field by field: spreads of optional fields cost noticeably at 10,000 cases.
    const planned: { -readonly [K in keyof PlannedCase]: PlannedCase[K] } = {
      id,
      vars,
      tags,
      messages,
      checks: own.length === 0 ? shared : [...shared, ...own],
      // A case of a config given as a value has a key path, not a place in a file.
      source: 'line' in kase.location ? kase.location : undefined,
      fingerprint: sha256(
        `${suiteKey}\n${canonicalJson(vars)}\n${kase.assertions.length === 0 ? '' : assertionsKey(kase.assertions, hashes)}`,
      ),
    }
    if (kase.config.description !== undefined) planned.description = kase.config.description
    if (kase.config.threshold !== undefined) planned.threshold = kase.config.threshold
    // `--repeat` overrides every suite's and every case's.
    if (kase.config.repeat !== undefined && options.repeat === undefined) {
      planned.repeat = kase.config.repeat
    }
    cases.push(planned)
  }
  const provider = loaded.config.providers[suite.config.provider]
  const repeat = options.repeat ?? suite.config.repeat
  return {
    name: suite.name,
    provider: {
      name: suite.config.provider,
      id: `${provider?.type ?? 'unknown'}:${suite.config.provider}`,
    },
    prompt: { name: prompt.name, version: prompt.version },
    threshold: suite.config.threshold,
    repeat,
    casePass: suite.config.casePass,
    k: Math.min(suite.config.k ?? repeat, repeat),
    cases,
  }
}

/**
 * The case's prompt renderer. A case whose vars have a shape (keys and value types, nested) not
 * seen before in the suite is rendered now, so a missing variable is a config error before any
 * call is paid for; cases of a known shape render when their call starts (rendering 10,000
 * prompts up front would delay every run). A later failure, possible only for errors that
 * depend on values rather than on which variables exist, is that sample's error.
 */
function renderer(
  prompt: CompiledPrompt,
  vars: Record<string, unknown>,
  id: string,
  kase: LoadedCase,
  seen: { shapes: Set<string>; issues: ConfigIssue[] },
): PlannedCase['messages'] | undefined {
  let rendered: readonly ChatMessage[] | undefined
  const render = (): readonly ChatMessage[] => (rendered ??= prompt.render(vars))
  const shape = shapeOf(vars)
  if (seen.shapes.has(shape)) return render
  try {
    render()
    seen.shapes.add(shape)
    return render
  } catch (error) {
    if (!(error instanceof RenderError)) throw error
    seen.issues.push({
      ...kase.location,
      message: `case "${id}": prompt "${prompt.name}" does not render: ${error.message}`,
      hint: 'define the variable in the case vars (or the suite vars), or fix the template',
    })
    return undefined
  }
}

async function prepareChecks(
  assertions: readonly LocatedAssertion[],
  issues: ConfigIssue[],
  contextFor: (baseDir: string) => AssertionContext,
): Promise<PlannedCheck[]> {
  const checks: PlannedCheck[] = []
  for (const assertion of assertions) {
    const check = await prepare(assertion, issues, contextFor(assertion.baseDir))
    if (check === undefined) continue
    checks.push({
      type: assertion.type,
      weight: assertion.weight,
      check,
      ...(assertion.metric === undefined ? {} : { metric: assertion.metric }),
    })
  }
  return checks
}

async function prepare(
  assertion: LocatedAssertion,
  issues: ConfigIssue[],
  context: AssertionContext,
): Promise<Check | undefined> {
  try {
    return await prepareAssertion(assertion, context)
  } catch (error) {
    if (!(error instanceof ShipgateError) || error.code !== 'config') throw error
    issues.push({
      ...assertion.location,
      message: error.message,
      ...(error.hint === undefined ? {} : { hint: error.hint }),
    })
    return undefined
  }
}

/**
 * What every case of a suite depends on besides its own vars and assertions: the prompt's
 * version, the provider's and the judges' config, and the suite's assertions (with the content
 * of the files they name). Code behind an exec or http provider is not in it: `select` sees
 * such changes and `--reuse-baseline` then reuses nothing of the suite.
 */
function suiteFingerprint(
  loaded: LoadedConfig,
  suite: LoadedSuite,
  prompt: CompiledPrompt,
  hashes: FileHashes,
): string {
  const { config } = loaded
  const judge = suite.config.judge ?? config.judge
  const judgeNames =
    judge === undefined
      ? []
      : typeof judge === 'string'
        ? [judge]
        : [judge.provider, ...(judge.embeddings === undefined ? [] : [judge.embeddings])]
  return sha256(
    canonicalJson({
      prompt: prompt.version,
      provider: config.providers[suite.config.provider] ?? null,
      judge: judge ?? null,
      judges: judgeNames.map((n) => config.providers[n] ?? null),
      suiteVars: suite.config.vars,
      assertions: assertionsKey(suite.assertions, hashes),
    }),
  )
}

/**
 * Hashes of the files assertions name, read once per plan: a plan is built from one reading of
 * the project, and a new plan (the next `--watch` round, a library caller's next run) reads
 * them again.
 */
class FileHashes {
  private readonly hashes = new Map<string, string>()

  of(path: string): string {
    let hash = this.hashes.get(path)
    if (hash === undefined) {
      try {
        hash = sha256(readFileSync(path, 'utf8'))
      } catch {
        hash = 'missing'
      }
      this.hashes.set(path, hash)
    }
    return hash
  }
}

/** The assertions as written (positions left out), with a hash of each `file://` they name. */
function assertionsKey(assertions: readonly LocatedAssertion[], hashes: FileHashes): string {
  const files: string[] = []
  const visit = (value: unknown, baseDir: string): void => {
    if (typeof value === 'string' && value.startsWith('file://')) {
      const path = resolve(baseDir, value.slice('file://'.length).replace(/:[A-Za-z_$][\w$]*$/, ''))
      files.push(hashes.of(path))
    } else if (Array.isArray(value)) for (const v of value) visit(v, baseDir)
    else if (value !== null && typeof value === 'object') {
      for (const v of Object.values(value)) visit(v, baseDir)
    }
  }
  const specs = assertions.map((a) => {
    visit(a.value, a.baseDir)
    const { location: _location, baseDir: _baseDir, ...spec } = a
    return spec
  })
  return canonicalJson({ specs, files })
}

function isEmpty(record: Readonly<Record<string, unknown>>): boolean {
  for (const _ in record) return false
  return true
}
