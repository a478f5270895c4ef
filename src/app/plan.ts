import { prepareAssertion } from '../assertions/index.js'
import type { Check } from '../contracts/assertion.js'
import type { StoredCase } from '../contracts/store.js'
import type { LoadedCase, LoadedConfig, LoadedSuite, LocatedAssertion } from '../config/load.js'
import {
  matchesFilter,
  type CaseFilter,
  type EvalPlan,
  type PlannedCase,
  type PlannedCheck,
  type PlannedSuite,
} from '../core/eval/plan.js'
import { ConfigError, ShipgateError, usageError, type ConfigIssue } from '../errors.js'
import { RenderError, type CompiledPrompt } from '../prompts/template.js'
import { canonicalJson, sha256 } from '../utils/hash.js'

/** What to run of a loaded config. */
export interface PlanOptions extends CaseFilter {
  /** Overrides every suite's `repeat`. */
  readonly repeat?: number
}

/** A plan and the cases to record with the run. */
export interface BuiltPlan {
  readonly plan: EvalPlan
  readonly cases: readonly StoredCase[]
}

/**
 * Selects suites and cases, renders each case's prompt and prepares its assertions. Every
 * problem (an unknown variable, an invalid assertion value, a duplicate id) is collected and
 * thrown as one ConfigError with positions.
 */
export async function buildPlan(loaded: LoadedConfig, options: PlanOptions): Promise<BuiltPlan> {
  checkFilter(loaded, options)
  const issues: ConfigIssue[] = []
  const suites: PlannedSuite[] = []
  for (const suite of loaded.suites) {
    if (options.suites.length > 0 && !options.suites.includes(suite.name)) continue
    const planned = await planSuite(loaded, suite, options, issues)
    if (planned.cases.length > 0) suites.push(planned)
  }
  if (issues.length > 0) throw new ConfigError(issues)
  if (suites.length === 0) {
    throw usageError(
      `no cases match --tag ${options.tags.join(', ')}`,
      'check the tags on your cases, or drop --tag',
    )
  }
  const cases = suites.flatMap((s) => s.cases.map((c) => storedCase(s.name, c)))
  return { plan: { suites }, cases }
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
  issues: ConfigIssue[],
): Promise<PlannedSuite> {
  const prompt = loaded.prompts.get(suite.config.prompt) as CompiledPrompt
  const shared = await prepareAll(suite.assertions, issues)
  const ids = new CaseIds(suite.name)
  const cases: PlannedCase[] = []
  for (const kase of suite.cases) {
    const id = ids.next(kase, issues)
    const tags = [...new Set([...suite.config.tags, ...kase.config.tags])]
    if (!matchesFilter(suite.name, tags, options)) continue
    const vars = { ...suite.config.vars, ...kase.config.vars }
    const messages = render(prompt, vars, id, kase, issues)
    const own = await prepareAll(kase.assertions, issues)
    if (messages === undefined) continue
    cases.push({
      id,
      vars,
      tags,
      messages,
      checks: [...shared, ...own],
      source: kase.location,
      ...(kase.config.description === undefined ? {} : { description: kase.config.description }),
      ...(kase.config.threshold === undefined ? {} : { threshold: kase.config.threshold }),
    })
  }
  const provider = loaded.config.providers[suite.config.provider]
  return {
    name: suite.name,
    provider: {
      name: suite.config.provider,
      id: `${provider?.type ?? 'unknown'}:${suite.config.provider}`,
    },
    prompt: { name: prompt.name, version: prompt.version },
    threshold: suite.config.threshold,
    repeat: options.repeat ?? suite.config.repeat,
    cases,
  }
}

function render(
  prompt: CompiledPrompt,
  vars: Record<string, unknown>,
  id: string,
  kase: LoadedCase,
  issues: ConfigIssue[],
): PlannedCase['messages'] | undefined {
  try {
    return prompt.render(vars)
  } catch (error) {
    if (!(error instanceof RenderError)) throw error
    issues.push({
      ...kase.location,
      message: `case "${id}": prompt "${prompt.name}" does not render: ${error.message}`,
      hint: 'define the variable in the case vars (or the suite vars), or fix the template',
    })
    return undefined
  }
}

async function prepareAll(
  assertions: readonly LocatedAssertion[],
  issues: ConfigIssue[],
): Promise<PlannedCheck[]> {
  const checks: PlannedCheck[] = []
  for (const assertion of assertions) {
    const check = await prepare(assertion, issues)
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
): Promise<Check | undefined> {
  try {
    return await prepareAssertion(assertion, { baseDir: assertion.baseDir })
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

/** Case ids: given ones must be unique; missing ones are derived from the suite and the vars. */
class CaseIds {
  private readonly seen = new Set<string>()
  constructor(private readonly suite: string) {}

  next(kase: LoadedCase, issues: ConfigIssue[]): string {
    const given = kase.config.id
    if (given !== undefined) {
      if (this.seen.has(given)) {
        issues.push({
          ...kase.location,
          message: `duplicate case id "${given}" in suite "${this.suite}"`,
          hint: 'case ids must be unique within a suite',
        })
      }
      this.seen.add(given)
      return given
    }
    const base = `${this.suite}-${sha256(`${this.suite}\n${canonicalJson(kase.config.vars)}`).slice(0, 8)}`
    let id = base
    for (let n = 2; this.seen.has(id); n++) id = `${base}-${n}`
    this.seen.add(id)
    return id
  }
}

function storedCase(suite: string, kase: PlannedCase): StoredCase {
  return {
    suite,
    id: kase.id,
    vars: kase.vars,
    tags: kase.tags,
    ...(kase.description === undefined ? {} : { description: kase.description }),
    ...(kase.source === undefined ? {} : { source: kase.source }),
  }
}
