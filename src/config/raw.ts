import { readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { parse } from 'yaml'
import { findConfig } from './load.js'

/**
 * One string setting of the config file, read without validating the rest: commands that only
 * need where things are (`runs`, `proxy`) must work even when, say, a provider entry is broken.
 * Returns the config file's directory and the value at `path` when it is a string.
 */
export function rawConfigString(
  options: { cwd: string; file?: string },
  path: readonly string[],
): { dir: string; value: string | undefined } {
  const file = findConfig(options)
  let node = parse(readFileSync(file, 'utf8')) as unknown
  for (const key of path)
    node =
      node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined
  return { dir: dirname(file), value: typeof node === 'string' ? node : undefined }
}
