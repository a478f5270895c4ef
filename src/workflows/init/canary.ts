/*
 * Which targets deploy as a canary (`rollout:` in shipgate.yaml: the strategy, per target or for
 * all) and how long their canary may take — the steps' pauses and analyses, the health wait and
 * the monitor after — so `init --ci github` can write a manual canary workflow whose job outlives
 * the rollout it runs and no more.
 */
import { rolloutSchema, deploySchema, monitorSchema } from '../../config/deploy-schema.js'
import { rolloutOf, type Rollout } from '../../config/rollout.js'
import type { CanaryStep } from '../../core/rollout/canary-plan.js'
import { usageError } from '../../errors.js'
import { durationToMs } from '../../utils/duration.js'
import { errorMessage } from '../../utils/errors.js'
import * as z from '../../utils/zod.js'

/** The longest a job may run on a GitHub-hosted runner. */
export const GITHUB_MAX_JOB_MINUTES = 360

/** Minutes added to the planned rollout: checkout, install, apply, smoke and a rollback. */
export const SETUP_MINUTES = 30

/** A target whose deploys run as a canary, with what its workflow job needs to know. */
export interface CanaryTarget {
  readonly name: string
  /** The plan in words: `5% → analysis 15m → 100%`. */
  readonly plan: string
  /**
   * The rollout's planned time in ms: steps, `deploy.healthTimeout`, the monitor; `null` when it
   * can wait for a person (a pause without a duration, `onInconclusive: pause`).
   */
  readonly plannedMs: number | null
  /** The job's `timeout-minutes`: planned + {@link SETUP_MINUTES}, at most 6 hours. */
  readonly timeoutMinutes: number
}

/**
 * The targets of a config document that deploy as a canary, in `targets:` order. A `rollout:`,
 * `deploy:` or `monitor:` section that is not valid is a usage error: the workflow would be
 * written for a plan that cannot run.
 */
export function canaryTargets(
  doc: Record<string, unknown>,
  targets: readonly string[],
): CanaryTarget[] {
  const rollout = section(rolloutSchema, doc, 'rollout')
  const deploy = section(deploySchema, doc, 'deploy')
  const monitor = section(monitorSchema, doc, 'monitor')
  const afterMs =
    durationToMs(deploy.healthTimeout) + (deploy.monitor ? durationToMs(monitor.duration) : 0)
  return targets.flatMap((name) => {
    const own = rolloutFor(rollout, name)
    if (own.strategy !== 'canary') return []
    const plannedMs = planMs(own, afterMs)
    const minutes = plannedMs === null ? Infinity : Math.ceil(plannedMs / 60_000) + SETUP_MINUTES
    const timeoutMinutes = Math.min(minutes, GITHUB_MAX_JOB_MINUTES)
    return [{ name, plan: own.steps.map(stepText).join(' → '), plannedMs, timeoutMinutes }]
  })
}

/**
 * How long a canary rollout runs when nobody steers it: every pause and analysis (an analysis
 * `1 + maxExtensions` times with `onInconclusive: extend`) plus `afterMs` (health wait, monitor).
 * `null` when it can wait for a person.
 */
export function planMs(rollout: Rollout, afterMs: number): number | null {
  const { onInconclusive, maxExtensions } = rollout.stepRules
  let total = afterMs
  for (const step of rollout.steps) {
    if (step.kind === 'pause') {
      if (step.durationMs === null) return null
      total += step.durationMs
    }
    if (step.kind === 'analysis') {
      if (onInconclusive === 'pause') return null
      total += step.durationMs * (onInconclusive === 'extend' ? 1 + maxExtensions : 1)
    }
  }
  return total
}

function section<T extends z.ZodMiniType>(
  schema: T,
  doc: Record<string, unknown>,
  key: string,
): z.output<T> {
  const parsed = z.safeParse(schema, doc[key] ?? {})
  if (parsed.success) return parsed.data
  const [issue] = parsed.error.issues
  const at = [key, ...(issue?.path ?? []).map(String)].join('.')
  throw usageError(
    `${at} in shipgate.yaml is not valid: ${issue?.message ?? 'unknown problem'}`,
    'fix it and run init again; `shipgate deploy TARGET --dry-run` shows it with its line',
  )
}

function rolloutFor(rollout: z.output<typeof rolloutSchema>, target: string): Rollout {
  try {
    return rolloutOf(rollout, target)
  } catch (error) {
    // canaryPlan's RangeError: a plan that cannot run.
    throw usageError(
      `rollout of ${target} in shipgate.yaml cannot run: ${errorMessage(error)}`,
      'weights grow from above 0 up to 100, and an analysis comes after a weight',
    )
  }
}

function stepText(step: CanaryStep): string {
  switch (step.kind) {
    case 'weight':
      return `${step.percent}%`
    case 'pause':
      return step.durationMs === null
        ? 'pause until promoted'
        : `pause ${duration(step.durationMs)}`
    case 'analysis':
      return `analysis ${duration(step.durationMs)}`
  }
}

function duration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`
  if (ms % 60_000 === 0) return `${ms / 60_000}m`
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`
}
