import type { GitInfo } from '../../contracts/results.js'
import { gitText } from './run.js'

/**
 * The commit, branch and dirtiness of the git work tree at `cwd`, read with one
 * `git status --porcelain=v2 --branch`; `null` outside a repository or before the first commit.
 * In CI the branch comes from the CI's variables when HEAD is detached.
 */
export async function readGitInfo(
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<GitInfo | null> {
  const out = await git(cwd, ['status', '--porcelain=v2', '--branch', '--untracked-files=no'])
  if (out === null) return null
  const lines = out.split('\n')
  const header = (name: string): string | undefined =>
    lines.find((l) => l.startsWith(`# branch.${name} `))?.slice(`# branch.${name} `.length)
  const commit = header('oid')
  if (commit === undefined || commit === '(initial)') return null
  const head = header('head')
  const branch = head !== undefined && head !== '(detached)' ? head : ciBranch(env)
  return { commit, branch, dirty: lines.some((l) => l !== '' && !l.startsWith('#')) }
}

function ciBranch(env: Readonly<Record<string, string | undefined>>): string | null {
  // An empty variable counts as unset.
  return env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || env.CI_COMMIT_REF_NAME || null
}

async function git(cwd: string, args: string[]): Promise<string | null> {
  try {
    return await gitText(cwd, args, { timeoutMs: 5000 })
  } catch {
    // Not a repository, no commit yet, or no git: the run records no git info.
    return null
  }
}
