import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

describe('generated docs', () => {
  it('docs/cli.md and docs/config.md match the CLI and the schema (run `npm run docs` when this fails)', () => {
    const script = fileURLToPath(new URL('../../scripts/gen-docs.mjs', import.meta.url))
    const result = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' })
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
  })
})

/*
 * What a new user reads: README.md, docs/*.md and the runtime's README. They cite nothing a user
 * does not have, name no command that does not exist, and install shipgate one way.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const userDocs = (): { file: string; text: string }[] => {
  const files = [
    'README.md',
    'packages/runtime/README.md',
    ...readdirSync(join(ROOT, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ]
  return files.map((file) => ({ file, text: readFileSync(join(ROOT, file), 'utf8') }))
}

describe('user docs', () => {
  it('cite no section of the seed (users do not have it)', () => {
    for (const { file, text } of userDocs()) {
      expect(text, file).not.toMatch(/\bseed's|\bseed §|\(the seed\b|of the seed\b/i)
    }
  })

  it('link the README roadmap to a roadmap', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    expect(readme).toContain('[roadmap](#roadmap)')
    expect(readme).toMatch(/^## Roadmap\n\n[^#]*canar/m)
  })

  it('say how to install shipgate before the first npx shipgate, in one form: packed tarballs', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    const install = readme.indexOf('## Install')
    expect(install).toBeGreaterThan(0)
    expect(install).toBeLessThan(readme.indexOf('npx shipgate'))
    expect(readme).toContain('npm pack && npm pack -w @shipgate/runtime')
    expect(readme).toContain(
      'npm install --save-dev /path/to/shipgate-runtime-0.1.0.tgz /path/to/shipgate-0.1.0.tgz',
    )
    // The quick start of this repository stays as it is.
    expect(readme).toContain('npm ci && npm run demo')
    for (const { file, text } of userDocs()) {
      // A registry or git install of shipgate or its runtime finds nothing today.
      expect(text, file).not.toMatch(
        /npm (i|install|add)( -D| --save-dev)? (@shipgate\/runtime|shipgate)\b/,
      )
      expect(text, file).not.toMatch(/github:[\w-]+\/shipgate/)
    }
  })
})
