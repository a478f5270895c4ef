/**
 * What `shipgate flags` reads and reports: the flags of a flagd flag file, one change made to a
 * flag, and the history of changes recorded next to the file (`flags.history.jsonl`).
 */
import type { FlagDefinition, FlagVariantValue, Rollout } from '@shipgate/runtime/flags'

/** One flag as listed: what it serves, and its percentage rollout if it is one. */
export interface FlagSummary {
  readonly key: string
  readonly state: 'ENABLED' | 'DISABLED'
  readonly defaultVariant: string
  readonly variants: Readonly<Record<string, FlagVariantValue>>
  /** `none`: the default to everyone; `rollout`: a two-way `fractional`; `custom`: other rules. */
  readonly targeting: 'none' | 'rollout' | 'custom'
  /** The rollout when `targeting` is `rollout`. */
  readonly rollout: Rollout | null
}

/** The flags of one file. */
export interface FlagList {
  /** The flag file, as given or resolved. */
  readonly file: string
  readonly flags: readonly FlagSummary[]
}

/** One flag in full: its summary and its definition as written. */
export interface FlagDetail extends FlagSummary {
  readonly file: string
  readonly definition: FlagDefinition
}

/** What changed a flag. */
export type FlagAction = 'set' | 'ramp' | 'rollback'

/** One recorded change: a line of the history file. */
export interface FlagChange {
  /** ISO time of the write. */
  readonly at: string
  /** git `user.name`, else `$USER`, else `unknown`. */
  readonly who: string
  readonly flag: string
  readonly action: FlagAction
  /** What the change did, in a few words (`v2 25% → 50%`). */
  readonly summary: string
  /** The flag before (`null`: it did not exist) and after. */
  readonly before: FlagDefinition | null
  readonly after: FlagDefinition | null
  /** `--reason`, or `null`. */
  readonly reason: string | null
}

/** The outcome of `flags set` or `flags ramp`: the change, or that there was nothing to do. */
export interface FlagWrite {
  readonly file: string
  /** The history file the change was appended to. */
  readonly history: string
  /** `null` when the flag already was as asked (nothing written, nothing recorded). */
  readonly change: FlagChange | null
}

/** The outcome of `flags validate`: the file compiled, with this many flags. */
export interface FlagValidation {
  readonly file: string
  readonly flags: number
}
