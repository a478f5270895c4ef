import { parse as parseYaml } from 'yaml'
import type { $ZodIssue } from 'zod/v4/core'
import { usageError, type ConfigIssue } from '../errors.js'
import { toConfigIssues } from './issues.js'
import type { LoadOptions } from './load.js'
import { configSchema } from './schema.js'
import type { Source } from './source.js'

/** Keys a provider entry has itself; any other `--provider NAME.KEY=VALUE` goes into `params`. */
const OWN_KEYS = new Set([
  'type',
  'model',
  'baseUrl',
  'api',
  'apiKeyEnv',
  'stream',
  'concurrency',
  'timeoutMs',
  'url',
  'method',
  'output',
  'command',
  'default',
  'latencyMs',
  'seed',
])

/** Providers whose request parameters live under `params`. */
const PARAM_TYPES = new Set(['anthropic', 'openai'])

type Providers = Record<string, Record<string, unknown>>

/**
 * Where a provider setting `key` goes in an entry of type `type`: the entry's own key, or a
 * request parameter under `params` (anthropic and openai entries, for keys they do not have).
 */
export function settingPlace(type: unknown, key: string): 'own' | 'params' {
  return OWN_KEYS.has(key) || !PARAM_TYPES.has(String(type)) ? 'own' : 'params'
}

/**
 * Parses `--provider NAME.KEY=VALUE` flags into partial provider settings. The value is read as
 * YAML, so `temperature=0` is a number and `stream=true` a boolean. A key the provider type
 * does not have itself is a request parameter: `haiku.max_tokens=500` sets `params.max_tokens`.
 * `origins`, when given, learns which flag set each key path (`providers.haiku.params.max_tokens`),
 * so a value the schema refuses is reported as the flag's.
 */
export function parseProviderOverrides(
  flags: readonly string[],
  providers: Readonly<Providers>,
  origins?: Map<string, string>,
): Providers {
  const out: Providers = {}
  for (const flag of flags) {
    const match = /^([A-Za-z0-9][A-Za-z0-9._-]*?)\.([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(flag)
    if (match === null) {
      throw usageError(
        `cannot read --provider ${flag}`,
        'write --provider NAME.KEY=VALUE, e.g. --provider haiku.model=claude-3-haiku-20240307',
      )
    }
    const [, name = '', key = '', raw = ''] = match
    const entry = providers[name]
    if (entry === undefined) {
      throw usageError(
        `--provider ${flag}: no provider named "${name}"`,
        `providers in this config: ${Object.keys(providers).join(', ')}`,
      )
    }
    const value = parseYaml(raw) as unknown
    const target = (out[name] ??= {})
    if (settingPlace(entry.type, key) === 'own') {
      target[key] = value
      origins?.set(`providers.${name}.${key}`, `--provider ${flag}`)
    } else {
      target.params = { ...(target.params as Record<string, unknown> | undefined), [key]: value }
      origins?.set(`providers.${name}.params.${key}`, `--provider ${flag}`)
    }
  }
  return out
}

/** Provider entries with partial settings merged in (`params` merged key by key). */
export function mergeProviders(
  providers: Readonly<Providers>,
  overrides: Readonly<Providers>,
): Providers {
  const merged: Providers = { ...providers }
  for (const [name, override] of Object.entries(overrides)) {
    const current = merged[name]
    if (current === undefined) continue
    const params = {
      ...(current.params as object | undefined),
      ...(override.params as object | undefined),
    }
    merged[name] = {
      ...current,
      ...override,
      ...(Object.keys(params).length === 0 ? {} : { params }),
    }
  }
  return merged
}

/**
 * The raw config with provider overrides merged in, before validation: the `ci:` block when the
 * environment says CI (`CI=true`, as GitHub Actions and GitLab CI set it), then `--provider`
 * flags. Validation then checks the result like any config.
 */
export function withOverrides(
  value: unknown,
  options: Pick<LoadOptions, 'env' | 'providerOverrides'>,
  origins: Map<string, string>,
): unknown {
  if (value === null || typeof value !== 'object') return value
  const raw = value as { providers?: unknown; ci?: { providers?: unknown } }
  if (raw.providers === null || typeof raw.providers !== 'object') return value
  let providers = raw.providers as Record<string, Record<string, unknown>>
  const onCi = options.env.CI === 'true' || options.env.CI === '1'
  if (onCi && raw.ci?.providers !== null && typeof raw.ci?.providers === 'object') {
    const ci = raw.ci.providers as Record<string, Record<string, unknown>>
    providers = mergeProviders(providers, ci)
    for (const [name, entry] of Object.entries(ci)) {
      for (const key of Object.keys(entry ?? {}))
        origins.set(`providers.${name}.${key}`, `ci.providers.${name}.${key} (applied on CI)`)
    }
  }
  const flags = options.providerOverrides ?? []
  if (flags.length > 0)
    providers = mergeProviders(providers, parseProviderOverrides(flags, providers, origins))
  return { ...raw, providers }
}

/**
 * The schema's issues with the config; one with a value a `--provider` flag set names the flag
 * (its position is the provider's entry, the nearest place the file has).
 */
export function overrideIssues(
  issues: readonly $ZodIssue[],
  source: Source,
  input: unknown,
  origins: ReadonlyMap<string, string>,
): ConfigIssue[] {
  if (origins.size === 0) return toConfigIssues(issues, source, configSchema)
  const merged: Source = { ...source, value: input }
  return issues.flatMap((issue) => {
    const path = issue.path.map(String)
    const flag = origins.get(path.slice(0, 3).join('.')) ?? origins.get(path.slice(0, 4).join('.'))
    const converted = toConfigIssues([issue], merged, configSchema)
    if (flag === undefined) return converted
    return converted.map((c) => ({
      ...c,
      message: `${flag}: ${c.message}`,
      hint: c.hint ?? 'fix the value given on the command line',
    }))
  })
}
