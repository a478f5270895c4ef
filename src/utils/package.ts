import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Found once: the package does not move while the process runs. */
let root: string | undefined

/**
 * The directory of shipgate's own package.json, found upward from this module, so it is found
 * from the compiled library, the CLI bundle and the sources alike.
 */
export function packageRoot(): string {
  if (root !== undefined) return root
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json')
    if (
      existsSync(file) &&
      (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === 'shipgate'
    ) {
      root = dir
      return dir
    }
    if (dirname(dir) === dir) throw new Error('shipgate: cannot find its own package.json')
  }
}

/** shipgate's own version, from its package.json. */
export function shipgateVersion(): string {
  return (
    JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }
  ).version
}
