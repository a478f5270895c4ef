/**
 * `env:NAME`: a setting that names the environment variable holding its value, so a secret
 * (a database URL with its password) stays out of committed files and command lines.
 */
const PREFIX = 'env:'

/** The variable `value` names when it is `env:NAME`; `undefined` for a value written out. */
export function envReference(value: string): string | undefined {
  return value.startsWith(PREFIX) ? value.slice(PREFIX.length) : undefined
}

/**
 * `value` itself, or for `env:NAME` the value of NAME in `env`: `{ value }`, or `{ unset: NAME }`
 * when NAME is unset or empty (the caller says where it was written).
 */
export function readEnvReference(
  value: string,
  env: Readonly<Record<string, string | undefined>>,
): { readonly value: string } | { readonly unset: string } {
  const name = envReference(value)
  if (name === undefined) return { value }
  const found = env[name]
  return found === undefined || found === '' ? { unset: name } : { value: found }
}
