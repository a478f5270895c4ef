/**
 * What `experiment start|ship|stop` do to the experiment's flag, as pure edits of the flag file
 * as read (each is re-planned on the file it writes, like `flags set|ramp`):
 * - start: the allocation as a `fractional` rule, control the default. Users on control may be
 *   moved into a treatment (that is the experiment); a user who already has a treatment (or any
 *   variant other than control) is never moved without `force`, since their outcomes would
 *   then mix two variants.
 * - ship: everyone on the variant, in steps `flags ramp` and `flags set` take (a two-way
 *   rollout is ramped to 100% and then settled), so users already on it stay.
 * - stop: control to everyone, the rule removed: users on a treatment move back (a stop may).
 */
import type { FlagDefinition, FlagFile } from '@shipgate/runtime/flags'
import type { ExperimentConfig } from '../../config/experiment-schema.js'
import type { MovedUsers } from '../../contracts/experiment-ops.js'
import { usageError } from '../../errors.js'
import { type FlagEdit, type RampRequest, type SetRequest, rolloutOf } from '../flags/index.js'
import {
  allocationBuckets,
  allocationFlag,
  movedUsers,
  sameSegments,
  segmentsOf,
} from './allocation.js'

/** A planned start: the edit (`null`: already serving the allocation) and who it moves. */
export interface StartPlan {
  readonly edit: FlagEdit
  readonly moved: readonly MovedUsers[] | null
  readonly forced: boolean
}

/** The start of experiment `name` on `file`; throws a usage error when refused. */
export function planStart(
  file: FlagFile,
  name: string,
  experiment: ExperimentConfig,
  force: boolean,
): StartPlan {
  const { flag: key, control, allocation } = experiment
  const flag = file.flags[key] as FlagDefinition
  if (flag.state === 'DISABLED') {
    throw usageError(
      `flag '${key}' is DISABLED: callers get their code's default value, so experiment '${name}' would assign nobody`,
      `set "state": "ENABLED" in the flag file first`,
    )
  }
  const after = allocationFlag(flag, allocation, control)
  const before = segmentsOf(flag)
  const planned = segmentsOf(after) ?? []
  if (before !== null && sameSegments(before, planned) && flag.defaultVariant === control) {
    return { edit: null, moved: [], forced: false }
  }
  const moved = before === null ? null : movedUsers(before, planned)
  const seen = moved?.filter((m) => m.from !== control) ?? []
  if ((moved === null || seen.length > 0) && !force) throw refusedStart(key, name, moved, seen)
  const summary = `${describeBuckets(allocationBuckets(allocation, control))} by targetingKey, default ${control}`
  return {
    edit: { flag: after, summary, action: 'set' },
    moved,
    forced: seen.length > 0 || moved === null,
  }
}

/** One step of a ship: what `flags ramp`, `flags set`, or a plain rewrite would do. */
export type ShipStep =
  | { readonly kind: 'ramp'; readonly request: RampRequest }
  | { readonly kind: 'set'; readonly request: SetRequest }
  | { readonly kind: 'replace'; readonly flag: FlagDefinition; readonly summary: string }

/** The steps that put everyone on `variant`; none when the flag already serves only it. */
export function planShip(file: FlagFile, key: string, variant: string): ShipStep[] {
  const flag = file.flags[key] as FlagDefinition
  // A disabled flag serves the code's default to everyone: shipping enables it on `variant`.
  if (flag.state === 'DISABLED') return [everyoneOn(flag, variant, 'disabled')]
  const settle: ShipStep = { kind: 'set', request: { defaultVariant: variant } }
  if (flag.targeting === undefined) return flag.defaultVariant === variant ? [] : [settle]
  const rollout = rolloutOf(file, key)
  if (rollout?.to === variant) {
    return [{ kind: 'ramp', request: { to: variant, percent: 100 } }, settle]
  }
  if (rollout?.from === variant) {
    return [{ kind: 'ramp', request: { to: variant, rollback: true } }, settle]
  }
  // Several arms (or custom rules): one rewrite; users already on `variant` keep it.
  return [everyoneOn(flag, variant, 'a split')]
}

/** One rewrite that serves `variant` to everyone: enabled, no rule. */
function everyoneOn(flag: FlagDefinition, variant: string, was: string): ShipStep {
  const { targeting: _rule, ...plain } = flag
  const summary = `everyone on ${variant} (was: ${was})`
  return { kind: 'replace', flag: { ...plain, state: 'ENABLED', defaultVariant: variant }, summary }
}

/** The stop of an experiment: control to everyone, no rule; `null` when already so. */
export function planStop(file: FlagFile, experiment: ExperimentConfig): FlagEdit {
  const { flag: key, control } = experiment
  const flag = file.flags[key] as FlagDefinition
  const serving = flag.state !== 'DISABLED' && flag.targeting === undefined
  if (serving && flag.defaultVariant === control) return null
  const { targeting: _rule, ...plain } = flag
  return {
    // A disabled flag serves the code's default, not control: a stop enables it on control.
    flag: { ...plain, state: 'ENABLED', defaultVariant: control },
    summary: `everyone back on ${control}`,
    action: 'rollback',
  }
}

/** Users a change from `before` to `after` moves; `null` when custom targeting hides it. */
export function movedBy(before: FlagDefinition, after: FlagDefinition): MovedUsers[] | null {
  const from = segmentsOf(before)
  const to = segmentsOf(after)
  return from === null || to === null ? null : movedUsers(from, to)
}

function describeBuckets(buckets: readonly (readonly [string, number])[]): string {
  const total = buckets.reduce((sum, [, w]) => sum + w, 0)
  return buckets.map(([v, w]) => `${v} ${Math.round((w / total) * 10_000) / 100}%`).join(', ')
}

function refusedStart(
  key: string,
  name: string,
  moved: readonly MovedUsers[] | null,
  seen: readonly MovedUsers[],
): Error {
  const what =
    moved === null
      ? `flag '${key}' has custom targeting, so it cannot be told which users would change variant`
      : `flag '${key}' would move ${seen.map((m) => `${m.percent}% of users from '${m.from}' to '${m.to}'`).join(', ')}`
  return usageError(
    `refused to start experiment '${name}': ${what}; users who already saw a variant other than control would switch, and their outcomes would mix two variants`,
    `stop first (shipgate experiment stop ${name}: everyone back on control, on purpose), or pass --force to start anyway and accept the mixed users`,
  )
}
