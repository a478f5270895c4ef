import { readdirSync } from 'node:fs'
import { join } from 'node:path'

/** Every file below `dir`, recursively. */
export function walkFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walkFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  )
}
