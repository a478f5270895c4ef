import type { Shard } from '../../contracts/results.js'
import type { StoredCase } from '../../contracts/store.js'
import type {
  LoadedCase,
  LoadedConfig,
  LoadedSuite,
  LoadedVariant,
  LocatedAssertion,
} from '../../config/load.js'
import { MAX_REPEAT, MAX_SAMPLES } from '../../config/schema.js'
import {
  CaseIds,
  matchesFilter,
  mergeTags,
  shardOfPlan,
  storedCase,
  totalSamples,
  type CaseFilter,
  type EvalPlan,
  type PlannedCase,
  type PlannedSuite,
} from '../../core/eval/plan.js'
import { ConfigError, usageError, type ConfigIssue } from '../../errors.js'
import type { CompiledPrompt } from '../../prompts/template.js'
import { canonicalJson, sha256 } from '../../utils/hash.js'
import { prepareChecks } from './checks.js'
import { caseKey, FileHashes, suiteFingerprint } from './fingerprint.js'
import { JudgeHub } from './judges.js'
import { renderer, shapesOf } from './render.js'
import { StagedChecks, transformStage } from './transforms.js'
import { providerConfig } from './providers.js'
import { checkVariantFilter, chosenVariants, variantIdentity } from './variants.js'

/** What to run of a loaded config. */
export interface PlanOptions extends CaseFilter {
  /** Overrides every suite's `repeat`. */
  readonly repeat?: number
  /**
   * Keep only this shard's part of the selected cases (every repeat of a case stays in its
   * shard). An empty shard is a plan with no suites, not an error.
   */
  readonly shard?: Shard
  /**
   * Only these variants of the suites with variants (`--variant`); suites without variants are
   * then left out. Empty or absent: every variant.
   */
  readonly variants?: readonly string[]
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
    suites.push(...planned.filter((p) => p.cases.length > 0))
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
      variants: s.variants,
      assertions: s.assertions,
      transform: s.transform,
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
  checkVariantFilter(loaded, options.suites, options.variants)
}

/** One variant of a suite while its cases are planned. */
interface VariantRun {
  readonly variant: LoadedVariant
  readonly prompt: CompiledPrompt
  readonly key: string
  readonly cases: PlannedCase[]
}

/**
 * Plans a suite: one planned suite per variant kept, each with the same cases (ids, vars,
 * checks) rendered with its own prompt, so that the variants pair by case.
 */
async function planSuite(
  loaded: LoadedConfig,
  suite: LoadedSuite,
  options: PlanOptions,
  { issues, judges, hashes }: { issues: ConfigIssue[]; judges: JudgeHub; hashes: FileHashes },
): Promise<PlannedSuite[]> {
  const variants = chosenVariants(suite, options.variants)
  if (variants.length === 0) return []
  const prepareAll = (assertions: readonly LocatedAssertion[]) =>
    prepareChecks(assertions, issues, (baseDir) =>
      judges.context(baseDir, suite.config, suite.config.tools),
    )
  const staged = new StagedChecks(
    await prepareAll(suite.assertions),
    await transformStage(suite.transform, 'suite transform', issues),
  )
  const runs: VariantRun[] = variants.map((variant) => {
    const prompt = loaded.prompts.get(variant.prompt) as CompiledPrompt
    const provider = providerConfig(loaded, variant.instance)
    return {
      variant,
      prompt,
      key: suiteFingerprint(loaded, suite, { prompt, provider }, hashes),
      cases: [],
    }
  })
  const ids = new CaseIds(suite.name)
  const shapes = new Map<string, Set<string>>()
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
    if (!matchesFilter(suite.name, tags, options, id)) continue
    const vars = isEmpty(suite.config.vars)
      ? kase.config.vars
      : { ...suite.config.vars, ...kase.config.vars }
    // Most cases have neither: no promise is awaited for them (10,000 of them add up).
    const own = kase.assertions.length === 0 ? [] : await prepareAll(kase.assertions)
    const transform =
      kase.transform === undefined
        ? undefined
        : await transformStage(kase.transform, 'case transform', issues)
    const checks = staged.of(own, transform)
    const ownKey = caseKey(kase, hashes)
    const shared = { id, vars, tags, checks, ownKey }
    addCase(runs, shared, kase, { shapes, issues, options })
  }
  return runs.map((run) => suiteOf(loaded, suite, run, options))
}

