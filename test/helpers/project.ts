import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach } from 'vitest'

const made: string[] = []

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** Writes `files` (path → text) into a fresh temp directory, removed after the test. */
export function tempProject(files: Readonly<Record<string, string>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-test-'))
  made.push(dir)
  writeFiles(dir, files)
  return dir
}

/** Writes (or overwrites) files under `dir`. */
export function writeFiles(dir: string, files: Readonly<Record<string, string>>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
}

/** A minimal valid config with one mock provider, one inline prompt and one suite. */
export function minimalConfig(
  suiteExtra = '',
  casesYaml = '      - { id: one, vars: { name: Ada }, assert: [{ type: contains, value: Ada }] }',
): string {
  return `version: 1
providers:
  bot:
    type: mock
prompts:
  hello:
    user: "Say hello to {{ name }}"
suites:
  greet:
    prompt: hello
    provider: bot
${suiteExtra}    cases:
${casesYaml}
`
}
