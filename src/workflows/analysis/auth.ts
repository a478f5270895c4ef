/**
 * Who may ask the analysis endpoint: anyone on a loopback address; a bearer token, read from
 * the environment variable the caller names, when bound anywhere else. The token is compared in
 * constant time and never logged.
 */
import { usageError } from '../../errors.js'
import { bearerCheck, isLoopback, type Authorizer } from '../../utils/bearer.js'

export type { Authorizer }

/**
 * The authorizer for a server bound to `host`, with the token in `env[tokenEnv]`. Throws a
 * usage error when a token is required (a non-loopback host) and none is named or set.
 */
export function authorizer(
  host: string,
  tokenEnv: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): { readonly check: Authorizer; readonly token: string | null } {
  if (tokenEnv === undefined) {
    if (isLoopback(host)) return { check: null, token: null }
    throw usageError(
      `the analysis endpoint on ${host} is reachable from other machines and needs a token`,
      'pass --token-env NAME with the token in environment variable NAME, or bind 127.0.0.1',
    )
  }
  const token = env[tokenEnv]
  if (token === undefined || token === '') {
    throw usageError(
      `environment variable ${tokenEnv} (--token-env) is not set`,
      `set ${tokenEnv} to the token the AnalysisTemplate sends as "Authorization: Bearer …"`,
    )
  }
  return { check: bearerCheck(token), token }
}
