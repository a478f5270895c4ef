/**
 * A release manifest from what was gathered (git, prompt texts, provider configs, hashes), and
 * its content-addressed id: the same content always gives the same id.
 */
import type { ReleaseCode, ReleaseManifest, ReleasePrompt } from '../../contracts/release.js'
import { canonicalJson, sha256 } from '../../utils/hash.js'
import { modelsOf, type ProviderSettings } from './models.js'

/** One message of a prompt as written: its role, its template text, the file it came from. */
export interface PromptSource {
  readonly role: string
  readonly source: string
  /** Path relative to the config; absent for an inline template. */
  readonly file?: string
}

/** Everything a manifest is built from; gathered by the app layer. */
export interface ReleaseInputs {
  readonly name: string | null
  /** ISO time of creation. */
  readonly createdAt: string
  readonly code: ReleaseCode
  /** Prompt messages by prompt name. */
  readonly prompts: Readonly<Record<string, readonly PromptSource[]>>
  /** Provider configs by provider name. */
  readonly providers: Readonly<Record<string, ProviderSettings>>
  /** The flag file's path (relative to the config) and text; `null` when none is configured. */
  readonly flags: { readonly path: string; readonly text: string } | null
  /** The config file's text. */
  readonly configText: string
  /** Runtime settings given at creation (already checked for secrets). */
  readonly env: Readonly<Record<string, string>>
}

/** The manifest's content: what its id is computed from. */
export type ReleaseContent = Omit<ReleaseManifest, 'id' | 'name' | 'createdAt'>

/** Builds the manifest; its id is {@link releaseId} of its content. */
export function buildManifest(inputs: ReleaseInputs): ReleaseManifest {
  const content: ReleaseContent = {
    code: inputs.code,
    prompts: mapValues(inputs.prompts, releasePrompt),
    models: modelsOf(inputs.providers),
    flags:
      inputs.flags === null ? null : { path: inputs.flags.path, hash: hashOf(inputs.flags.text) },
    configHash: hashOf(inputs.configText),
    env: sortKeys(inputs.env),
  }
  return { id: releaseId(content), name: inputs.name, createdAt: inputs.createdAt, ...content }
}

/** `rel-` + the first 12 hex of the sha256 of the content's canonical JSON (keys sorted). */
export function releaseId(content: ReleaseContent): string {
  const { code, prompts, models, flags, configHash, env } = content
  const canonical = canonicalJson({ code, prompts, models, flags, configHash, env })
  return `rel-${sha256(canonical).slice(0, 12)}`
}

/**
 * A prompt's version: the sha256 of its text as written when it is one template (the usual
 * file prompt), else of its messages' roles and texts in order. The path is the first file.
 */
export function releasePrompt(messages: readonly PromptSource[]): ReleasePrompt {
  const [only] = messages
  const text =
    messages.length === 1 && only !== undefined
      ? only.source
      : canonicalJson(messages.map((m) => [m.role, m.source]))
  return { hash: hashOf(text), path: messages.find((m) => m.file !== undefined)?.file ?? null }
}

/** `sha256:<hex>` of a text. */
export function hashOf(text: string): string {
  return `sha256:${sha256(text)}`
}

function mapValues<A, B>(
  record: Readonly<Record<string, A>>,
  f: (value: A) => B,
): Record<string, B> {
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, f(record[key] as A)]),
  )
}

function sortKeys<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  return mapValues(record, (v) => v)
}
