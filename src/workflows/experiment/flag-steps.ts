/**
 * The flag writes of `experiment ship`, as `flags ramp` and `flags set` make them (each written
 * atomically and recorded), and the same steps applied in memory for a dry run.
 */
import type { FlagDefinition, FlagFile } from '@shipgate/runtime/flags'
import type { FlagChange, FlagWrite } from '../../contracts/flags.js'
import { withFlag } from '../../utils/flag-file.js'
import {
  changeFlag,
  type ChangeOptions,
  type FlagEdit,
  planRamp,
  planSet,
  rampFlag,
  setFlag,
} from '../flags/index.js'
import type { ShipStep } from './flag-plans.js'

/** The flag a command changes: its key, the file as read, and who changes it why. */
export interface FlagTarget {
  readonly key: string
  readonly file: FlagFile
  readonly change: ChangeOptions
}

/** Runs the ship's steps through `flags ramp` and `flags set`, recording each. */
export async function shipSteps(
  target: FlagTarget,
  steps: readonly ShipStep[],
): Promise<FlagChange[]> {
  const { key } = target
  const changes: FlagChange[] = []
  for (const step of steps) {
    let written: FlagWrite
    if (step.kind === 'ramp') written = await rampFlag(target.change, key, step.request)
    else if (step.kind === 'set') written = await setFlag(target.change, key, step.request)
    else {
      const edit: FlagEdit = { flag: step.flag, summary: step.summary, action: 'set' }
      written = await changeFlag(target.change, key, () => edit)
    }
    if (written.change !== null) changes.push(written.change)
  }
  return changes
}

/** The ship's steps applied to the file in memory: the history lines a ship would write. */
export function dryShip(target: FlagTarget, steps: readonly ShipStep[]): FlagChange[] {
  const { key } = target
  let file = target.file
  const changes: FlagChange[] = []
  for (const step of steps) {
    const edit: FlagEdit =
      step.kind === 'ramp'
        ? planRamp(file, key, step.request)
        : step.kind === 'set'
          ? withAction(planSet(file, key, step.request))
          : { flag: step.flag, summary: step.summary, action: 'set' }
    if (edit === null) continue
    changes.push(recordOf(target, file.flags[key] ?? null, edit))
    file = withFlag(file, key, edit.flag)
  }
  return changes
}

function withAction(edit: { flag: FlagDefinition; summary: string } | null): FlagEdit {
  return edit === null ? null : { ...edit, action: 'set' }
}

/** The history line `edit` makes (or, in a dry run, would make). */
export function recordOf(
  target: FlagTarget,
  before: FlagDefinition | null,
  edit: NonNullable<FlagEdit>,
): FlagChange {
  const { change } = target
  return {
    at: (change.now?.() ?? new Date()).toISOString(),
    who: change.who ?? 'unknown',
    flag: target.key,
    action: edit.action,
    summary: edit.summary,
    before,
    after: edit.flag,
    reason: change.reason ?? null,
  }
}