/**
 * Adds a case to every variant, rendered with the variant's prompt; variants of one prompt share
 * its rendering. A case that does not render is left out (its issue is reported once).
 */
function addCase(
  runs: readonly VariantRun[],
  shared: Pick<PlannedCase, 'id' | 'vars' | 'tags' | 'checks'> & { readonly ownKey: string },
  kase: LoadedCase,
  ctx: { shapes: Map<string, Set<string>>; issues: ConfigIssue[]; options: PlanOptions },
): void {
  const { id, vars, tags, checks, ownKey } = shared
  const varsKey = canonicalJson(vars)
  const rendered = new Map<string, PlannedCase['messages'] | undefined>()
  for (const run of runs) {
    const name = run.prompt.name
    if (!rendered.has(name)) {
      const seen = { shapes: shapesOf(ctx.shapes, name), issues: ctx.issues }
      rendered.set(name, renderer(run.prompt, vars, id, kase, seen))
    }
    const messages = rendered.get(name)
    if (messages === undefined) continue
    const fingerprint = sha256(`${run.key}\n${varsKey}\n${ownKey}`)
    const base = { id, vars, tags, messages, checks, fingerprint }
    run.cases.push(plannedCase(base, kase, ctx.options))
  }
}

/** A planned case: what every variant shares, and the case's own settings. */
function plannedCase(
  base: Pick<PlannedCase, 'id' | 'vars' | 'tags' | 'messages' | 'checks' | 'fingerprint'>,
  kase: LoadedCase,
  options: PlanOptions,
): PlannedCase {
  // Built field by field: spreads of optional fields cost noticeably at 10,000 cases.
  const planned: { -readonly [K in keyof PlannedCase]: PlannedCase[K] } = {
    id: base.id,
    vars: base.vars,
    tags: base.tags,
    messages: base.messages,
    checks: base.checks,
    // A case of a config given as a value has a key path, not a place in a file.
    source: 'line' in kase.location ? kase.location : undefined,
    fingerprint: base.fingerprint,
  }
  if (kase.config.description !== undefined) planned.description = kase.config.description
  if (kase.config.threshold !== undefined) planned.threshold = kase.config.threshold
  // `--repeat` overrides every suite's and every case's.
  if (kase.config.repeat !== undefined && options.repeat === undefined) {
    planned.repeat = kase.config.repeat
  }
  return planned
}

/** The planned suite of one variant: named `suite[variant]` when the suite has variants. */
function suiteOf(
  loaded: LoadedConfig,
  suite: LoadedSuite,
  { variant, prompt, cases }: VariantRun,
  options: PlanOptions,
): PlannedSuite {
  const provider = providerConfig(loaded, variant.instance)
  const repeat = options.repeat ?? suite.config.repeat
  const { name, variant: identity } = variantIdentity(suite.name, variant)
  const planned: { -readonly [K in keyof PlannedSuite]: PlannedSuite[K] } = {
    name,
    provider: { name: variant.instance, id: `${provider?.type ?? 'unknown'}:${variant.instance}` },
    prompt: { name: prompt.name, version: prompt.version },
    threshold: suite.config.threshold,
    repeat,
    casePass: suite.config.casePass,
    k: Math.min(suite.config.k ?? repeat, repeat),
    cases,
  }
  if (identity !== undefined) planned.variant = identity
  if (suite.config.tools !== undefined && suite.config.tools.length > 0) {
    planned.tools = suite.config.tools
  }
  return planned
}

function isEmpty(record: Readonly<Record<string, unknown>>): boolean {
  for (const _ in record) return false
  return true
}
