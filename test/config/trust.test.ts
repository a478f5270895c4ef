import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/load.js'
import { ConfigError } from '../../src/errors.js'
import { runCli } from '../helpers/cli.js'
import { tempProject } from '../helpers/project.js'

/** A config whose suite `s` reads `cases`; `suite` adds keys to it (issue 14: 16). */
function config(cases: string, suite = ''): string {
  return `version: 1
providers:
  fake: { type: mock, default: '{"ok": true}' }
prompts:
  p: { user: "Hi {{ name }}" }
suites:
  s:
    prompt: p
    provider: fake
    cases: ${cases}
${suite}`
}

const PWN = `"javascript: process.stderr.write('PWNED') || true"`

async function problems(files: Record<string, string>): Promise<string[]> {
  try {
    await loadConfig({ cwd: tempProject(files), env: {} })
    return []
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    return error.issues.map((i) => `${i.file}:${i.line ?? ''}: ${i.message}`)
  }
}

describe('cases files are data (issue 14: 16)', () => {
  it('refuses javascript in a cases file of every format, at its line', async () => {
    const files = {
      'shipgate.yaml': `${config('c.csv')}  t:\n    prompt: p\n    provider: fake\n    cases: c.jsonl\n  y:\n    prompt: p\n    provider: fake\n    cases: sub/c.yaml\n`,
      'c.csv': `name,__expected\na,contains: a\nb,${PWN}\n`,
      'c.jsonl': '{"vars":{"name":"a"},"assert":[{"type":"javascript","value":"true"}]}\n',
      'sub/c.yaml':
        '- vars: { name: a }\n  assert: [{ type: javascript, value: file://../x.js }]\n',
      'x.js': 'export default () => true\n',
    }
    expect(await problems(files)).toEqual([
      'c.csv:3: a javascript assertion in a cases file runs code',
      'c.jsonl:1: a javascript assertion in a cases file runs code',
      'sub/c.yaml:2: a javascript assertion in a cases file runs code',
    ])
  })

  it('refuses file:// references that leave the project, and allows those inside it', async () => {
    const files = {
      'shipgate.yaml': config('evals/c.jsonl'),
      'evals/c.jsonl': [
        '{"vars":{"name":"a"},"assert":[{"type":"json-schema","value":"file://../schemas/s.json"}]}',
        '{"vars":{"name":"b"},"assert":[{"type":"json-schema","value":"file://../../s.json"}]}',
        '{"vars":{"name":"c"},"assert":[{"type":"json-schema","value":"file:///etc/passwd"}]}',
      ].join('\n'),
      'schemas/s.json': '{"type":"object"}',
    }
    expect(await problems(files)).toEqual([
      'evals/c.jsonl:2: "file://../../s.json" points outside the project directory',
      'evals/c.jsonl:3: "file:///etc/passwd" points outside the project directory',
    ])
  })

  it('trusts the config itself, and a cases file its suite opts in for', async () => {
    const files = {
      'shipgate.yaml': config(
        'c.csv',
        '    trustCases: true\n    assert: [{ type: javascript, value: "output.length > 0" }]\n',
      ),
      'c.csv': `name,__expected\nb,${PWN}\n`,
    }
    expect(await problems(files)).toEqual([])
    const inline = config('[{ vars: { name: a }, assert: [{ type: javascript, value: "true" }] }]')
    expect(await problems({ 'shipgate.yaml': inline })).toEqual([])
  })

  it('runs no code of a refused cases file (the built CLI), and runs it once trusted', async () => {
    const dir = tempProject({
      'shipgate.yaml': config('c.csv'),
      'c.csv': `name,__expected\nb,${PWN}\n`,
    })
    const refused = await runCli(['eval', '--no-progress'], { cwd: dir })
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('c.csv:2:1: a javascript assertion in a cases file runs code')
    expect(refused.stderr).toContain('trustCases: true')
    expect(refused.stderr).not.toContain('PWNED')

    const trusted = tempProject({
      'shipgate.yaml': config('c.csv', '    trustCases: true\n'),
      'c.csv': `name,__expected\nb,${PWN}\n`,
    })
    const run = await runCli(['eval', '--no-progress'], { cwd: trusted })
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toContain('PWNED')
  })
})
