import { readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { ConfigError, type ConfigIssue } from '../errors.js'
import { displayPath } from '../utils/paths.js'
import { findConfig } from './load.js'
import { parseYamlSource } from './source.js'
import { encodingProblem } from './text.js'

/**
 * One string setting of the config file, read without validating the rest: commands that only
 * need where things are (`runs`, `proxy`) must work even when, say, a provider entry is broken.
 * Returns the config file's directory, the value at `path` when it is a string, and where it is
 * (for errors about it). A file that is not YAML text at all (binary, UTF-16, a syntax error, an
 * alias bomb) is a ConfigError.
 */
export function rawConfigString(
  options: { cwd: string; file?: string },
  path: readonly string[],
): {
  dir: string
  value: string | undefined
  at: Pick<ConfigIssue, 'file' | 'line' | 'column' | 'path'>
} {
  const file = findConfig(options)
  const shown = displayPath(file, options.cwd)
  const bytes = readFileSync(file)
  const problem = encodingProblem(bytes, shown)
  if (problem !== undefined) throw new ConfigError([{ file: shown, ...problem }])
  const { source, issues } = parseYamlSource(shown, bytes.toString('utf8').replace(/^\ufeff/, ''))
  if (source === undefined) throw new ConfigError(issues)
  let node = source.value
  for (const key of path)
    node =
      node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined
  return {
    dir: dirname(file),
    value: typeof node === 'string' ? node : undefined,
    at: { file: shown, ...source.locate(path) },
  }
}
