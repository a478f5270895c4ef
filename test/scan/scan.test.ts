import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { scanSecrets, type ScanOptions } from '../../src/workflows/scan/index.js'
import type { ScanReport } from '../../src/contracts/scan.js'
import { ShipgateError } from '../../src/errors.js'
import { silentLogger } from '../../src/logger.js'
import { tempProject, writeFiles } from '../helpers/project.js'
import { allSecrets, git, gitInit, plantedSecrets } from '../helpers/secrets.js'

const s = plantedSecrets(11)

function scan(cwd: string, options: Partial<ScanOptions> = {}): Promise<ScanReport> {
  return scanSecrets({ cwd, env: {}, logger: silentLogger, ...options })
}

const places = (report: ScanReport) => report.findings.map((f) => `${f.file}:${f.line} ${f.rule}`)

/** A repository with secrets in tracked sources and in a git-ignored cassette. */
function repo(): string {
  const dir = tempProject({
    'src/client.ts': `export const key = "${s.anthropic}"\nexport const gh = '${s.github}'\n`,
    'deploy/.env.example': `AWS_ACCESS_KEY_ID=${s.awsKeyId}\nAWS_SECRET_ACCESS_KEY=${s.awsSecret}\n`,
    'cassettes/openai.jsonl': `${JSON.stringify({ request: { headers: { authorization: `Bearer ${s.openai}` } } })}\n`,
    'README.md': '# nothing to see\n',
    '.gitignore': 'cassettes/\n',
  })
  gitInit(dir)
  return dir
}

