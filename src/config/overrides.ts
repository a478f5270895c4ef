import { parse as parseYaml } from 'yaml'
import { usageError } from '../errors.js'

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
    if (OWN_KEYS.has(key) || !PARAM_TYPES.has(String(entry.type))) {
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
