/**
 * A canary rollout's plan and decisions, without I/O: the steps in the Argo Rollouts style (set a
 * weight, pause for a while or until promoted, analyze), the seed's default plan, and what an
 * analysis step does with the analysis after each interval. The deploy stage runs the steps;
 * this says which comes next and why.
 */
import type { CanaryAnalysis } from './canary.js'

/** One step of a canary rollout. */
export type CanaryStep =
  /** Send `percent` of the traffic to the canary. */
  | { readonly kind: 'weight'; readonly percent: number }
  /** Wait `durationMs`, or until `shipgate canary promote` when null. */
  | { readonly kind: 'pause'; readonly durationMs: number | null }
  /** Judge the canary after every `intervalMs` for `durationMs`. */
  | { readonly kind: 'analysis'; readonly durationMs: number; readonly intervalMs: number }

/** What an analysis step does when it ends without enough canary traffic to pass. */
export type InconclusiveAction = 'rollback' | 'pause' | 'extend'

/** How analysis steps are run (`rollout.analysis` in the config, durations resolved). */
export interface AnalysisStepRules {
  readonly onInconclusive: InconclusiveAction
  /** With `extend`: how many more times the step's duration it may run before rolling back. */
  readonly maxExtensions: number
}

/** The seed's plan: 5% of the traffic, 15 minutes of analysis, then everything. */
export const DEFAULT_CANARY_STEPS: readonly CanaryStep[] = [
  { kind: 'weight', percent: 5 },
  { kind: 'analysis', durationMs: 15 * 60_000, intervalMs: 60_000 },
  { kind: 'weight', percent: 100 },
]

/** Why a plan cannot run: the step (0-based) and what is wrong with it. */
export interface PlanProblem {
  readonly index: number
  readonly message: string
}

/**
 * What is wrong with a plan, if anything: a weight outside 0–100 or lower than the one before
 * (a canary only grows; roll back to shrink it), an analysis before any weight (no canary to
 * judge), or an analysis interval longer than its duration.
 */
export function planProblem(steps: readonly CanaryStep[]): PlanProblem | undefined {
  let weight = 0
  for (const [index, step] of steps.entries()) {
    if (step.kind === 'weight') {
      if (!(step.percent > 0 && step.percent <= 100)) {
        return { index, message: `a weight is a share of 0–100%, got ${step.percent}` }
      }
      if (step.percent < weight) {
        return { index, message: `weight ${step.percent}% is lower than the ${weight}% before it` }
      }
      weight = step.percent
    }
    if (step.kind === 'analysis' && weight === 0) {
      return { index, message: 'an analysis before any weight has no canary to judge' }
    }
    if (step.kind === 'analysis' && !(step.intervalMs > 0 && step.intervalMs <= step.durationMs)) {
      return { index, message: 'the analysis interval must fit in its duration' }
    }
  }
  return undefined
}

/**
 * The steps as they run: a plan that does not end at 100% gets a last step that does (a canary
 * that passed every step is promoted). Throws a RangeError naming the step of a
 * {@link planProblem}.
 */
export function canaryPlan(steps: readonly CanaryStep[]): CanaryStep[] {
  const problem = planProblem(steps)
  if (problem !== undefined) {
    throw new RangeError(`step ${problem.index + 1}: ${problem.message}`)
  }
  const last = [...steps].reverse().find((s) => s.kind === 'weight')
  return last?.kind === 'weight' && last.percent === 100
    ? [...steps]
    : [...steps, { kind: 'weight', percent: 100 }]
}

/** What an analysis step does after an interval. */
export type AnalysisDecision =
  /** Keep watching: another interval. */
  | { readonly action: 'watch' }
  /** The step passed: on to the next step. */
  | { readonly action: 'next'; readonly reason: string }
  /** Abort the canary and roll back. */
  | { readonly action: 'abort'; readonly reason: string }
  /** Wait for `shipgate canary promote` or `abort`. */
  | { readonly action: 'pause'; readonly reason: string }

/**
 * Decides after an interval of an analysis step: a failed analysis aborts at once (the tests are
 * valid at every look); before the step's time is up it keeps watching; at the end it moves on
 * when the analysis passes, and otherwise (too little canary traffic) follows `onInconclusive`:
 * roll back, pause for a person, or keep watching for up to `maxExtensions` more durations.
 */
export function decideAnalysis(
  analysis: CanaryAnalysis,
  step: { readonly durationMs: number },
  elapsedMs: number,
  rules: AnalysisStepRules,
): AnalysisDecision {
  if (analysis.outcome === 'failed') return { action: 'abort', reason: analysis.reason }
  if (elapsedMs < step.durationMs) return { action: 'watch' }
  if (analysis.outcome === 'passing') return { action: 'next', reason: analysis.reason }
  const reason = `inconclusive: ${analysis.reason}`
  switch (rules.onInconclusive) {
    case 'pause':
      return { action: 'pause', reason }
    case 'extend':
      return elapsedMs < step.durationMs * (1 + rules.maxExtensions)
        ? { action: 'watch' }
        : { action: 'abort', reason: `${reason}, after ${rules.maxExtensions} extensions` }
    case 'rollback':
      return { action: 'abort', reason }
  }
}

/** The canary's traffic share after the steps before `index` ran. */
export function weightBefore(steps: readonly CanaryStep[], index: number): number {
  let weight = 0
  for (const step of steps.slice(0, index)) if (step.kind === 'weight') weight = step.percent
  return weight
}

/** A step in words, for progress and the deployment record. */
export function describeStep(step: CanaryStep): string {
  switch (step.kind) {
    case 'weight':
      return `set the canary's weight to ${step.percent}%`
    case 'pause':
      return step.durationMs === null
        ? 'pause until promoted'
        : `pause for ${formatMs(step.durationMs)}`
    case 'analysis':
      return `analyze for ${formatMs(step.durationMs)}, every ${formatMs(step.intervalMs)}`
  }
}

function formatMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`
  if (ms % 60_000 === 0) return `${ms / 60_000}m`
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`
}
