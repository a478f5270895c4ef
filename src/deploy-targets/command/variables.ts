/**
 * The `command` target's variables canary (`canary: variables`): the service serves both
 * versions of prompt and model from one deployment and the runtime SDK's canary router splits
 * users by variables the platform holds (`railway variables set`). This module says which
 * variables each step sets, in which order; the target runs them through `setVariables`.
 *
 * - a canary weight under 100%: `CANARY_VERSION` (the new release's id, the `release` label of
 *   its metrics) on the deploy's first weight, then `CANARY_PERCENTAGE`;
 * - 100% (promotion): `RELEASE_ID` (the stable version the router reads) to the new release,
 *   then `CANARY_PERCENTAGE=0`: everyone on the new release, and the next canary starts from a
 *   clean split. Nobody is ever sent back to the old version on the way;
 * - 0% and rollbacks: `CANARY_PERCENTAGE=0` first (everyone off the canary at once), then
 *   `RELEASE_ID` to the release returned to.
 */
import { CANARY_ENV } from '@shipgate/runtime/canary'
import type { ReleaseManifest } from '../../contracts/release.js'

/** Variables to set, in order. */
export type VariableSet = Readonly<Record<string, string>>

/** Makes `release` the stable version and ends any canary: a promotion, a first release. */
export function stableVariables(release: ReleaseManifest): VariableSet {
  return { [CANARY_ENV.stable]: release.id, [CANARY_ENV.percentage]: '0' }
}

/**
 * The variables of a shift to `percent`; `first` is whether this deploy has not yet set the
 * canary's version (a person can change variables by hand, so a new deploy always sets it).
 */
export function shiftVariables(
  release: ReleaseManifest,
  percent: number,
  first: boolean,
): VariableSet {
  if (percent >= 100) return stableVariables(release)
  if (percent <= 0) return { [CANARY_ENV.percentage]: '0' }
  const share = String(Math.round(percent * 100) / 100)
  return first
    ? { [CANARY_ENV.version]: release.id, [CANARY_ENV.percentage]: share }
    : { [CANARY_ENV.percentage]: share }
}

/** The variables of a rollback to `to` (`null`: no release ran before; only the canary ends). */
export function rollbackVariables(to: ReleaseManifest | null): VariableSet {
  const off = { [CANARY_ENV.percentage]: '0' }
  return to === null ? off : { ...off, [CANARY_ENV.stable]: to.id }
}

/** A plan's lines for the variables of a deploy of `release` over `previous`, as shown. */
export function plannedVariables(
  release: ReleaseManifest,
  previous: ReleaseManifest | null,
): { readonly vars: VariableSet; readonly note: string }[] {
  if (previous === null) {
    return [{ vars: stableVariables(release), note: 'first release: all users at once' }]
  }
  return [
    { vars: { [CANARY_ENV.version]: release.id }, note: 'canary: at the first weight' },
    { vars: { [CANARY_ENV.percentage]: '<weight>' }, note: 'canary: at each weight under 100' },
    { vars: stableVariables(release), note: 'at 100%: promoted' },
    { vars: rollbackVariables(previous), note: 'on a rollback instead' },
  ]
}
