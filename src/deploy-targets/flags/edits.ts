/**
 * What the `flags` target writes, as pure edits of one flag: a release served to everyone, a
 * `fractional` rollout from the stable release to the new one (the new one listed first, so as
 * the weight rises users only move from old to new: packages/runtime/src/flags/rollout.ts), and
 * whether a release can go this way at all — a flag moves prompts and models, never code.
 */
import type { DeployRequest } from '../../contracts/deploy.js'
import type { ReleaseManifest } from '../../contracts/release.js'
import {
  type FlagDefinition,
  type FlagFile,
  isReleaseFlagValue,
  readRollout,
  rolloutFlag,
  setRollout,
} from '@shipgate/runtime/flags'
import { errorMessage } from '../../utils/errors.js'

/** An edit: the flag's next definition (`null`: remove it) and a line saying what it does. */
export type FlagEdit =
  | { readonly ok: true; readonly flag: FlagDefinition | null; readonly summary: string }
  | { readonly ok: false; readonly reason: string }

/** A variant's value: the release id, its name, and the settings it runs with. */
export function variantValue(release: ReleaseManifest): Record<string, unknown> {
  const value = { release: release.id, ...(release.name === null ? {} : { name: release.name }) }
  return { ...value, env: { ...release.env } }
}

/** A flag serving `release` to everyone: its only variant, the default, no targeting. */
export function servingFlag(release: ReleaseManifest): FlagDefinition {
  return {
    state: 'ENABLED',
    defaultVariant: release.id,
    variants: { [release.id]: variantValue(release) },
  }
}

/**
 * Apply: the new release joins as a variant at 0%, fractional from the release the flag serves
 * now; a first release is served to everyone at once. Fails when the flag serves another
 * release than the one shipgate last deployed here (someone changed the file).
 */
export function applyEdit(
  current: FlagDefinition | undefined,
  key: string,
  request: DeployRequest,
): FlagEdit {
  const { release, previous } = request
  if (previous === null || previous.id === release.id) {
    return { ok: true, flag: servingFlag(release), summary: `serve ${release.id} to everyone` }
  }
  if (current !== undefined && current.defaultVariant !== previous.id) {
    return {
      ok: false,
      reason: `the flag serves ${current.defaultVariant} by default, but the release deployed here last is ${previous.id}: the file was changed outside shipgate; put ${previous.id} back (shipgate rollback TARGET --to ${previous.id}) and deploy again`,
    }
  }
  const flag = rolloutFlag({
    key,
    from: previous.id,
    to: release.id,
    percent: 0,
    variants: { [release.id]: variantValue(release), [previous.id]: variantValue(previous) },
  })
  return {
    ok: true,
    flag,
    summary: `add ${release.id} at 0% (fractional by targetingKey), ${previous.id} 100%`,
  }
}

/**
 * A traffic shift: the rollout's weights rewritten with `setRollout` (order kept, so the ramp
 * only moves users forward); at 100% the flag serves the new release to everyone and the old
 * variant is dropped (the store keeps its manifest, so a rollback can write it back).
 */
export function shiftEdit(
  file: FlagFile,
  key: string,
  request: DeployRequest,
  percent: number,
): FlagEdit {
  const { release, previous } = request
  if (percent >= 100) {
    return { ok: true, flag: servingFlag(release), summary: `serve ${release.id} to everyone` }
  }
  if (previous === null) {
    return { ok: false, reason: `${release.id} is the first release here: it has all the users` }
  }
  try {
    const rollout = readRollout(file, key)
    if (rollout.from !== previous.id || rollout.to !== release.id) {
      return {
        ok: false,
        reason: `the flag is a rollout from ${rollout.from} to ${rollout.to}, not from ${previous.id} to ${release.id}: the file was changed outside shipgate`,
      }
    }
    const flag = setRollout(file, key, percent).flags[key] ?? null
    return {
      ok: true,
      flag,
      summary: `${release.id} ${percent}%, ${previous.id} ${100 - percent}%`,
    }
  } catch (error) {
    return { ok: false, reason: errorMessage(error) }
  }
}

/** A rollback: `to` served to everyone; with nothing to return to, the flag is removed. */
export function rollbackEdit(to: ReleaseManifest | null): FlagEdit {
  if (to === null) {
    return { ok: true, flag: null, summary: 'remove the flag (the service serves its fallback)' }
  }
  return { ok: true, flag: servingFlag(to), summary: `serve ${to.id} to everyone` }
}

/** Why the flag cannot be this target's release flag, or `undefined` when it can. */
export function notReleaseFlag(flag: FlagDefinition): string | undefined {
  for (const [name, value] of Object.entries(flag.variants)) {
    if (!isReleaseFlagValue(value) || value.release !== name) {
      return `its variant '${name}' is ${JSON.stringify(value)}, not a release ({ "release": "${name}", "env": {…} })`
    }
  }
  return undefined
}

/** What the flag does now, in a few words. */
export function describeFlag(
  flag: FlagDefinition | undefined,
  key: string,
  file: FlagFile,
): string {
  if (flag === undefined) return 'not there yet (the first deploy adds it)'
  if (flag.targeting === undefined) return `serves ${flag.defaultVariant} to everyone`
  try {
    const rollout = readRollout(file, key)
    return `${rollout.to} ${rollout.percent}%, ${rollout.from} ${100 - rollout.percent}%`
  } catch {
    return `serves ${flag.defaultVariant} by default, with custom targeting`
  }
}
