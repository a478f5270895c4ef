/**
 * What a rollback from one release to another has to move: the code (a deploy of the older
 * commit), the prompt version, the model. `shipgate rollback --only prompt|model|code` moves
 * one part; the others stay.
 */
import { RELEASE_ENV } from '../../contracts/release.js'
import type { ReleaseManifest, ReleasePart } from '../../contracts/release.js'
import { canonicalJson, sha256 } from '../../utils/hash.js'

/** A version to move from and to; `null` when a release does not name one. */
export interface VersionMove {
  readonly from: string | null
  readonly to: string | null
}

/** What needs moving; a part that is the same in both releases, or not chosen, is not moved. */
export interface RollbackParts {
  /** The code differs (another commit, or a dirty tree on either side): a deploy is needed. */
  readonly code: boolean
  /** The prompt version to set, when prompts differ. */
  readonly prompt: VersionMove | null
  /** The model version to set, when models or their parameters differ. */
  readonly model: VersionMove | null
}

/** The variables the service reads its versions from (config `release.*VersionEnv`). */
export interface VersionEnvNames {
  readonly prompt: string
  readonly model: string
}

/**
 * The variables a service reads its versions from when the config names none (`release:`
 * takes its defaults from here).
 */
export const DEFAULT_VERSION_ENV: VersionEnvNames = RELEASE_ENV

/**
 * Which parts differ from `from` (what runs) to `to` (what to return to), limited to `only`.
 * A version is the release's `PROMPT_VERSION` / `MODEL_VERSION` env entry when it has one, else
 * derived from the manifest: the prompt's hash or model id when there is one, else a digest.
 */
export function rollbackParts(
  from: ReleaseManifest,
  to: ReleaseManifest,
  only?: ReleasePart,
  names: VersionEnvNames = DEFAULT_VERSION_ENV,
): RollbackParts {
  const wanted = (part: ReleasePart): boolean => only === undefined || only === part
  const code = from.code.commit !== to.code.commit || from.code.dirty || to.code.dirty
  const promptMove = move(promptVersion(from, names.prompt), promptVersion(to, names.prompt))
  const promptsDiffer =
    canonicalJson(from.prompts) !== canonicalJson(to.prompts) || promptMove.from !== promptMove.to
  const modelMove = move(modelVersion(from, names.model), modelVersion(to, names.model))
  const modelsDiffer =
    canonicalJson(from.models) !== canonicalJson(to.models) || modelMove.from !== modelMove.to
  return {
    code: wanted('code') && code,
    prompt: wanted('prompt') && promptsDiffer ? promptMove : null,
    model: wanted('model') && modelsDiffer ? modelMove : null,
  }
}

/** The prompt version a release runs with. */
export function promptVersion(
  m: ReleaseManifest,
  envName = DEFAULT_VERSION_ENV.prompt,
): string | null {
  const pinned = m.env[envName]
  if (pinned !== undefined) return pinned
  const prompts = Object.values(m.prompts)
  if (prompts.length === 0) return null
  return prompts.length === 1 ? (prompts[0]?.hash ?? null) : digest(m.prompts)
}

/** The model version a release runs with. */
export function modelVersion(
  m: ReleaseManifest,
  envName = DEFAULT_VERSION_ENV.model,
): string | null {
  const pinned = m.env[envName]
  if (pinned !== undefined) return pinned
  const ids = [...new Set(Object.values(m.models).map((x) => x.model))].filter((x) => x !== null)
  if (ids.length === 0) return null
  return ids.length === 1 ? (ids[0] ?? null) : digest(m.models)
}

function move(from: string | null, to: string | null): VersionMove {
  return { from, to }
}

function digest(value: unknown): string {
  return `sha256:${sha256(canonicalJson(value))}`
}
