/** Releases: manifests and their ids, diffs between two, and what a rollback has to move. */
export { diffMaps, diffReleases, DIFF_PARTS, isEmptyDiff } from './diff.js'
export { parseReleaseEnv, type ReleaseEnvResult } from './env.js'
export {
  buildManifest,
  hashOf,
  releasePrompt,
  releaseId,
  type PromptSource,
  type ReleaseContent,
  type ReleaseInputs,
} from './manifest.js'
export { modelOf, modelsOf, type ProviderSettings } from './models.js'
export {
  modelVersion,
  promptVersion,
  rollbackParts,
  type RollbackParts,
  type VersionEnvNames,
  type VersionMove,
} from './rollback.js'
