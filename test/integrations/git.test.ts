import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readGitInfo } from '../../src/integrations/git/info.js'
import { tempProject } from '../helpers/project.js'

function repo(): string {
  const dir = tempProject({ 'a.txt': 'one\n' })
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim()
  git('init', '-q', '-b', 'feature/x')
  git('-c', 'user.name=t', '-c', 'user.email=t@t', 'add', '.')
  git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'first')
  return dir
}

describe('readGitInfo', () => {
  it('reads the commit, the branch and whether tracked files changed', async () => {
    const dir = repo()
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim()
    expect(await readGitInfo(dir, {})).toEqual({ commit: head, branch: 'feature/x', dirty: false })
    writeFileSync(join(dir, 'untracked.txt'), 'new')
    expect((await readGitInfo(dir, {}))?.dirty).toBe(false)
    writeFileSync(join(dir, 'a.txt'), 'two\n')
    expect((await readGitInfo(dir, {}))?.dirty).toBe(true)
  })

  it('takes the branch from CI variables when HEAD is detached', async () => {
    const dir = repo()
    execFileSync('git', ['checkout', '-q', '--detach'], { cwd: dir })
    expect((await readGitInfo(dir, {}))?.branch).toBeNull()
    expect((await readGitInfo(dir, { GITHUB_HEAD_REF: '', GITHUB_REF_NAME: 'main' }))?.branch).toBe(
      'main',
    )
  })

  it('is null outside a repository and before the first commit', async () => {
    expect(await readGitInfo(tempProject({}), {})).toBeNull()
    const empty = tempProject({})
    execFileSync('git', ['init', '-q'], { cwd: empty })
    expect(await readGitInfo(empty, {})).toBeNull()
  })
})
