/**
 * Percentage rollouts as flagd flags, and ramps that only ever move users forward.
 *
 * flagd's `fractional` hashes `flagKey + targetingKey` with murmurhash3 to a 32-bit `h` and
 * computes `bucket = floor(h × total / 2³²)`, then walks the buckets in their listed order,
 * serving the first whose cumulative weight exceeds `bucket`. With the new variant listed first
 * with weight `w`, a user gets it exactly when `h / 2³² < w / total`: a fixed number per user
 * compared with the percentage. Raising the percentage therefore keeps every user who already
 * had the new variant, and lowering it (a rollback) keeps every user who had the old one. The
 * same holds with the new variant listed last (`h / 2³² ≥ 1 − w / total`); what breaks it is
 * changing the order, the flag key or the bucketing expression between steps. `rolloutFlag`
 * lists the new variant first; `setRollout` rewrites weights and never reorders.
 */
import { usageError } from '../errors.js'
import type { FlagDefinition, FlagFile, FlagVariantValue } from './types.js'

/** Options of {@link rolloutFlag}. */
export interface RolloutOptions {
  /** The flag's key (bucketing hashes it: renaming a flag reshuffles its users). */
  readonly key: string
  /** The variant served today: the default, and what users without a `targetingKey` get. */
  readonly from: string
  /** The variant being rolled out. */
  readonly to: string
  /** Share of users (by `targetingKey`) who get `to`: 0–100, at most two decimals. */
  readonly percent: number
  /** Variant name → value; default: each variant's value is its name. */
  readonly variants?: Readonly<Record<string, FlagVariantValue>>
}

/** A rollout as read from a flag: which variant is replacing which, and how far it has got. */
export interface Rollout {
  readonly from: string
  readonly to: string
  readonly percent: number
}

const HINT = 'a rollout flag is `targeting: { fractional: [[to, w], [defaultVariant, 100 - w]] }`'

/** A flagd flag serving `to` to `percent` % of users and `from` to the rest, sticky per user. */
export function rolloutFlag(options: RolloutOptions): FlagDefinition {
  const { key, from, to, percent } = options
  const variants = options.variants ?? { [from]: from, [to]: to }
  if (from === to) throw usageError(`rollout of flag '${key}': from and to are both '${to}'`)
  for (const name of [from, to]) {
    if (!Object.hasOwn(variants, name)) {
      throw usageError(`rollout of flag '${key}': variant '${name}' is missing from variants`)
    }
  }
  const w = weights(key, percent)
  return {
    state: 'ENABLED',
    defaultVariant: from,
    variants,
    targeting: {
      fractional: [
        [to, w.to],
        [from, w.from],
      ],
    },
  }
}

/** The rollout `key` describes in `flagFile`; throws when the flag is not a two-way rollout. */
export function readRollout(flagFile: FlagFile, key: string): Rollout {
  const { from, to, buckets } = rolloutShape(flagFile, key)
  const weightOf = (name: string): number => buckets.find(([v]) => v === name)?.[1] ?? 0
  const total = weightOf(from) + weightOf(to)
  const percent = total === 0 ? 0 : Math.round((weightOf(to) / total) * 10_000) / 100
  return { from, to, percent }
}

/**
 * `flagFile` with flag `key`'s rollout moved to `percent` (up to ramp, down to roll back).
 * Only the weights change: the buckets keep their order, so the ramp is monotone (module doc).
 * Pure: returns a new object and leaves `flagFile` as it was.
 */
export function setRollout(flagFile: FlagFile, key: string, percent: number): FlagFile {
  const { flag, to, prefix, buckets } = rolloutShape(flagFile, key)
  const w = weights(key, percent)
  const next = buckets.map(([variant]) => [variant, variant === to ? w.to : w.from])
  const targeting = { fractional: [...prefix, ...next] }
  return { ...flagFile, flags: { ...flagFile.flags, [key]: { ...flag, targeting } } }
}

/** Integer weights for `percent`: out of 100 for whole percentages, else out of 10,000. */
function weights(key: string, percent: number): { readonly to: number; readonly from: number } {
  const scaled = percent * 100
  if (!Number.isFinite(percent) || percent < 0 || percent > 100 || !nearInteger(scaled)) {
    throw usageError(
      `rollout of flag '${key}': percent must be a number from 0 to 100 with at most two decimals, got ${percent}`,
    )
  }
  const total = Number.isInteger(percent) ? 100 : 10_000
  const to = Math.round((percent * total) / 100)
  return { to, from: total - to }
}

function nearInteger(x: number): boolean {
  return Math.abs(x - Math.round(x)) < 1e-6
}

interface RolloutShape {
  readonly flag: FlagDefinition
  readonly from: string
  readonly to: string
  /** A custom bucketing expression before the buckets, kept as it is. */
  readonly prefix: readonly unknown[]
  readonly buckets: readonly (readonly [string, number])[]
}

function rolloutShape(flagFile: FlagFile, key: string): RolloutShape {
  const flag = flagFile.flags[key]
  if (flag === undefined) throw usageError(`flag '${key}' is not in the flag file`, HINT)
  const args = flag.targeting?.fractional
  const fail = (why: string): never => {
    throw usageError(`flag '${key}' is not a percentage rollout: ${why}`, HINT)
  }
  if (Object.keys(flag.targeting ?? {}).length !== 1 || !Array.isArray(args)) {
    return fail('its targeting is not a single `fractional` rule')
  }
  const prefix = args.filter((a) => !Array.isArray(a))
  const buckets = args.filter(isBucket)
  if (prefix.length > 1 || buckets.length !== 2 || prefix.length + 2 !== args.length) {
    return fail('it needs exactly two buckets of [variant, weight]')
  }
  const from = flag.defaultVariant
  const to = buckets.find(([variant]) => variant !== from)?.[0]
  if (!buckets.some(([v]) => v === from) || to === undefined) {
    return fail(`one bucket must be the default variant '${from}' and the other the new variant`)
  }
  return { flag, from, to, prefix, buckets }
}

function isBucket(value: unknown): value is readonly [string, number] {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    typeof value[0] === 'string' &&
    Number.isInteger(value[1])
  )
}