describe('scanSecrets', () => {
  it('finds every planted secret, git-ignored cassettes included, and reports none in clear', async () => {
    const dir = repo()
    const report = await scan(dir)
    expect(places(report)).toEqual([
      'cassettes/openai.jsonl:1 openai/OPENAI_TOKEN',
      'deploy/.env.example:1 aws/AWSAccessKeyID',
      'deploy/.env.example:2 aws/AWSSecretAccessKey',
      'src/client.ts:1 anthropic/ANTHROPIC_API_KEY',
      'src/client.ts:2 github/GITHUB_TOKEN',
    ])
    expect(report.filesScanned).toBe(5)
    expect(report.findings[4]).toMatchObject({
      fingerprint: 'src/client.ts:github/GITHUB_TOKEN:2',
      masked: `ghp_…${s.github.slice(-2)}`,
      column: 20,
    })
    const json = JSON.stringify(report)
    for (const secret of allSecrets(s)) expect(json).not.toContain(secret)
  })

  it('suppresses exactly the findings whose fingerprint .gitleaksignore lists', async () => {
    const dir = repo()
    writeFiles(dir, {
      '.gitleaksignore': `# a test key\nsrc/client.ts:github/GITHUB_TOKEN:2\n${'f'.repeat(40)}:deploy/.env.example:aws/AWSAccessKeyID:1\nsrc/client.ts:github/GITHUB_TOKEN:1\n`,
    })
    const report = await scan(dir)
    expect(report.ignored).toBe(2)
    expect(places(report)).toEqual([
      'cassettes/openai.jsonl:1 openai/OPENAI_TOKEN',
      'deploy/.env.example:2 aws/AWSSecretAccessKey',
      'src/client.ts:1 anthropic/ANTHROPIC_API_KEY',
    ])
  })

  it('--staged reads the index: a staged secret no longer in the working tree is found', async () => {
    const dir = tempProject({ 'app.ts': 'export const x = 1\n', 'notes.txt': 'clean\n' })
    gitInit(dir)
    git(dir, 'commit', '-qm', 'first')
    writeFileSync(join(dir, 'app.ts'), `export const token = '${s.github}'\n`)
    git(dir, 'add', 'app.ts')
    writeFileSync(join(dir, 'app.ts'), 'export const token = process.env.TOKEN\n')
    writeFileSync(join(dir, 'notes.txt'), `unstaged ${s.anthropic}\n`)
    const staged = await scan(dir, { staged: true })
    expect(places(staged)).toEqual(['app.ts:1 github/GITHUB_TOKEN'])
    expect(staged.filesScanned).toBe(1)
    expect(places(await scan(dir))).toEqual(['notes.txt:1 anthropic/ANTHROPIC_API_KEY'])
  })

  it('--update-baseline accepts the current findings; a new or changed secret is reported', async () => {
    const dir = repo()
    const written = await scan(dir, { updateBaseline: true })
    expect(written).toMatchObject({ baselined: 5, baselineUpdated: true, findings: [] })
    const file = join(dir, '.shipgate-secrets-baseline.json')
    const text = readFileSync(file, 'utf8')
    for (const secret of allSecrets(s)) expect(text).not.toContain(secret)
    expect(await scan(dir)).toMatchObject({ findings: [], baselined: 5 })

    // Moved down a line: still the same secret in the same file, still accepted.
    writeFiles(dir, {
      'src/client.ts': `// moved\nexport const key = "${s.anthropic}"\nexport const gh = '${s.github}'\n`,
    })
    expect((await scan(dir)).findings).toEqual([])

    const other = plantedSecrets(12)
    writeFiles(dir, {
      'src/client.ts': `// moved\nexport const key = "${other.anthropic}"\nexport const gh = '${s.github}'\n`,
      'src/new.ts': `const t = '${other.github}'\n`,
    })
    git(dir, 'add', 'src/new.ts')
    const later = await scan(dir)
    expect(places(later)).toEqual([
      'src/client.ts:2 anthropic/ANTHROPIC_API_KEY',
      'src/new.ts:1 github/GITHUB_TOKEN',
    ])
    expect(later.baselined).toBe(4)
  })

  it('keeps baseline entries of files a restricted scan did not read', async () => {
    const dir = repo()
    await scan(dir, { updateBaseline: true, baseline: 'accepted.json' })
    await scan(dir, { updateBaseline: true, baseline: 'accepted.json', paths: ['src'] })
    expect(await scan(dir, { baseline: 'accepted.json' })).toMatchObject({
      findings: [],
      baselined: 5,
      baseline: 'accepted.json',
    })
    await expect(scan(dir, { baseline: 'missing.json' })).rejects.toThrow(/does not exist/)
  })

  it('PATHS restrict the scan; an untracked file named explicitly is scanned', async () => {
    const dir = repo()
    writeFiles(dir, { 'scratch.txt': `${s.github}\n` })
    expect(places(await scan(dir, { paths: ['src'] }))).toEqual([
      'src/client.ts:1 anthropic/ANTHROPIC_API_KEY',
      'src/client.ts:2 github/GITHUB_TOKEN',
    ])
    expect(
      places(await scan(join(dir, 'src'), { paths: ['../scratch.txt', '../cassettes'] })),
    ).toEqual(['cassettes/openai.jsonl:1 openai/OPENAI_TOKEN', 'scratch.txt:1 github/GITHUB_TOKEN'])
    expect(places(await scan(dir))).not.toContain('scratch.txt:1 github/GITHUB_TOKEN')
    const missing = scan(dir, { paths: ['nope'] })
    await expect(missing).rejects.toBeInstanceOf(ShipgateError)
    await expect(missing).rejects.toThrow('nope does not exist')
  })

  it('walks the directory outside git, skipping node_modules and .git', async () => {
    const dir = tempProject({
      'a.txt': `${s.github}\n`,
      'node_modules/pkg/index.js': `${s.anthropic}\n`,
      'sub/b.txt': `AWS_SECRET_ACCESS_KEY=${s.awsSecret}\n`,
    })
    const report = await scan(dir)
    expect(places(report)).toEqual([
      'a.txt:1 github/GITHUB_TOKEN',
      'sub/b.txt:1 aws/AWSSecretAccessKey',
    ])
    await expect(scan(dir, { staged: true })).rejects.toThrow('--staged needs a git repository')
  })

  it('skips binary files and files over the size limit', async () => {
    const dir = tempProject({ 'big.txt': `${'x'.repeat(3000)}\n${s.github}\n`, 'ok.txt': 'fine\n' })
    writeFileSync(
      join(dir, 'image.png'),
      Buffer.concat([Buffer.from([0x89, 0, 1]), Buffer.from(s.github)]),
    )
    gitInit(dir)
    const report = await scan(dir, { maxFileBytes: 2048 })
    expect(report.findings).toEqual([])
    expect(report.filesScanned).toBe(1)
    expect(report.skipped).toEqual([
      { file: 'big.txt', reason: 'too-large' },
      { file: 'image.png', reason: 'binary' },
    ])
  })

  it('skips staged blobs over the size limit too', async () => {
    const dir = tempProject({ 'big.txt': `${'x'.repeat(3000)}\n${s.github}\n`, 'ok.txt': 'fine\n' })
    gitInit(dir)
    const report = await scan(dir, { staged: true, maxFileBytes: 2048 })
    expect(report).toMatchObject({ filesScanned: 1, findings: [] })
    expect(report.skipped).toEqual([{ file: 'big.txt', reason: 'too-large' }])
    expect(places(await scan(dir, { staged: true }))).toEqual(['big.txt:2 github/GITHUB_TOKEN'])
  })

  it("always reads the config's cassettes, prompt and case files and .shipgate/, even git-ignored", async () => {
    const dir = tempProject({
      'shipgate.yaml': `version: 1
providers:
  bot: { type: mock }
prompts:
  hello: { system: { file: private/system.liquid }, user: "Hi {{ name }}" }
suites:
  greet:
    prompt: hello
    provider: bot
    cases: private/cases.jsonl
cassettes: { dir: recordings }
`,
      'private/system.liquid': `You are helpful. Key: ${s.anthropic}\n`,
      'private/cases.jsonl': `${JSON.stringify({ vars: { name: s.github } })}\n`,
      'private/other.txt': `${s.awsKeyId}\n`,
      'recordings/a.jsonl': `{"key": "${s.openai}"}\n`,
      '.shipgate/results.json': `{"AWS_SECRET_ACCESS_KEY": "${s.awsSecret}"}\n`,
      '.gitignore': 'private/\nrecordings/\n.shipgate/\n',
    })
    gitInit(dir)
    expect(places(await scan(dir))).toEqual([
      '.shipgate/results.json:1 aws/AWSSecretAccessKey',
      'private/cases.jsonl:1 github/GITHUB_TOKEN',
      'private/system.liquid:1 anthropic/ANTHROPIC_API_KEY',
      'recordings/a.jsonl:1 openai/OPENAI_TOKEN',
    ])
  })

  it('falls back to cassettes/ and .shipgate/ when the config does not load', async () => {
    const dir = tempProject({
      'shipgate.yaml': 'version: 1\nproviders: {}\nsuites: { broken: {} }\n',
      'cassettes/a.jsonl': `{"key": "${s.github}"}\n`,
    })
    gitInit(dir, ['shipgate.yaml'])
    const warnings: string[] = []
    const logger = { ...silentLogger, warn: (m: string) => warnings.push(m) }
    const report = await scanSecrets({ cwd: dir, env: {}, logger })
    expect(places(report)).toEqual(['cassettes/a.jsonl:1 github/GITHUB_TOKEN'])
    expect(warnings).toEqual([expect.stringContaining('shipgate.yaml does not load') as unknown])
  })
})

describe('scanSecrets in a subdirectory', () => {
  it('names files from the repository root', async () => {
    const dir = repo()
    mkdirSync(join(dir, 'src/deep'), { recursive: true })
    const report = await scan(join(dir, 'src/deep'))
    expect(report.findings.map((f) => f.fingerprint)).toContain(
      'src/client.ts:anthropic/ANTHROPIC_API_KEY:1',
    )
  })
})
