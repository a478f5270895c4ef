/**
 * The runtime settings a release records (`--env KEY=VALUE`). A manifest is stored and written
 * to disk, so nothing that looks like a credential may enter it: secrets reach a service by the
 * name of the variable that holds them, set on the platform, never through a release.
 */
import { findSecret } from '../../utils/secrets.js'

/** Parsed settings, or every problem found (each a sentence naming the offending key). */
export type ReleaseEnvResult =
  | { readonly ok: true; readonly env: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly problems: readonly string[] }

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
/** Names that hold credentials by convention. */
const CREDENTIAL_NAME = /(^|_)(API_?KEY|KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIALS?|AUTH)($|_)/i

/**
 * Parses `KEY=VALUE` pairs; a later pair for a key wins. Refuses malformed pairs, names that
 * hold credentials by convention (`*_API_KEY`, `*_TOKEN`, ...), values shaped like a known
 * credential, and values that equal one of `known` (interpolated config values).
 */
export function parseReleaseEnv(
  pairs: readonly string[],
  known: readonly string[] = [],
): ReleaseEnvResult {
  const env: Record<string, string> = {}
  const problems: string[] = []
  for (const pair of pairs) {
    const at = pair.indexOf('=')
    const key = at < 0 ? pair : pair.slice(0, at)
    const value = at < 0 ? '' : pair.slice(at + 1)
    const problem = at < 0 ? `"${pair}" is not KEY=VALUE` : checkPair(key, value, known)
    if (problem === undefined) env[key] = value
    else problems.push(problem)
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, env }
}

function checkPair(key: string, value: string, known: readonly string[]): string | undefined {
  if (!NAME.test(key)) return `"${key}" is not an environment variable name`
  if (CREDENTIAL_NAME.test(key)) return `${key} names a credential`
  const shape = findSecret(value)
  if (shape !== undefined) return `the value of ${key} looks like ${shape}`
  if (known.some((secret) => secret.length >= 8 && value.includes(secret))) {
    return `the value of ${key} contains a value interpolated into the config`
  }
  return undefined
}
