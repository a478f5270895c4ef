/**
 * The model behind each configured provider and the parameters that change its answers. Only
 * an allow-list of settings is read, so credentials, headers and key names never reach a
 * manifest, however a provider's options grow.
 */
import type { ReleaseModel } from '../../contracts/release.js'

/** A provider's config as written under `providers:` (validated by its schema). */
export interface ProviderSettings {
  readonly type: string
  readonly [option: string]: unknown
}

/** Option names of a model API provider that change answers besides `params`. */
const ANSWER_OPTIONS = ['api'] as const

/**
 * Keys inside `params` never recorded, even if someone put them there: key, secret, password,
 * authorization and header names, and names ending in `token` (but `max_tokens` is kept).
 */
const CREDENTIAL_KEY =
  /(api|access|private|secret)[_-]?key|secret|password|credential|authori[sz]ation|bearer|headers?$|(^|[_-])token$/i

/** The models of every provider, by provider name, keys sorted. */
export function modelsOf(
  providers: Readonly<Record<string, ProviderSettings>>,
): Record<string, ReleaseModel> {
  return Object.fromEntries(
    Object.keys(providers)
      .sort()
      .map((name) => [name, modelOf(providers[name] as ProviderSettings)]),
  )
}

/** One provider's model id and its answer-changing parameters, sorted by key. */
export function modelOf(provider: ProviderSettings): ReleaseModel {
  const model = typeof provider.model === 'string' ? provider.model : null
  const params: Record<string, unknown> = {}
  if (isRecord(provider.params)) {
    for (const [key, value] of Object.entries(provider.params)) {
      if (!CREDENTIAL_KEY.test(key)) params[key] = value
    }
  }
  for (const key of ANSWER_OPTIONS) {
    if (provider[key] !== undefined) params[key] = provider[key]
  }
  return { type: provider.type, model, params: sorted(params) }
}

function sorted(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
