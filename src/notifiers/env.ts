import { environmentError } from '../errors.js'

/**
 * The value of the variable `name`, which holds a notifier's URL or secret. Missing or empty →
 * an environment error naming the variable (never a value), which the dispatcher logs.
 */
export function requireEnv(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  what: string,
): string {
  const value = env[name]
  if (value === undefined || value.trim() === '') {
    throw environmentError(
      `${what}: the environment variable ${name} is not set`,
      `set ${name}, e.g. from \${{ secrets.${name} }} in GitHub Actions`,
    )
  }
  return value.trim()
}

/** `url` parsed, or an environment error that says where it came from without repeating it. */
export function checkedUrl(url: string, from: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw environmentError(`${from} is not a valid URL`, 'give an absolute http(s) URL')
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw environmentError(`${from} is not an http(s) URL`, 'give an absolute http(s) URL')
  }
  return parsed.href
}
