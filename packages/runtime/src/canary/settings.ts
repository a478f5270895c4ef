/**
 * The canary's variables as the deploy tool sets them (`shipgate deploy` on a `command` target,
 * or a CI workflow's `railway variables set`), read and checked. Pure: the environment is a
 * parameter, and problems come back as values for the router to log.
 */

/** The environment variables the canary router reads. */
export const CANARY_ENV = {
  /** The canary's version: the release id of the prompt and model it serves. */
  version: 'CANARY_VERSION',
  /** The share of users sent to the canary: 0–100, at most two decimals. */
  percentage: 'CANARY_PERCENTAGE',
  /** The stable version: what the `local` and `kubernetes` targets set to the release id. */
  stable: 'RELEASE_ID',
  /** Read when `RELEASE_ID` is not set. */
  stableFallback: 'SHIPGATE_RELEASE',
} as const

/** An environment, as `process.env`. */
export type CanaryEnv = Readonly<Record<string, string | undefined>>

/** The split in force. */
export interface CanarySettings {
  /** The version the other users get. */
  readonly stable: string
  /** The canary's version; `undefined` when none is set. */
  readonly canary: string | undefined
  /** Share of users routed to the canary, 0–100: 0 whenever the variables have a problem. */
  readonly percent: number
}

/** The settings, and what was wrong with the variables (empty when nothing was). */
export interface CanaryRead {
  readonly settings: CanarySettings
  /** One sentence a problem, naming the variable and the fix; the split is then 0%. */
  readonly problems: readonly string[]
}

/** The stable version when neither the caller nor the environment names one. */
export const DEV_VERSION = 'dev'

const PERCENT = /^\d{1,3}(\.\d{1,2})?$/

/**
 * Reads `CANARY_VERSION` and `CANARY_PERCENTAGE` (unset or empty: 0) and the stable version
 * (`stable`, else `RELEASE_ID`, else `SHIPGATE_RELEASE`, else `dev`). A percentage that is not
 * a number from 0 to 100 with at most two decimals, or a positive one without a canary version,
 * is a problem, and the split falls back to 0%: every user on the stable version.
 */
export function readCanaryEnv(env: CanaryEnv, stable?: string): CanaryRead {
  const stableVersion =
    nonEmpty(stable) ?? nonEmpty(env[CANARY_ENV.stable]) ?? nonEmpty(env[CANARY_ENV.stableFallback])
  const canary = nonEmpty(env[CANARY_ENV.version])
  const raw = nonEmpty(env[CANARY_ENV.percentage]) ?? '0'
  const percent = PERCENT.test(raw) ? Number(raw) : Number.NaN
  const problems: string[] = []
  if (!(percent >= 0 && percent <= 100)) {
    problems.push(
      `${CANARY_ENV.percentage}=${JSON.stringify(raw)} is not a percentage: set it to a number from 0 to 100 with at most two decimals (e.g. 5 or 2.5), or unset it for no canary`,
    )
  } else if (percent > 0 && canary === undefined) {
    problems.push(
      `${CANARY_ENV.percentage}=${raw} but ${CANARY_ENV.version} is not set: set ${CANARY_ENV.version} to the canary's version, or ${CANARY_ENV.percentage}=0`,
    )
  }
  const settings = {
    stable: stableVersion ?? DEV_VERSION,
    canary,
    percent: problems.length === 0 ? percent : 0,
  }
  return { settings, problems }
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim()
  return trimmed === undefined || trimmed === '' ? undefined : trimmed
}
