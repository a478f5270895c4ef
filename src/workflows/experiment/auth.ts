/**
 * Who may post events to the collector. The token is read from the environment variable the
 * caller names (default SHIPGATE_COLLECTOR_TOKEN): when it is set, every request must send
 * `Authorization: Bearer <token>`, compared in constant time. Without a token the collector
 * binds loopback only. The token is never logged.
 */
import { usageError } from '../../errors.js'
import { bearerCheck, isLoopback, type Authorizer } from '../../utils/bearer.js'

/** Checks a request's `Authorization` header; `null` when no token is required. */
export type CollectorAuthorizer = Authorizer

/** The variable the collector's token is read from unless `--token-env` names another. */
export const DEFAULT_TOKEN_ENV = 'SHIPGATE_COLLECTOR_TOKEN'

/**
 * The authorizer of a collector bound to `host`. `tokenEnv` given explicitly must be set; the
 * default variable may be unset, on loopback only.
 */
export function collectorAuth(
  host: string,
  tokenEnv: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): { readonly check: Authorizer; readonly token: string | null } {
  const name = tokenEnv ?? DEFAULT_TOKEN_ENV
  const token = env[name]
  if (token === undefined || token === '') {
    if (tokenEnv !== undefined)
      throw usageError(
        `environment variable ${name} (--token-env) is not set`,
        `set ${name} to the token the SDK's collector sink sends as "Authorization: Bearer …"`,
      )
    if (isLoopback(host)) return { check: null, token: null }
    throw usageError(
      `the collector on ${host} is reachable from other machines and needs a token, but ${name} is not set`,
      `set ${name} (or name another variable with --token-env), or bind 127.0.0.1`,
    )
  }
  return { check: bearerCheck(token), token }
}
