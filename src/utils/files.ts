import { existsSync, mkdirSync, statSync } from 'node:fs'
import { rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'

/**
 * Writes a file so that readers see the old content or the new, never half of it: the text goes
 * to a temporary sibling first, which is then renamed over the target.
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  makeDirectory(dirname(path))
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`
  await writeFile(temp, text)
  await rename(temp, path)
}

/**
 * Makes `dir` and its missing parents one level at a time. Node's recursive mkdir spins forever
 * on some file systems (procfs answers ENOENT for every level); here the first level that cannot
 * be made throws, naming it.
 */
export function makeDirectory(dir: string): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new Error(`${dir} is not a directory`)
    return
  }
  const parent = dirname(dir)
  if (parent !== dir) makeDirectory(parent)
  try {
    mkdirSync(dir)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST' && statSync(dir).isDirectory()) return
    throw new Error(`cannot make the directory ${dir}: ${(error as Error).message}`, {
      cause: error,
    })
  }
}
