import type { ConfigIssue } from '../errors.js'
import { findSecret } from '../utils/secrets.js'
import type { Config } from './schema.js'
import type { PathKey, Source } from './source.js'
import { closest } from './suggest.js'

/**
 * Flags string values of the raw config (before `${VAR}` interpolation) that look like
 * credentials: secrets belong in the environment, referenced by name.
 */
export function findLiteralSecrets(source: Source): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  walk(source.value, [], (value, path) => {
    const shape = findSecret(value)
    if (shape === undefined) return
    issues.push({
      file: source.file,
      ...source.locate(path),
      message: `${path.join('.')} looks like ${shape} written into config`,
      hint: 'never put secrets in shipgate.yaml: name the environment variable instead (apiKeyEnv: MY_KEY, or ${MY_KEY})',
    })
  })
  return issues
}

function walk(
  value: unknown,
  path: PathKey[],
  visit: (value: string, path: PathKey[]) => void,
): void {
  if (typeof value === 'string') visit(value, path)
  else if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i], visit))
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) walk(v, [...path, k], visit)
  }
}

/** Cross-field rules: every suite names a prompt and a provider that exist. */
export function checkReferences(config: Config, source: Source): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  for (const [name, suite] of Object.entries(config.suites)) {
    const refs = [
      ['prompt', suite.prompt, Object.keys(config.prompts), 'prompts'],
      ['provider', suite.provider, Object.keys(config.providers), 'providers'],
    ] as const
    for (const [key, value, known, section] of refs) {
      if (known.includes(value)) continue
      const guess = closest(value, known)
      issues.push({
        file: source.file,
        ...source.locate(['suites', name, key]),
        message: `suite "${name}" uses ${key} "${value}", which is not defined under ${section}`,
        hint:
          guess !== undefined
            ? `did you mean "${guess}"?`
            : known.length > 0
              ? `defined ${section}: ${known.join(', ')}`
              : `add it under ${section}:`,
      })
    }
  }
  return issues
}
