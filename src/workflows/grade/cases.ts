import type { ChatMessage, ToolSpec } from '../../contracts/provider.js'
import type { LoadedConfig } from '../../config/load.js'
import type { PlannedCase, PlannedSuite } from '../../core/eval/plan.js'
import { buildPlan, type JudgeHub } from '../eval/index.js'

/**
 * A suite's case as eval plans it, for a test that runs its own system on the case's vars and
 * grades the answer with the case's assertions. Plain data (its checks stay with the grader
 * that planned it), so a test framework can name tests after it (`$id`).
 */
export interface SuiteCase {
  /** The suite, as eval names it (`suite[variant]` for a variant). */
  readonly suite: string
  readonly id: string
  readonly description?: string
  /** The suite's vars with the case's over them. */
  readonly vars: Readonly<Record<string, unknown>>
  readonly tags: readonly string[]
  /** The suite's prompt rendered with the case's vars. */
  readonly prompt: readonly ChatMessage[]
  /** The checks the case runs: the suite's assertions, then its own. */
  readonly assertions: readonly CaseAssertion[]
  /** When set, the case passes on weighted score ≥ threshold instead of every check passing. */
  readonly threshold?: number
  /** The tools the suite declares (`tools:`), to give the system under test. */
  readonly tools?: readonly ToolSpec[]
}

/** One assertion of a {@link SuiteCase}. */
export interface CaseAssertion {
  readonly type: string
  /** Share of the case score; 0 is informational. */
  readonly weight: number
  readonly metric?: string
}

/** Which cases of a suite {@link planSuiteCases} plans. */
export interface SuiteCasesOptions {
  /** The variant whose prompt renders the cases (default: the suite's first). */
  readonly variant?: string
  /** Only cases carrying any of these tags. */
  readonly tags?: readonly string[]
}

/**
 * Plans `suite`'s cases as eval does (ids, vars, tags, rendered prompt, prepared checks with the
 * suite's judge); each case with the planned case it grades with. Config problems throw the
 * planner's ConfigError; an unknown suite or variant, a usage error.
 */
export async function planSuiteCases(
  loaded: LoadedConfig,
  judges: JudgeHub,
  suite: string,
  options: SuiteCasesOptions,
): Promise<[SuiteCase, PlannedCase][]> {
  const { plan } = await buildPlan(
    loaded,
    {
      suites: [suite],
      tags: options.tags ?? [],
      ...(options.variant === undefined ? {} : { variants: [options.variant] }),
    },
    judges,
  )
  const planned = plan.suites[0]
  if (planned === undefined) return []
  return planned.cases.map((kase) => [suiteCase(planned, kase), kase])
}

function suiteCase(suite: PlannedSuite, kase: PlannedCase): SuiteCase {
  const assertions = kase.checks.map(({ type, weight, metric }) =>
    metric === undefined ? { type, weight } : { type, weight, metric },
  )
  return {
    suite: suite.name,
    id: kase.id,
    ...(kase.description === undefined ? {} : { description: kase.description }),
    vars: kase.vars,
    tags: kase.tags,
    prompt: kase.messages(),
    assertions,
    ...(kase.threshold === undefined ? {} : { threshold: kase.threshold }),
    ...(suite.tools === undefined ? {} : { tools: suite.tools }),
  }
}
