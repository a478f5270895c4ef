import { constants, existsSync, statSync } from 'node:fs'
import { lstat, open, readdir, type FileHandle } from 'node:fs/promises'
import { isAbsolute, join, relative, resolve, sep } from 'node:path'
import { usageError } from '../../errors.js'

/**
 * Working-tree files as the secret scan reads them: a walk outside git, paths narrowed to what
 * was asked, names as shown, and one safe read per file (git's own view is in integrations/git).
 */

/** Opening a symbolic link fails (ELOOP) instead of reading its target, where the OS can. */
const NOFOLLOW = (constants as { O_NOFOLLOW?: number }).O_NOFOLLOW ?? 0
/** Errors of a path that is no regular file to read: gone, a link, a directory. */
const GONE = new Set(['ENOENT', 'ELOOP', 'EISDIR', 'ENOTDIR'])

/** Directories a walk never enters. */
const SKIPPED_DIRS = new Set(['node_modules', '.git'])

/** Every regular file under `dir` (or `dir` itself when a file), skipping node_modules and .git. */
export async function walk(dir: string): Promise<string[]> {
  const info = await lstat(dir).catch(() => null)
  if (info === null) return []
  if (info.isFile()) return [dir]
  if (!info.isDirectory()) return []
  const out: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name)) {
      out.push(...(await walk(join(dir, entry.name))))
    } else if (entry.isFile()) out.push(join(dir, entry.name))
  }
  return out
}

/**
 * Keeps the candidates inside `paths` (files or directories, absolute). A file named in
 * `paths` is kept even when it is not a candidate (an untracked file the user asked for), unless
 * `onlyCandidates` (the staged scan, which reads the index).
 */
export function restrict(
  candidates: readonly string[],
  paths: readonly string[],
  onlyCandidates: boolean,
): string[] {
  if (paths.length === 0) return [...candidates]
  const inside = (file: string): boolean =>
    paths.some((p) => file === p || file.startsWith(p.endsWith(sep) ? p : p + sep))
  const kept = new Set(candidates.filter(inside))
  if (!onlyCandidates) for (const p of paths) if (isFileSync(p)) kept.add(p)
  return [...kept]
}

/** Resolves the PATHS arguments against `cwd`; a path that does not exist is a usage error. */
export function resolvePaths(paths: readonly string[], cwd: string): string[] {
  return paths.map((p) => {
    const path = resolve(cwd, p)
    if (!existsSync(path)) throw usageError(`${p} does not exist`, 'name files or directories')
    return path
  })
}

/** How a file is named in findings: relative to the root with `/`, or absolute outside it. */
export function displayName(file: string, root: string): string {
  const rel = relative(root, file)
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return file
  return rel.split(sep).join('/')
}

/**
 * A working-tree file's bytes; `null` when it is not a regular file (gone, a symbolic link, a
 * directory). One open, stat and read: this runs for every file of the repository.
 */
export async function fileContent(
  file: string,
  limit: number,
): Promise<Buffer | 'too-large' | null> {
  let handle: FileHandle
  try {
    handle = await open(file, constants.O_RDONLY | NOFOLLOW)
  } catch (error) {
    if (GONE.has((error as { code?: string }).code ?? '')) return null
    throw error
  }
  try {
    const info = await handle.stat()
    if (!info.isFile()) return null
    if (info.size > limit) return 'too-large'
    return await handle.readFile()
  } finally {
    await handle.close()
  }
}

function isFileSync(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() === true
}
