// Checks of an experiment plan against the data it is asked to decide: every arm planned, the
// control among them, sensible rates and margins. Errors are RangeErrors naming the field.
import type { ArmData, ExperimentData, ExperimentPlan } from './types.js'

/** The plan with every default filled in. */
export interface ResolvedPlan extends ExperimentPlan {
  readonly alpha: number
  readonly guardrailAlpha: number
  readonly srmAlpha: number
  readonly power: number
  readonly minUsersPerArm: number
  readonly minDays: number
}

const unit = (x: number) => x > 0 && x < 1

/** Fills defaults and checks the plan's own fields; throws a RangeError naming the first bad one. */
export function resolvePlan(plan: ExperimentPlan): ResolvedPlan {
  const resolved: ResolvedPlan = {
    ...plan,
    alpha: plan.alpha ?? 0.05,
    guardrailAlpha: plan.guardrailAlpha ?? 0.05,
    srmAlpha: plan.srmAlpha ?? 0.001,
    power: plan.power ?? 0.8,
    minUsersPerArm: plan.minUsersPerArm ?? 0,
    minDays: plan.minDays ?? 7,
  }
  for (const key of ['alpha', 'guardrailAlpha', 'srmAlpha', 'power'] as const) {
    if (!unit(resolved[key]))
      throw new RangeError(`experiment plan: ${key} must be between 0 and 1, got ${resolved[key]}`)
  }
  if (!(plan.primary.effect > 0))
    throw new RangeError(
      `experiment plan: primary.effect must be > 0 (e.g. 0.02 for two points), got ${plan.primary.effect}`,
    )
  for (const g of plan.guardrails ?? []) {
    if (!(g.margin > 0))
      throw new RangeError(
        `experiment plan: guardrail '${g.name}' margin must be > 0, got ${g.margin}`,
      )
  }
  if (!(plan.plannedDays > 0))
    throw new RangeError(`experiment plan: plannedDays must be > 0, got ${plan.plannedDays}`)
  if (resolved.minDays > plan.plannedDays)
    throw new RangeError(
      `experiment plan: minDays (${resolved.minDays}) must not exceed plannedDays (${plan.plannedDays})`,
    )
  if (!(plan.control in plan.allocation))
    throw new RangeError(`experiment plan: control '${plan.control}' is not in the allocation`)
  return resolved
}

/** The data's arms in allocation order, control first; throws on a missing or unplanned arm. */
export function orderArms(plan: ExperimentPlan, data: ExperimentData): ArmData[] {
  const byName = new Map(data.arms.map((arm) => [arm.variant, arm]))
  for (const arm of data.arms) {
    if (!(arm.variant in plan.allocation))
      throw new RangeError(
        `experiment: arm '${arm.variant}' is not in the plan's allocation (${Object.keys(plan.allocation).join(', ')})`,
      )
  }
  const names = [plan.control, ...Object.keys(plan.allocation).filter((n) => n !== plan.control)]
  if (names.length < 2)
    throw new RangeError('experiment plan: the allocation needs control and at least one treatment')
  return names.map((name) => {
    const arm = byName.get(name)
    if (arm === undefined) throw new RangeError(`experiment: no data for planned arm '${name}'`)
    return arm
  })
}
