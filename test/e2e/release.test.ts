import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ReleaseDiff, ReleaseManifest } from '../../src/contracts/release.js'
import { runCli } from '../helpers/cli.js'
import { tempProject, writeFiles } from '../helpers/project.js'

/*
 * Releases through the built CLI in a throwaway git repository: record one, change a prompt,
 * record another, and the diff, list and show must tell them apart.
 */

const CONFIG = `version: 1
providers:
  bot: { type: openai, model: gpt-4o-mini, params: { temperature: 0.2 } }
prompts:
  answer: prompts/answer.liquid
suites:
  s:
    prompt: answer
    provider: bot
    cases: [{ vars: { q: hi } }]
`

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@e', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim()

function repo(): string {
  const dir = tempProject({
    'shipgate.yaml': CONFIG,
    'prompts/answer.liquid': 'Answer briefly: {{ q }}\n',
    '.gitignore': '.shipgate/\n',
  })
  git(dir, 'init', '-q', '-b', 'main')
  git(dir, 'add', '.')
  git(dir, 'commit', '-q', '-m', 'init')
  return dir
}

describe('shipgate release', () => {
  it('creates releases, diffs a prompt change, flags a dirty tree and shows latest', async () => {
    const dir = repo()
    const first = await runCli(['release', 'create', '--name', 'v1', '--json'], { cwd: dir })
    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    const v1 = (JSON.parse(first.stdout) as { status: string; manifest: ReleaseManifest }).manifest
    expect(v1).toMatchObject({
      name: 'v1',
      code: { commit: git(dir, 'rev-parse', 'HEAD'), dirty: false },
    })
    expect(JSON.parse(readFileSync(join(dir, '.shipgate/release.json'), 'utf8'))).toEqual(v1)

    const same = await runCli(['release', 'create'], { cwd: dir })
    expect(same.code).toBe(0)
    expect(same.stdout).toContain(`release ${v1.id} (v1) exists (same content)`)

    writeFiles(dir, { 'prompts/answer.liquid': 'Answer in one sentence: {{ q }}\n' })
    const second = await runCli(
      ['release', 'create', '--name', 'v2', '--env', 'PROMPT_VERSION=v2'],
      { cwd: dir },
    )
    expect(second.code).toBe(0)
    expect(second.stdout).toMatch(/^release rel-[0-9a-f]{12} \(v2\) created\n/)
    expect(second.stdout).toMatch(/code\s+[0-9a-f]{12} on main \(dirty: uncommitted changes\)/)
    expect(second.stdout).toContain('written  .shipgate/release.json')
    expect(second.stderr).toMatch(/warn: the working tree has uncommitted changes/)

    const diff = await runCli(['release', 'diff', 'v1', 'v2'], { cwd: dir })
    expect(diff.code).toBe(0)
    expect(diff.stdout).toMatch(/^rel-[0-9a-f]{12} → rel-[0-9a-f]{12}: 3 changes\n/)
    expect(diff.stdout).toMatch(
      /prompts\n {2}~ answer {2}sha256:[0-9a-f]{12} → sha256:[0-9a-f]{12}\n/,
    )
    expect(diff.stdout).toMatch(/code\n {2}~ dirty {2}false → true\n/)
    expect(diff.stdout).toMatch(/env\n {2}\+ PROMPT_VERSION {2}v2\n/)
    expect(diff.stdout).not.toMatch(/^models$/m)

    const asJson = await runCli(['release', 'diff', 'v1', 'latest', '--json'], { cwd: dir })
    const parsed = JSON.parse(asJson.stdout) as ReleaseDiff
    expect(parsed.from).toBe(v1.id)
    expect(parsed.prompts).toEqual([
      expect.objectContaining({ name: 'answer', kind: 'changed', before: v1.prompts.answer?.hash }),
    ])

    const show = await runCli(['release', 'show', 'latest'], { cwd: dir })
    expect(show.code).toBe(0)
    expect(show.stdout).toMatch(/^release rel-[0-9a-f]{12} \(v2\)\n/)
    expect(show.stdout).toMatch(/model\s+bot openai gpt-4o-mini api=chat temperature=0.2/)
    expect(show.stdout).toMatch(/env\s+PROMPT_VERSION=v2/)

    const list = await runCli(['release', 'list'], { cwd: dir })
    const rows = list.stdout.trim().split('\n')
    expect(rows).toHaveLength(3)
    expect(rows[1]).toMatch(/^rel-\S+\s+v2\s/)
    expect(rows[2]).toMatch(new RegExp(`^${v1.id}\\s+v1\\s`))
  })

  it('exits 2 for an unknown ref and for a secret in --env', async () => {
    const dir = repo()
    const unknown = await runCli(['release', 'show', 'v9'], { cwd: dir })
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('no release matches "v9"')
    expect(unknown.stderr).toContain('shipgate release list')

    const secret = `sk-proj-${'a1B2'.repeat(10)}`
    const refused = await runCli(['release', 'create', '--env', `NOTE=${secret}`], { cwd: dir })
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/NOTE looks like an OpenAI API key/)
    expect(refused.stderr).not.toContain(secret)
    const list = await runCli(['release', 'list'], { cwd: dir })
    expect(list.stdout).toContain('no releases recorded yet')
  })
})
