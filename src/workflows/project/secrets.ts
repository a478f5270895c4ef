import type { LoadedConfig } from '../../config/load.js'
import type { Store } from '../../contracts/store.js'
import { redactingStore } from '../../stores/redacting.js'
import { envReference } from '../../utils/env-reference.js'
import { createRedactor, type Redactor } from '../../utils/redact.js'

/**
 * `*Env` settings that name a variable holding something public (a version label shown in
 * reports). Every other `*Env` setting (`apiKeyEnv`, `secretEnv`, `webhookUrlEnv`, `urlEnv`, …)
 * names a secret.
 */
const PUBLIC_ENV_SETTINGS: ReadonlySet<string> = new Set(['promptVersionEnv', 'modelVersionEnv'])

/**
 * The secret values a loaded config refers to: the values of the environment variables its
 * `*Env` settings name (provider keys, notifier URLs and signing secrets, defaults included)
 * and `store: env:NAME` names (a database URL with its password), and every value substituted
 * for a `${VAR}`. What the redactor must never let out.
 */
export function configSecrets(
  loaded: Pick<LoadedConfig, 'config' | 'secrets'>,
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  const store = envReference(loaded.config.store)
  const names = [...envSettings(loaded.config), ...(store === undefined ? [] : [store])]
  const values = names.map((name) => env[name])
  return [...loaded.secrets, ...values].filter((v): v is string => v !== undefined && v !== '')
}

/** The variable names of every secret `*Env` setting anywhere in the config. */
function envSettings(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(envSettings)
  if (value === null || typeof value !== 'object') return []
  return Object.entries(value).flatMap(([key, v]) =>
    typeof v === 'string'
      ? key.endsWith('Env') && !PUBLIC_ENV_SETTINGS.has(key)
        ? [v]
        : []
      : envSettings(v),
  )
}

/**
 * The redactor of a stage that loaded `loaded`: the caller's (the CLI's, which already learnt
 * the config's secrets when it was loaded), or a new one that knows them.
 */
export function stageRedactor(
  loaded: Pick<LoadedConfig, 'config' | 'secrets'>,
  options: {
    readonly env: Readonly<Record<string, string | undefined>>
    readonly redactor?: Redactor
  },
): Redactor {
  const redactor = options.redactor ?? createRedactor()
  redactor.add(configSecrets(loaded, options.env))
  return redactor
}

/** `store` behind the stage's redactor: no row it writes holds a secret. */
export function guardedStore(
  store: Store,
  loaded: Pick<LoadedConfig, 'config' | 'secrets'>,
  options: {
    readonly env: Readonly<Record<string, string | undefined>>
    readonly redactor?: Redactor
  },
): Store {
  return redactingStore(store, stageRedactor(loaded, options))
}
