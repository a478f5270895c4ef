/**
 * `flags set` as a pure edit: add or replace variants (`--variant NAME=JSON`) and choose the
 * default variant. A new key makes a new flag. On a flag mid-rollout the default is the stable
 * side of the ramp, so changing it is allowed only where nobody with a targetingKey moves: the
 * rollout is at 100% towards the new default (a promotion) or at 0% and the default stays; the
 * targeting is then dropped. Anything else goes through `flags ramp`.
 */
import type { FlagDefinition, FlagFile, FlagVariantValue } from '@shipgate/runtime/flags'
import { usageError } from '../../errors.js'
import { rolloutOf } from './summary.js'

/** What to set. */
export interface SetRequest {
  /** The variant served by default. */
  readonly defaultVariant?: string
  /** Variants to add or replace, by name. */
  readonly variants?: Readonly<Record<string, FlagVariantValue>>
}

/** The flag's next definition and what changed; `null` when it already is as asked. */
export type SetEdit = { readonly flag: FlagDefinition; readonly summary: string } | null

/** The edit `request` makes to flag `key` (created when absent); throws a usage error if refused. */
export function planSet(file: FlagFile, key: string, request: SetRequest): SetEdit {
  const variants = request.variants ?? {}
  if (request.defaultVariant === undefined && Object.keys(variants).length === 0) {
    throw usageError(
      `flags set ${key}: nothing to set`,
      'pass --default VARIANT and/or --variant NAME=JSON',
    )
  }
  const current = file.flags[key]
  const flag = current === undefined ? newFlag(key, request) : changed(file, key, current, request)
  if (!Object.hasOwn(flag.variants, flag.defaultVariant)) {
    throw usageError(
      `flag '${key}' has no variant '${flag.defaultVariant}' (its variants: ${Object.keys(flag.variants).join(', ')})`,
      `add it in the same command: --variant ${flag.defaultVariant}=VALUE`,
    )
  }
  const summary = describeSet(current, flag, request)
  return JSON.stringify(flag) === JSON.stringify(current) ? null : { flag, summary }
}

function newFlag(key: string, request: SetRequest): FlagDefinition {
  const names = Object.keys(request.variants ?? {})
  const defaultVariant = request.defaultVariant ?? (names.length === 1 ? names[0] : undefined)
  if (names.length === 0 || defaultVariant === undefined) {
    throw usageError(
      `flag '${key}' is new: it needs its variants and, with more than one, a default`,
      `shipgate flags set ${key} --variant on=true --variant off=false --default off`,
    )
  }
  return { state: 'ENABLED', defaultVariant, variants: { ...request.variants } }
}

function changed(
  file: FlagFile,
  key: string,
  flag: FlagDefinition,
  request: SetRequest,
): FlagDefinition {
  const variants = { ...flag.variants, ...request.variants }
  const next = { ...flag, variants }
  const wanted = request.defaultVariant
  if (wanted === undefined || (wanted === flag.defaultVariant && flag.targeting === undefined)) {
    return next
  }
  if (flag.targeting === undefined) return { ...next, defaultVariant: wanted }
  const rollout = rolloutOf(file, key)
  const settled =
    rollout !== null &&
    ((rollout.percent === 100 && wanted === rollout.to) ||
      (rollout.percent === 0 && wanted === rollout.from))
  if (!settled) {
    const now =
      rollout === null
        ? 'custom targeting'
        : `a rollout of '${rollout.to}' at ${rollout.percent}% from '${rollout.from}'`
    throw usageError(
      `refused: flag '${key}' has ${now}; a new default now would move users outside the ramp`,
      rollout === null
        ? 'edit its targeting by hand'
        : `ramp it to 100% first (flags ramp ${key} --to ${rollout.to} --percent 100), or roll it back (flags ramp ${key} --rollback)`,
    )
  }
  const { targeting: _dropped, ...plain } = next
  return { ...plain, defaultVariant: wanted }
}

function describeSet(
  before: FlagDefinition | undefined,
  after: FlagDefinition,
  request: SetRequest,
): string {
  const parts = Object.entries(request.variants ?? {}).map(
    ([name, value]) =>
      `${before !== undefined && Object.hasOwn(before.variants, name) ? 'replace' : 'add'} variant ${name}=${JSON.stringify(value)}`,
  )
  if (before === undefined) parts.unshift('new flag')
  if (before?.targeting !== undefined && after.targeting === undefined)
    parts.push('drop the settled rollout')
  if (before?.defaultVariant !== after.defaultVariant) {
    parts.push(
      `default ${before === undefined ? '' : `${before.defaultVariant} → `}${after.defaultVariant}`,
    )
  }
  return parts.join(', ')
}
