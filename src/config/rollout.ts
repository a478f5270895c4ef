/**
 * `rollout:` read into the canary plan and rules of one target, and checked at load time, so a
 * plan that cannot run is a config error at its file:line before anything deploys.
 */
import type { ConfigIssue } from '../errors.js'
import type { CanaryRules } from '../core/rollout/canary.js'
import {
  canaryPlan,
  DEFAULT_CANARY_STEPS,
  planProblem,
  type AnalysisStepRules,
  type CanaryStep,
} from '../core/rollout/canary-plan.js'
import { durationToMs } from '../utils/duration.js'
import type { RolloutConfig } from './deploy-schema.js'
import type { Config } from './schema.js'
import type { PathKey, Source } from './source.js'
import { closest } from './suggest.js'

/** A target's rollout: all at once, or a canary with its plan and rules. */
export interface Rollout {
  readonly strategy: 'replace' | 'canary'
  readonly steps: readonly CanaryStep[]
  readonly rules: CanaryRules
  readonly stepRules: AnalysisStepRules
}

/** The rollout of `target`: its own strategy and steps over the config's (checked at load). */
export function rolloutOf(config: RolloutConfig, target: string): Rollout {
  const own = config.targets[target]
  const a = config.analysis
  return {
    strategy: own?.strategy ?? config.strategy,
    steps: canaryPlan(stepsOf(own?.steps ?? config.steps, config)),
    rules: analysisRules(config),
    stepRules: { onInconclusive: a.onInconclusive, maxExtensions: a.maxExtensions },
  }
}

/** How the canary is judged, from `rollout.analysis` (a deploy's steps and `analysis serve`). */
export function analysisRules(config: RolloutConfig): CanaryRules {
  const a = config.analysis
  return {
    alpha: a.alpha,
    minRequests: a.minRequests,
    margins: a.margins,
    ...(a.limits === undefined ? {} : { limits: a.limits }),
  }
}

type WrittenSteps = RolloutConfig['steps']

/** Written steps as the plan's; the default plan's analysis takes `analysis.duration/interval`. */
function stepsOf(written: WrittenSteps, config: RolloutConfig): CanaryStep[] {
  const durationMs = durationToMs(config.analysis.duration)
  const intervalMs = durationToMs(config.analysis.interval)
  if (written === undefined) {
    return DEFAULT_CANARY_STEPS.map((s) =>
      s.kind === 'analysis' ? { ...s, durationMs, intervalMs } : s,
    )
  }
  return written.map((step): CanaryStep => {
    if ('setWeight' in step) return { kind: 'weight', percent: step.setWeight }
    if ('pause' in step) {
      const { duration } = step.pause
      return { kind: 'pause', durationMs: duration === undefined ? null : durationToMs(duration) }
    }
    const { duration, interval } = step.analysis
    return {
      kind: 'analysis',
      durationMs: duration === undefined ? durationMs : durationToMs(duration),
      intervalMs: interval === undefined ? intervalMs : durationToMs(interval),
    }
  })
}

/** Plans that cannot run, and per-target rollouts of targets that do not exist. */
export function checkRollout(config: Config, source: Source): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  const checkSteps = (written: WrittenSteps, path: PathKey[]): void => {
    if (written === undefined) return
    const problem = planProblem(stepsOf(written, config.rollout))
    if (problem === undefined) return
    issues.push({
      file: source.file,
      ...source.locate([...path, problem.index]),
      message: `${[...path, problem.index].join('.')}: ${problem.message}`,
      hint: 'weights grow from above 0 up to 100, and an analysis comes after a weight',
    })
  }
  checkSteps(config.rollout.steps, ['rollout', 'steps'])
  const targets = Object.keys(config.targets)
  for (const [name, own] of Object.entries(config.rollout.targets)) {
    if (!targets.includes(name)) {
      const guess = closest(name, targets)
      issues.push({
        file: source.file,
        ...source.locate(['rollout', 'targets', name]),
        message: `rollout.targets names "${name}", which is not defined under targets`,
        hint: guess !== undefined ? `did you mean "${guess}"?` : 'name a target of targets:',
      })
    }
    checkSteps(own.steps, ['rollout', 'targets', name, 'steps'])
  }
  return issues
}
