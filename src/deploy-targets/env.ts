/** The environment a target's commands get: only what is named, so secrets pass by name. */

/** Variables every command gets, so it can find executables and its own config. */
export const BASE_ENV = ['PATH', 'HOME'] as const

/** The variables of `source` named in `names` (plus PATH and HOME) that are set. */
export function pickEnv(
  source: Readonly<Record<string, string | undefined>>,
  names: readonly string[],
): Record<string, string> {
  const env: Record<string, string> = {}
  for (const name of [...BASE_ENV, ...names]) {
    const value = source[name]
    if (value !== undefined) env[name] = value
  }
  return env
}
