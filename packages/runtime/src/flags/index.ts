/**
 * Feature flags for LLM services: an OpenFeature provider over a flagd flag file, percentage
 * rollouts that only move users forward, and the release (prompt and model versions) in force.
 * See docs/flags.md.
 */
export { compileFlags, changedFlags, type CompiledFlags } from './compile.js'
export { createFlagEvaluator, type FlagEvaluator, type FlagSnapshot } from './evaluator.js'
export { FileFlagProvider, type FileFlagProviderOptions, type ReloadResult } from './provider.js'
export {
  activeRelease,
  RELEASE_ENV,
  type ActiveRelease,
  type ActiveReleaseOptions,
  type ReleaseManifestInput,
  type ReleaseSource,
} from './release.js'
export {
  createFlagReleases,
  isReleaseFlagValue,
  RELEASE_FLAG_KEY,
  type FlagReleaseChoice,
  type FlagReleases,
  type FlagReleasesOptions,
  type ReleaseFlagValue,
} from './releases.js'
export {
  readRollout,
  rolloutFlag,
  setRollout,
  type Rollout,
  type RolloutOptions,
} from './rollout.js'
export {
  FLAGD_SCHEMA_URL,
  type FlagDefinition,
  type FlagFile,
  type FlagVariantValue,
} from './types.js'
