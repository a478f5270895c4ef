/** What shipgate asks of a git repository: its root, a merge base, changes, and blobs. */
import { gitBytes, gitText, nulSeparated } from './run.js'

/** The top of the work tree around `cwd`; `null` outside one, or without git. */
export async function repoRoot(cwd: string): Promise<string | null> {
  try {
    return await gitText(cwd, ['rev-parse', '--show-toplevel'])
  } catch {
    return null
  }
}

/** The merge base of HEAD and `ref`; a usage error when there is none (e.g. a shallow clone). */
export function mergeBase(root: string, ref: string): Promise<string> {
  return gitText(root, ['merge-base', 'HEAD', ref])
}

/** Files changed between `base` and the working tree, plus untracked ones (repo-relative, sorted). */
export async function changedSince(root: string, base: string): Promise<string[]> {
  const [diff, untracked] = await Promise.all([
    gitBytes(root, ['diff', '--name-only', '--no-renames', '-z', base]),
    gitBytes(root, ['ls-files', '--others', '--exclude-standard', '-z']),
  ])
  return [...new Set([...nulSeparated(diff), ...nulSeparated(untracked)])].sort()
}

/** A file's text at `ref`, or `null` when it did not exist there. */
export async function fileAt(root: string, ref: string, path: string): Promise<string | null> {
  try {
    return (await gitBytes(root, ['show', `${ref}:${path}`])).toString('utf8')
  } catch {
    return null
  }
}

/** The files git tracks, relative to `root` (the index: staged new files included). */
export async function trackedFiles(root: string): Promise<string[]> {
  return nulSeparated(await gitBytes(root, ['ls-files', '-z', '--cached']))
}

/** The files whose staged content differs from HEAD and is not a deletion. */
export async function stagedFiles(root: string): Promise<string[]> {
  const args = ['diff', '--cached', '--name-only', '-z', '--diff-filter=ACMR', '--no-renames']
  return nulSeparated(await gitBytes(root, args))
}

/** The staged content of `file` (relative to `root`); `null` when it is over `limit` bytes. */
export async function stagedContent(
  root: string,
  file: string,
  limit: number,
): Promise<Buffer | null> {
  try {
    return await gitBytes(root, ['cat-file', 'blob', `:${file}`], { maxBuffer: limit + 1 })
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return null
    throw error
  }
}
