/**
 * Where the store is, as the config and the environment say: the one reading of `store:` that
 * the load-time rule and the stages share, so both apply the same order.
 */
import type { ConfigIssue } from '../errors.js'
import { DEFAULT_STORE } from '../stores/index.js'
import { envReference, readEnvReference } from '../utils/env-reference.js'
import type { Source } from './source.js'

/** The variable that names the store for every command, over the config's `store:`. */
export const DATABASE_URL_VARIABLE = 'SHIPGATE_DATABASE_URL'

/**
 * The store's location and where it came from (`config`: written into the file, so it must not
 * hold a password), or the variable a `store: env:NAME` names that is not set.
 */
export type StoreSetting =
  | { readonly location: string; readonly from: 'environment' | 'config' | 'default' }
  | { readonly unset: string }

/** Where an issue about `store:` points: the key in the file, or its path in a config value. */
export type StoreKeyLocation = Pick<ConfigIssue, 'file' | 'line' | 'column' | 'path'>

/**
 * SHIPGATE_DATABASE_URL when set; else `configured` (`env:NAME`: the value of NAME); else the
 * default. An unset `env:NAME` is `{ unset: NAME }` only when SHIPGATE_DATABASE_URL does not
 * override it.
 */
export function storeSetting(
  env: Readonly<Record<string, string | undefined>>,
  configured: string | undefined,
): StoreSetting {
  const url = env[DATABASE_URL_VARIABLE]
  if (url !== undefined && url !== '') return { location: url, from: 'environment' }
  if (configured === undefined) return { location: DEFAULT_STORE, from: 'default' }
  const read = readEnvReference(configured, env)
  if ('unset' in read) return read
  const from = envReference(configured) === undefined ? 'config' : 'environment'
  return { location: read.value, from }
}

/** The issue of a `store: env:NAME` whose variable is unset or empty, at the `store:` key. */
export function unsetStoreVariable(name: string, where: StoreKeyLocation): ConfigIssue {
  return {
    ...where,
    message: `store: env:${name} names the environment variable ${name}, which is not set`,
    hint: `export ${name} with the store's location (in CI, from a secret), or set ${DATABASE_URL_VARIABLE}`,
  }
}

/**
 * The load-time rule of `store:`: an `env:NAME` names a variable that is set, unless
 * SHIPGATE_DATABASE_URL overrides it. Every command that loads the config fails early, at the line.
 */
export function checkStoreVariable(
  store: string,
  source: Source,
  env: Readonly<Record<string, string | undefined>>,
): ConfigIssue[] {
  const setting = storeSetting(env, store)
  if (!('unset' in setting)) return []
  return [unsetStoreVariable(setting.unset, { file: source.file, ...source.locate(['store']) })]
}
