/**
 * Which prompt and model versions a service runs: `PROMPT_VERSION` / `MODEL_VERSION` from the
 * environment first (the fastest rollback: set a variable, restart, no deploy), then a release
 * manifest, then the caller's defaults. Each version is resolved on its own, so pinning the
 * prompt by environment keeps the model from the manifest. Pure: the environment is a parameter.
 */
import { RELEASE_ENV } from '../contracts/release-env.js'
import { usageError } from '../errors.js'

/**
 * The part of a release manifest read here. A later issue defines the manifest file (code
 * commit, prompt versions by content hash, model ids, params, flags); this takes any object
 * with these two maps.
 */
export interface ReleaseManifestInput {
  /** Prompt name → version (a tag such as `v1.2.0`, or a content hash). */
  readonly prompts?: Readonly<Record<string, string>>
  /** Model role or name → model id (`claude-3-5-sonnet-20240620`). */
  readonly models?: Readonly<Record<string, string>>
}

/** Options of {@link activeRelease}. */
export interface ActiveReleaseOptions {
  /** The environment, usually `process.env`. */
  readonly env: Readonly<Record<string, string | undefined>>
  readonly manifest?: ReleaseManifestInput
  /** The manifest's prompt entry to use; default: its only entry, else the one named `default`. */
  readonly prompt?: string
  /** The manifest's model entry to use; the same default rule as `prompt`. */
  readonly model?: string
  /** Used when neither the environment nor the manifest gives a version. */
  readonly defaults?: { readonly promptVersion?: string; readonly modelVersion?: string }
}

/** Where a version came from. */
export type ReleaseSource = 'env' | 'manifest' | 'default'

/** The versions in force and where each came from. Undefined: no source gave one. */
export interface ActiveRelease {
  readonly promptVersion: string | undefined
  readonly modelVersion: string | undefined
  readonly source: { readonly prompt: ReleaseSource; readonly model: ReleaseSource }
}

export { RELEASE_ENV }

/** Resolves the prompt and model versions; throws when a manifest entry cannot be chosen. */
export function activeRelease(options: ActiveReleaseOptions): ActiveRelease {
  const prompt = pick(
    options.env[RELEASE_ENV.prompt],
    () => entry('prompts', options.manifest?.prompts, options.prompt),
    options.defaults?.promptVersion,
  )
  const model = pick(
    options.env[RELEASE_ENV.model],
    () => entry('models', options.manifest?.models, options.model),
    options.defaults?.modelVersion,
  )
  return {
    promptVersion: prompt.value,
    modelVersion: model.value,
    source: { prompt: prompt.source, model: model.source },
  }
}

function pick(
  fromEnv: string | undefined,
  fromManifest: () => string | undefined,
  fallback: string | undefined,
): { readonly value: string | undefined; readonly source: ReleaseSource } {
  const env = fromEnv?.trim()
  if (env !== undefined && env !== '') return { value: env, source: 'env' }
  const manifest = fromManifest()
  if (manifest !== undefined) return { value: manifest, source: 'manifest' }
  return { value: fallback, source: 'default' }
}

/** The named entry, or the only one, or `default`; a named entry that is missing is undefined. */
function entry(
  what: 'prompts' | 'models',
  map: Readonly<Record<string, string>> | undefined,
  name: string | undefined,
): string | undefined {
  if (map === undefined) return undefined
  if (name !== undefined) return Object.hasOwn(map, name) ? map[name] : undefined
  const keys = Object.keys(map)
  if (keys.length <= 1) return keys[0] === undefined ? undefined : map[keys[0]]
  if (Object.hasOwn(map, 'default')) return map.default
  throw usageError(
    `the release manifest lists ${keys.length} ${what} (${keys.join(', ')}): which one is this service's?`,
    `pass ${what === 'prompts' ? 'prompt' : 'model'}: '<name>' to activeRelease`,
  )
}
