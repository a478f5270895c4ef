/**
 * The canary router: which version, the canary's or the stable one, serves a user, by the
 * variables the deploy tool sets. The split is a flagd percentage rollout (`rolloutFlag`, the
 * `stable` variant first-listed as the default and `canary` as the new one) evaluated by
 * flagd-core, so a user's arm is flagd's murmurhash3 bucket of `key + userId`: the same one a
 * flag rollout with the same key gives, sticky, and monotone as the percentage moves (see
 * flags/rollout.ts).
 */
import type { FlagdCore } from '@openfeature/flagd-core'
import { compileFlags } from '../flags/compile.js'
import { rolloutFlag } from '../flags/rollout.js'
import { labelRequest } from '../telemetry/scope.js'
import { CANARY_ENV, readCanaryEnv } from './settings.js'
import type { CanaryEnv, CanarySettings } from './settings.js'

/** Options of {@link createCanaryRouter}. */
export interface CanaryRouterOptions {
  /**
   * The environment. An object (`process.env`) is read once, when the router is created; a
   * function is called at every choice and the split follows its answers, rebuilt only when
   * one of the variables changed.
   */
  readonly env: CanaryEnv | (() => CanaryEnv)
  /** The stable version; default `RELEASE_ID`, then `SHIPGATE_RELEASE`, then `dev`. */
  readonly stable?: string
  /**
   * What users are bucketed by besides their id, as a flag's key is: a flag rollout with this
   * key and the same percentage puts the same users on its new variant. Default `canary`.
   */
  readonly key?: string
  /** Told of bad variables, once per distinct set of values. Default `console.warn`. */
  readonly logger?: { warn(message: string): void }
}

/** Which side of the canary a user is on. */
export type CanaryArm = 'canary' | 'stable'

/** The version that serves a user, and its arm. */
export interface CanaryChoice {
  readonly version: string
  readonly arm: CanaryArm
}

/** Routes users between the stable and the canary version; see docs/runtime.md#canary. */
export interface CanaryRouter {
  /**
   * The version that serves `userId`: the same answer every time for one percentage, and a user
   * on the canary stays there when the percentage rises. Without a user id (`undefined` or
   * empty), the stable version. Called while handling a request recorded by the telemetry, it
   * labels the request, and the LLM calls it makes afterwards, with the chosen version as
   * `release` and the arm as `variant`.
   */
  choose(userId: string | undefined): CanaryChoice
  /** The split in force now (0% when the variables have a problem). */
  settings(): CanarySettings
}

/** A split compiled for one set of variables. */
interface Split {
  readonly fingerprint: string
  readonly settings: CanarySettings
  readonly stable: CanaryChoice
  readonly canary: CanaryChoice
  /** flagd-core over the one rollout flag; absent at 0% and 100%. */
  readonly core: FlagdCore | undefined
}

const warnToConsole = { warn: (message: string) => console.warn(`shipgate runtime: ${message}`) }

/**
 * A router over the canary variables (`CANARY_VERSION`, `CANARY_PERCENTAGE`, and `RELEASE_ID`
 * for the stable version). Bad variables never stop the service: they are logged, naming the
 * variable and the fix, and every user gets the stable version until they are fixed.
 */
export function createCanaryRouter(options: CanaryRouterOptions): CanaryRouter {
  const key = options.key ?? 'canary'
  const logger = options.logger ?? warnToConsole
  const read = typeof options.env === 'function' ? options.env : () => options.env as CanaryEnv
  let split = buildSplit(read(), options.stable, key, logger)
  const current = (): Split => {
    if (typeof options.env !== 'function') return split
    const env = read()
    if (fingerprintOf(env, options.stable) !== split.fingerprint) {
      split = buildSplit(env, options.stable, key, logger)
    }
    return split
  }
  return {
    choose: (userId) => {
      const choice = decide(current(), key, userId)
      labelRequest({ release: choice.version, variant: choice.arm })
      return choice
    },
    settings: () => current().settings,
  }
}

function decide(split: Split, key: string, userId: string | undefined): CanaryChoice {
  const { percent } = split.settings
  if (percent === 0 || userId === undefined || userId === '') return split.stable
  if (split.core === undefined) return split.canary
  const resolved = split.core.resolve('string', key, '', { targetingKey: userId })
  return resolved.variant === 'canary' ? split.canary : split.stable
}

function buildSplit(
  env: CanaryEnv,
  stable: string | undefined,
  key: string,
  logger: { warn(message: string): void },
): Split {
  const { settings, problems } = readCanaryEnv(env, stable)
  for (const problem of problems) logger.warn(`${problem}; serving every user the stable version`)
  const canaryVersion = settings.canary ?? settings.stable
  return {
    fingerprint: fingerprintOf(env, stable),
    settings,
    stable: { version: settings.stable, arm: 'stable' },
    canary: { version: canaryVersion, arm: 'canary' },
    core: settings.percent > 0 && settings.percent < 100 ? rollout(key, settings) : undefined,
  }
}

/** flagd-core over one flag serving `canary` to `percent` % of targeting keys. */
function rollout(key: string, settings: CanarySettings): FlagdCore {
  const flag = rolloutFlag({
    key,
    from: 'stable',
    to: 'canary',
    percent: settings.percent,
    variants: { stable: settings.stable, canary: settings.canary ?? settings.stable },
  })
  return compileFlags(JSON.stringify({ flags: { [key]: flag } }), '<canary router>').core
}

/** The raw values a split depends on: equal fingerprints, equal splits. */
function fingerprintOf(env: CanaryEnv, stable: string | undefined): string {
  return JSON.stringify([stable, ...Object.values(CANARY_ENV).map((name) => env[name])])
}
