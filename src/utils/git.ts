import { execFile } from 'node:child_process'
import type { GitInfo } from '../contracts/results.js'

/**
 * The commit, branch and dirtiness of the git work tree at `cwd`; `null` outside a repository.
 * In CI the branch comes from the CI's variables when HEAD is detached.
 */
export async function readGitInfo(
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<GitInfo | null> {
  const commit = await git(cwd, ['rev-parse', 'HEAD'])
  if (commit === null) return null
  const [head, status] = await Promise.all([
    git(cwd, ['rev-parse', '--abbrev-ref', 'HEAD']),
    git(cwd, ['status', '--porcelain', '--untracked-files=no']),
  ])
  const branch = head !== null && head !== 'HEAD' ? head : ciBranch(env)
  return { commit, branch, dirty: status !== null && status.length > 0 }
}

function ciBranch(env: Readonly<Record<string, string | undefined>>): string | null {
  return env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || env.CI_COMMIT_REF_NAME || null
}

function git(cwd: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: 5000 }, (error, stdout) => {
      resolve(error === null ? stdout.trim() : null)
    })
  })
}
