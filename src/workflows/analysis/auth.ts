/**
 * Who may ask the analysis endpoint: anyone on a loopback address; a bearer token, read from
 * the environment variable the caller names, when bound anywhere else. The token is compared in
 * constant time and never logged.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { usageError } from '../../errors.js'

/** Checks a request's `Authorization` header; `null` when no token is required. */
export type Authorizer = ((header: string | undefined) => boolean) | null

/** Whether `host` is a loopback address (only this machine can connect). */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host)
}

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
  const expected = digest(`Bearer ${token}`)
  // Digests have one length, so timingSafeEqual compares any header without a length leak.
  return {
    check: (header) => header !== undefined && timingSafeEqual(digest(header), expected),
    token,
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest()
}
