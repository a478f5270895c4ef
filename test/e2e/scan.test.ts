import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ScanReport } from '../../src/contracts/scan.js'
import { runCli } from '../helpers/cli.js'
import { tempProject, writeFiles } from '../helpers/project.js'
import { allSecrets, git, gitInit, plantedSecrets } from '../helpers/secrets.js'
import { sarifErrors } from '../scan/sarif-schema.js'

/*
 * `shipgate scan` end to end: the built CLI on throwaway git repositories with planted
 * credentials in sources and in a git-ignored cassette. No secret may reach stdout, stderr, the
 * JSON or the SARIF file.
 */

const s = plantedSecrets(21)

function repo(): string {
  const dir = tempProject({
    'src/llm.ts': `const anthropic = "${s.anthropic}"\nconst openai = "${s.openai}"\n`,
    'infra/aws.env': `AWS_ACCESS_KEY_ID=${s.awsKeyId}\nAWS_SECRET_ACCESS_KEY=${s.awsSecret}\n`,
    'scripts/release.sh': `#!/bin/sh\nGITHUB_TOKEN=${s.github} gh release create\n`,
    'cassettes/anthropic.jsonl': `${JSON.stringify({ response: { body: { note: s.anthropic } }, headers: { 'x-api-key': s.anthropic } })}\n`,
    '.gitignore': 'cassettes/\n',
  })
  gitInit(dir)
  return dir
}

function expectNoSecret(...texts: string[]): void {
  for (const text of texts) for (const secret of allSecrets(s)) expect(text).not.toContain(secret)
}

describe('shipgate scan', () => {
  it('finds every planted secret, exits 1, and prints, writes and logs none of them', async () => {
    const dir = repo()
    const run = await runCli(['scan', '--sarif', 'scan.sarif'], { cwd: dir })
    expect(run.code).toBe(1)
    const lines = run.stdout.trimEnd().split('\n')
    const cassette = readFileSync(join(dir, 'cassettes/anthropic.jsonl'), 'utf8')
    const first = cassette.indexOf(s.anthropic) + 1
    const second = cassette.indexOf(s.anthropic, first) + 1
    expect(lines.slice(0, -1).map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual([
      `cassettes/anthropic.jsonl:1:${first} anthropic/ANTHROPIC_API_KEY`,
      `cassettes/anthropic.jsonl:1:${second} anthropic/ANTHROPIC_API_KEY`,
      'infra/aws.env:1:19 aws/AWSAccessKeyID',
      'infra/aws.env:2:23 aws/AWSSecretAccessKey',
      'scripts/release.sh:2:14 github/GITHUB_TOKEN',
      'src/llm.ts:1:20 anthropic/ANTHROPIC_API_KEY',
      'src/llm.ts:2:17 openai/OPENAI_TOKEN',
    ])
    expect(lines.at(-1)).toBe(
      'scanned 5 files: 7 findings, 0 suppressed (0 ignored, 0 baselined), 0 skipped',
    )
    expect(lines[4]).toMatch(
      new RegExp(
        `github/GITHUB_TOKEN +ghp_…${s.github.slice(-2)} +scripts/release\\.sh:github/GITHUB_TOKEN:2$`,
      ),
    )
    expect(run.stderr).toContain('.gitleaksignore')
    const sarif = readFileSync(join(dir, 'scan.sarif'), 'utf8')
    expectNoSecret(run.stdout, run.stderr, sarif)
    expect(sarifErrors(JSON.parse(sarif))).toEqual([])

    const json = await runCli(['scan', '--json'], { cwd: dir })
    expect(json.code).toBe(1)
    expectNoSecret(json.stdout, json.stderr)
    const report = JSON.parse(json.stdout) as ScanReport
    expect(report.findings).toHaveLength(7)
    expect(report.findings.every((f) => f.masked.includes('…'))).toBe(true)
  })

  it('exits 0 once each finding is ignored by fingerprint or accepted by the baseline', async () => {
    const dir = repo()
    writeFiles(dir, { '.gitleaksignore': 'scripts/release.sh:github/GITHUB_TOKEN:2\n' })
    const ignoredOne = await runCli(['scan', '--json'], { cwd: dir })
    const report = JSON.parse(ignoredOne.stdout) as ScanReport
    expect(report.ignored).toBe(1)
    expect(report.findings.map((f) => f.fingerprint)).not.toContain(
      'scripts/release.sh:github/GITHUB_TOKEN:2',
    )
    expect(report.findings).toHaveLength(6)
    expect(report.findings.map((f) => f.fingerprint)).toContain('src/llm.ts:openai/OPENAI_TOKEN:2')

    const update = await runCli(['scan', '--update-baseline'], { cwd: dir })
    expect(update.code).toBe(0)
    expect(update.stdout).toContain('7 suppressed (1 ignored, 6 baselined)')
    expectNoSecret(
      update.stdout,
      update.stderr,
      readFileSync(join(dir, '.shipgate-secrets-baseline.json'), 'utf8'),
    )
    // One file more than before: the baseline, in .shipgate/, is scanned too.
    const clean = await runCli(['scan'], { cwd: dir })
    expect(clean.code).toBe(0)
    expect(clean.stdout).toBe(
      'scanned 5 files: 0 findings, 7 suppressed (1 ignored, 6 baselined), 0 skipped\n',
    )

    writeFiles(dir, { 'src/new.ts': `export const t = '${plantedSecrets(22).github}'\n` })
    git(dir, 'add', 'src/new.ts')
    const fresh = await runCli(['scan'], { cwd: dir })
    expect(fresh.code).toBe(1)
    expect(fresh.stdout).toContain('src/new.ts:1:19')
  })

  it('--staged, for a pre-commit hook, scans what is about to be committed', async () => {
    const dir = tempProject({ 'ok.ts': 'export {}\n' })
    gitInit(dir)
    expect((await runCli(['scan', '--staged'], { cwd: dir })).code).toBe(0)
    writeFiles(dir, { 'ok.ts': `export const k = "${s.anthropic}"\n` })
    git(dir, 'add', 'ok.ts')
    writeFiles(dir, { 'ok.ts': 'export {}\n' })
    const run = await runCli(['scan', '--staged'], { cwd: dir })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('ok.ts:1:19  anthropic/ANTHROPIC_API_KEY')
    expectNoSecret(run.stdout, run.stderr)
  })

  it('exits 2 on usage errors', async () => {
    const dir = repo()
    const missing = await runCli(['scan', 'no/such/dir'], { cwd: dir })
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('no/such/dir does not exist')
    const both = await runCli(['scan', '--staged', '--update-baseline'], { cwd: dir })
    expect(both.code).toBe(2)
    const outside = await runCli(['scan', '--staged'], { cwd: tempProject({ 'a.txt': 'x\n' }) })
    expect(outside.code).toBe(2)
  })
})
