import { execFile } from 'node:child_process'
import { constants, existsSync, statSync } from 'node:fs'
import { lstat, open, readdir, type FileHandle } from 'node:fs/promises'
import { isAbsolute, join, relative, resolve, sep } from 'node:path'
import { promisify } from 'node:util'
import { usageError } from '../../errors.js'

/**
 * Which files a secret scan reads, and their content: git's view of the repository (tracked
 * files, or the index for `--staged`), the project's own files whatever git thinks of them, or
 * a plain walk outside git.
 */

const run = promisify(execFile)

/** Opening a symbolic link fails (ELOOP) instead of reading its target, where the OS can. */
const NOFOLLOW = (constants as { O_NOFOLLOW?: number }).O_NOFOLLOW ?? 0
/** Errors of a path that is no regular file to read: gone, a link, a directory. */
const GONE = new Set(['ENOENT', 'ELOOP', 'EISDIR', 'ENOTDIR'])

/** Directories a walk never enters. */
const SKIPPED_DIRS = new Set(['node_modules', '.git'])

/** The top of the git work tree around `cwd`, or `null` outside one (or without git). */
export async function gitRoot(cwd: string): Promise<string | null> {
  try {
    const out = await git(cwd, ['rev-parse', '--show-toplevel'])
    return out.toString('utf8').trim()
  } catch {
    // Not a repository, or no git at all: the scan walks the directory instead.
    return null
  }
}

/** The files git tracks, relative to `root` (the index: staged new files included). */
export async function trackedFiles(root: string): Promise<string[]> {
  return split(await git(root, ['ls-files', '-z', '--cached']))
}

/** The files whose staged content differs from HEAD and is not a deletion. */
export async function stagedFiles(root: string): Promise<string[]> {
  const args = ['diff', '--cached', '--name-only', '-z', '--diff-filter=ACMR', '--no-renames']
  return split(await git(root, args))
}

/** The staged content of `file` (relative to `root`); `null` when it is over `limit` bytes. */
export async function stagedContent(
  root: string,
  file: string,
  limit: number,
): Promise<Buffer | null> {
  try {
    return await git(root, ['cat-file', 'blob', `:${file}`], limit + 1)
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return null
    throw error
  }
}

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

function split(out: Buffer): string[] {
  return out
    .toString('utf8')
    .split('\0')
    .filter((p) => p !== '')
}

async function git(cwd: string, args: string[], maxBuffer = 256 * 2 ** 20): Promise<Buffer> {
  const { stdout } = await run('git', args, { cwd, encoding: 'buffer', maxBuffer })
  return stdout
}
