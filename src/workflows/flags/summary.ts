/** A flag as `shipgate flags list` shows it: what it serves and how far its rollout has got. */
import { type FlagFile, type Rollout, readRollout } from '@shipgate/runtime/flags'
import type { FlagSummary } from '../../contracts/flags.js'
import { usageError } from '../../errors.js'

/** The summary of flag `key`; throws a usage error naming the flags there are when it is absent. */
export function summarize(file: FlagFile, key: string): FlagSummary {
  const flag = file.flags[key]
  if (flag === undefined) throw missingFlag(file, key)
  const rollout = rolloutOf(file, key)
  const targeting = flag.targeting === undefined ? 'none' : rollout === null ? 'custom' : 'rollout'
  return {
    key,
    state: flag.state,
    defaultVariant: flag.defaultVariant,
    variants: flag.variants,
    targeting,
    rollout,
  }
}

/** The flag's percentage rollout, or `null` when it has none (or custom targeting). */
export function rolloutOf(file: FlagFile, key: string): Rollout | null {
  if (file.flags[key]?.targeting === undefined) return null
  try {
    return readRollout(file, key)
  } catch {
    return null
  }
}

/** The error for a flag the file does not have. */
export function missingFlag(file: FlagFile, key: string): Error {
  const keys = Object.keys(file.flags)
  return usageError(
    `flag '${key}' is not in the flag file`,
    keys.length === 0
      ? 'the file has no flags yet: add one with `shipgate flags set KEY --variant NAME=VALUE`'
      : `its flags are ${keys.join(', ')}`,
  )
}
