/**
 * `flags ramp` as a pure edit, and the rule that makes it safe: a ramp only ever moves users
 * from the stable variant to the one being rolled out. `setRollout` keeps the buckets' order, so
 * raising the new variant's share keeps everyone who had it (packages/runtime/src/flags/
 * rollout.ts); what would move a user back is refused:
 * - a lower share than now for the same variant (unless `--rollback`);
 * - another target variant while the current one has users (finish or roll back first);
 * - custom targeting that is not a two-way `fractional` rollout.
 * `--rollback` is the one way back: it lowers the share (to 0 by default), and then only users
 * of the new variant move, all to the stable one. It never raises a share.
 */
import {
  type FlagDefinition,
  type FlagFile,
  type Rollout,
  rolloutFlag,
  setRollout,
} from '@shipgate/runtime/flags'
import type { FlagAction } from '../../contracts/flags.js'
import { usageError } from '../../errors.js'
import { missingFlag, rolloutOf } from './summary.js'

/** What to ramp to. */
export interface RampRequest {
  /** The variant whose share is given; with `rollback`, default: the stable variant. */
  readonly to?: string
  /** Share of users (by targetingKey) who get `to`, 0–100; with `rollback` on the stable variant, default 100. */
  readonly percent?: number
  /** Allow lowering the new variant's share: users move back to the stable variant. */
  readonly rollback?: boolean
}

/** A planned edit: the flag's next definition and what it does; `null`: nothing to change. */
export type RampEdit = {
  readonly flag: FlagDefinition
  readonly summary: string
  readonly action: FlagAction
} | null

/** The edit `request` makes to flag `key` of `file`; throws a usage error when it is refused. */
export function planRamp(file: FlagFile, key: string, request: RampRequest): RampEdit {
  const flag = file.flags[key]
  if (flag === undefined) throw missingFlag(file, key)
  if (flag.targeting === undefined) return startRamp(flag, key, request)
  const rollout = rolloutOf(file, key)
  if (rollout === null) {
    throw usageError(
      `flag '${key}' has custom targeting, not a percentage rollout: a ramp cannot tell which users it would move`,
      'edit its targeting by hand, or make it a rollout: `fractional: [[new, w], [defaultVariant, 100 - w]]`',
    )
  }
  return moveRamp(file, key, rollout, request)
}

/** A flag serving its default to everyone: a new rollout from the default to `to`. */
function startRamp(flag: FlagDefinition, key: string, request: RampRequest): RampEdit {
  const from = flag.defaultVariant
  if (request.rollback === true) {
    throw usageError(`flag '${key}' has no rollout to roll back: it serves '${from}' to everyone`)
  }
  const to = required(key, request.to, '--to')
  const percent = required(key, request.percent, '--percent')
  if (to === from) {
    throw usageError(
      `flag '${key}' already serves '${from}' to everyone`,
      'ramp to another variant with --to',
    )
  }
  checkVariant(flag, key, to)
  const { targeting } = rolloutFlag({ key, from, to, percent, variants: flag.variants })
  return {
    flag: { ...flag, targeting },
    summary: `${to} 0% → ${percent}% (from ${from})`,
    action: 'ramp',
  }
}

/** A flag mid-rollout from `from` to `to`: the new share, if it moves nobody back. */
function moveRamp(file: FlagFile, key: string, now: Rollout, request: RampRequest): RampEdit {
  const to = request.to ?? (request.rollback === true ? now.from : undefined)
  const asked = required(key, to, '--to')
  if (asked !== now.to && asked !== now.from) {
    if (now.percent > 0 || request.rollback === true) throw otherTarget(key, now, asked)
    // Nobody has the old target yet: a fresh rollout to another variant moves no one.
    const flag = file.flags[key] as FlagDefinition
    return startRamp({ ...flag, targeting: undefined }, key, { ...request, to: asked })
  }
  const share =
    asked === now.to ? required(key, request.percent, '--percent') : 100 - (request.percent ?? 100)
  if (share === now.percent) return null
  if (share > now.percent && request.rollback === true) {
    throw usageError(
      `--rollback only lowers a share: '${now.to}' is at ${now.percent}%, asked ${share}%`,
      'drop --rollback to ramp forward',
    )
  }
  if (share < now.percent && request.rollback !== true) throw backwards(key, now, share)
  const flag = setRollout(file, key, share).flags[key] as FlagDefinition
  const summary = `${now.to} ${now.percent}% → ${share}% (from ${now.from})`
  return { flag, summary, action: share < now.percent ? 'rollback' : 'ramp' }
}

function backwards(key: string, now: Rollout, share: number): Error {
  const moved = Math.round((now.percent - share) * 100) / 100
  return usageError(
    `refused: flag '${key}' serves '${now.to}' to ${now.percent}% of users; ${share}% would move ${moved}% of users from '${now.to}' back to '${now.from}' (a ramp only moves users forward)`,
    `to roll back on purpose, pass --rollback: shipgate flags ramp ${key} --rollback`,
  )
}

function otherTarget(key: string, now: Rollout, asked: string): Error {
  return usageError(
    `refused: flag '${key}' is rolling out '${now.to}' (${now.percent}% of users, from '${now.from}'); ramping to '${asked}' would move those users off '${now.to}'`,
    `finish it (--to ${now.to} --percent 100, then flags set ${key} --default ${now.to}) or roll it back (flags ramp ${key} --rollback) first`,
  )
}

function checkVariant(flag: FlagDefinition, key: string, name: string): void {
  if (Object.hasOwn(flag.variants, name)) return
  throw usageError(
    `flag '${key}' has no variant '${name}' (its variants: ${Object.keys(flag.variants).join(', ')})`,
    `add it first: shipgate flags set ${key} --variant ${name}=VALUE`,
  )
}

function required<T>(key: string, value: T | undefined, option: string): T {
  if (value === undefined) throw usageError(`flags ramp ${key}: ${option} is required`)
  return value
}
