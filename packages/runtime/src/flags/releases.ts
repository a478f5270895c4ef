/**
 * A release served by a flag: the `flags` deploy target writes one flag (key `release` by
 * default) whose variants are release ids, each valued with the release's runtime settings
 * (`PROMPT_VERSION`, `MODEL_VERSION`, …), and moves its `fractional` rollout from the stable
 * release to the new one. {@link createFlagReleases} is the service's side: per request it asks
 * the flag which release a user gets and labels the request's metrics with it, so `/metrics`
 * has a series per release for the canary analysis. See docs/canary.md.
 */
import type { EvaluationContext, JsonValue } from '@openfeature/server-sdk'
import type { FlagEvaluator } from './evaluator.js'

/** The flag the `flags` deploy target writes unless its config names another. */
export const RELEASE_FLAG_KEY = 'release'

/** A variant's value in a release flag: the release and the settings it runs with. */
export interface ReleaseFlagValue {
  /** The release id (`rel-…`), the same as the variant's name. */
  readonly release: string
  /** The release's human name (`--name v1.4.0`), when it has one. */
  readonly name?: string
  /** The release's runtime settings: `PROMPT_VERSION`, `MODEL_VERSION`, any `--env` given. */
  readonly env: Readonly<Record<string, string>>
}

/** The release a user got, and its side of the rollout. */
export interface FlagReleaseChoice extends ReleaseFlagValue {
  /**
   * `canary` when the user got a variant other than the flag's default (the new release during a
   * rollout), else `stable`. The request's `variant` label.
   */
  readonly variant: 'canary' | 'stable'
}

/** Options of {@link createFlagReleases}. */
export interface FlagReleasesOptions {
  /** The flags to read: a `FileFlagProvider`'s `evaluator`. */
  readonly evaluator: FlagEvaluator
  /** The flag's key; default `release`. */
  readonly key?: string
  /**
   * What is served while the flag is missing, disabled or not a release flag (and before the
   * provider is ready): usually the process's own release with its environment.
   */
  readonly fallback: ReleaseFlagValue
  /**
   * Called with each choice's labels while a request is handled: pass `labelRequest` so the
   * request and its LLM calls are recorded under the release that served them.
   */
  readonly label?: (labels: { readonly release: string; readonly variant: string }) => unknown
}

/** Per-user releases from a release flag; see the module doc. */
export interface FlagReleases {
  /**
   * The release that serves `userId` (the flag's targeting key: sticky per user, and a user on
   * the new release stays there as its share rises). Without a user id, the default variant.
   * Calls `label` with the choice.
   */
  choose(userId: string | undefined): FlagReleaseChoice
  /**
   * The release the flag serves by default (users without an id, everyone once promoted or
   * rolled back): what `/health` should name (`health: { release: releases.current }`).
   */
  current(): string
}

/** Reads release choices from the flag `key` on every call, so a reload applies at once. */
export function createFlagReleases(options: FlagReleasesOptions): FlagReleases {
  const key = options.key ?? RELEASE_FLAG_KEY
  const resolve = (userId: string | undefined): Resolved | undefined => {
    const context: EvaluationContext =
      userId === undefined || userId === '' ? {} : { targetingKey: userId }
    const details = options.evaluator.getDetails<JsonValue>('object', key, {}, context)
    if (details.errorCode !== undefined || details.variant === undefined) return undefined
    return isReleaseFlagValue(details.value)
      ? { variant: details.variant, value: details.value }
      : undefined
  }
  return {
    choose(userId) {
      const stable = resolve(undefined)
      const got = userId === undefined || userId === '' ? stable : resolve(userId)
      const value = got?.value ?? options.fallback
      const canary = got !== undefined && stable !== undefined && got.variant !== stable.variant
      const choice: FlagReleaseChoice = { ...value, variant: canary ? 'canary' : 'stable' }
      options.label?.({ release: choice.release, variant: choice.variant })
      return choice
    },
    current: () => (resolve(undefined)?.value ?? options.fallback).release,
  }
}

interface Resolved {
  readonly variant: string
  readonly value: ReleaseFlagValue
}

/** Whether `value` has a release flag value's shape: a release id and string settings. */
export function isReleaseFlagValue(value: unknown): value is ReleaseFlagValue {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const { release, name, env } = value as Record<string, unknown>
  if (typeof release !== 'string' || release === '') return false
  if (name !== undefined && typeof name !== 'string') return false
  if (typeof env !== 'object' || env === null || Array.isArray(env)) return false
  return Object.values(env).every((v) => typeof v === 'string')
}
