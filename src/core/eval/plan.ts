import type { Check } from '../../contracts/assertion.js'
import type { ChatMessage } from '../../contracts/provider.js'
import type { CaseInfo, SuiteInfo } from '../../contracts/results.js'

/** A prepared assertion of a case. */
export interface PlannedCheck {
  readonly type: string
  /** Share of the case score; 0 is informational (reported, not counted). */
  readonly weight: number
  readonly metric?: string
  readonly check: Check
}

/** A case ready to run: prompt rendered, checks prepared. */
export interface PlannedCase extends CaseInfo {
  /**
   * The rendered prompt. May be rendered on first call (and is then remembered); throws when
   * the case's vars do not fill the template.
   */
  readonly messages: () => readonly ChatMessage[]
  readonly checks: readonly PlannedCheck[]
  /** When set, a sample passes on weighted score ≥ threshold instead of every check passing. */
  readonly threshold?: number
}

/** A suite ready to run. */
export interface PlannedSuite extends SuiteInfo {
  readonly cases: readonly PlannedCase[]
}

/** Everything one run will do. */
export interface EvalPlan {
  readonly suites: readonly PlannedSuite[]
}

/** Samples in the plan: cases × repeats over all suites. */
export function totalSamples(plan: EvalPlan): number {
  return plan.suites.reduce((n, suite) => n + suite.cases.length * suite.repeat, 0)
}

/** Which cases a run includes. An empty list means no restriction. */
export interface CaseFilter {
  readonly suites: readonly string[]
  /** A case matches when it carries any of these tags. */
  readonly tags: readonly string[]
}

/** Whether a case of `suite` with `tags` is selected by `filter`. */
export function matchesFilter(suite: string, tags: readonly string[], filter: CaseFilter): boolean {
  if (filter.suites.length > 0 && !filter.suites.includes(suite)) return false
  if (filter.tags.length > 0 && !tags.some((t) => filter.tags.includes(t))) return false
  return true
}
