/**
 * A release: what runs in production, as one versioned unit — the code commit, the prompt
 * versions, the model ids and their parameters, the flag file and the config. `shipgate release
 * create` records one; deploy, rollback and the runtime SDK's `/health` name it by id.
 */

/** The code a release was built from. */
export interface ReleaseCode {
  /** Full commit hash; `null` outside a git repository. */
  readonly commit: string | null
  readonly branch: string | null
  /** Whether the working tree had uncommitted changes when the release was recorded. */
  readonly dirty: boolean
}

/** One prompt's version: the sha256 of its text (the template as written, before rendering). */
export interface ReleasePrompt {
  /** `sha256:<hex>` of the prompt text. */
  readonly hash: string
  /** The file it was read from, relative to the config; `null` for an inline template. */
  readonly path: string | null
}

/** The model behind one configured provider, with the parameters that change its answers. */
export interface ReleaseModel {
  /** Provider type: `anthropic`, `openai`, `http`, `exec`, `mock`. */
  readonly type: string
  /** Model id; `null` for providers without one (http, exec). */
  readonly model: string | null
  /** Request parameters (temperature, max tokens, ...), sorted by key; never credentials. */
  readonly params: Readonly<Record<string, unknown>>
}

/** A release manifest, as stored and as written to `.shipgate/release.json`. */
export interface ReleaseManifest {
  /** `rel-` + the first 12 hex of the sha256 of the content (all fields but id, name, createdAt). */
  readonly id: string
  /** Optional human name given at creation (`--name v1.4.0`). */
  readonly name: string | null
  readonly createdAt: string
  readonly code: ReleaseCode
  /** Prompt versions by prompt name. */
  readonly prompts: Readonly<Record<string, ReleasePrompt>>
  /** Models by provider name (the keys of `providers:` in the config). */
  readonly models: Readonly<Record<string, ReleaseModel>>
  /** The flag file, hashed; `null` when the config names none. */
  readonly flags: { readonly path: string; readonly hash: string } | null
  /** `sha256:<hex>` of the config file's text. */
  readonly configHash: string
  /**
   * Runtime settings the service runs with (the release's `PROMPT_VERSION`, `MODEL_VERSION` and
   * any `--env KEY=VALUE` given at creation). Never secrets: values that look like one are refused.
   */
  readonly env: Readonly<Record<string, string>>
}

/** What changed in one named part between two releases. */
export interface ReleaseChange {
  /** The prompt or provider name, or `commit` / `flags` / `config` / an env key. */
  readonly name: string
  readonly kind: 'added' | 'removed' | 'changed'
  readonly before: string | null
  readonly after: string | null
}

/** The variables naming the prompt and model versions a service runs (one definition, shared). */
export { RELEASE_ENV } from '@shipgate/runtime/internal'

/** The parts of a diff, in the order they are shown. */
export const DIFF_PARTS = ['code', 'prompts', 'models', 'params', 'flags', 'config', 'env'] as const

/** `shipgate release diff A B`: what changed from `from` to `to`, by part. */
export interface ReleaseDiff {
  readonly from: string
  readonly to: string
  readonly code: readonly ReleaseChange[]
  readonly prompts: readonly ReleaseChange[]
  /** Model id changes per provider. */
  readonly models: readonly ReleaseChange[]
  /** Parameter changes, named `provider.param`. */
  readonly params: readonly ReleaseChange[]
  readonly flags: readonly ReleaseChange[]
  readonly config: readonly ReleaseChange[]
  readonly env: readonly ReleaseChange[]
}

/** The parts a rollback can move apart from each other (`shipgate rollback --only`). */
export type ReleasePart = 'code' | 'prompt' | 'model'

/** A recorded release: `exists` when the same content was recorded before (same id). */
export interface CreatedRelease {
  readonly manifest: ReleaseManifest
  readonly status: 'created' | 'exists'
  /** Absolute path of the `release.json` written. */
  readonly file: string
}
