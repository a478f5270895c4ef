/**
 * What is not mapped is reported at its file and line, with why; `--check` writes nothing;
 * existing files are never overwritten without `force`.
 */
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ShipgateError } from '../../../src/errors.js'
import { importPromptfoo } from '../../../src/workflows/import/index.js'
import { tempProject } from '../../helpers/project.js'
import { FIXTURES, imported } from './helpers.js'

const where = (f: { file: string; line: number; feature: string }) =>
  `${f.file}:${f.line}: ${f.feature}`

describe('the not-mapped report', () => {
  it('lists every unmappable feature of a config at its line, with the reason', async () => {
    const { report } = await imported('unmappable')
    expect(report.findings.map(where)).toEqual([
      'promptfooconfig.yaml:12: scenarios',
      'promptfooconfig.yaml:6: provider "bedrock:anthropic.claude-3-haiku"',
      'promptfooconfig.yaml:9: provider openai:gpt-4o-mini: apiKey',
      'promptfooconfig.yaml:10: provider openai:gpt-4o-mini: config.tools',
      'promptfooconfig.yaml:3: prompt file://prompt_builder.py',
      'promptfooconfig.yaml:14: test generator file://generate_tests.py:create_tests',
      'promptfooconfig.yaml:24: tests file://remote.js',
      'promptfooconfig.yaml:17: test providers',
      'promptfooconfig.yaml:16: var file://owl.png',
      'promptfooconfig.yaml:19: assert type "contains-json"',
      'promptfooconfig.yaml:20: assert type "python"',
    ])
    expect(report.findings.every((f) => f.kind === 'unmapped')).toBe(true)
    const python = report.findings.find((f) => f.feature === 'assert type "python"')
    expect(python?.reason).toContain('shipgate runs no Python inside assertions')
    const key = report.findings.find((f) => f.feature.endsWith('apiKey'))
    expect(key?.reason).toContain('never copied')
    // The literal key is not in anything written.
    expect(report.written).toBe(true)
    expect(report.loadIssues).toEqual([])
  })

  it('never writes a literal API key', async () => {
    const { dir } = await imported('unmappable')
    const written = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.(yaml|liquid)$/.test(f) && !f.startsWith('promptfooconfig'))
      .map((f) => readFileSync(join(dir, f), 'utf8'))
    expect(written.length).toBeGreaterThanOrEqual(2)
    expect(written.join('\n')).not.toContain('sk-not-a-real-key')
  })

  it('reports untranslatable nunjucks at the line of the prompt file', async () => {
    const { report } = await imported('nunjucks-filters')
    expect(report.findings.map((f) => `${where(f)} — ${f.reason}`)).toEqual([
      'prompts/macro.txt:1: template {% macro shout(text) %} — the nunjucks tag "macro" has no liquid equivalent here; kept as literal text',
      'prompts/macro.txt:2: template {{ name | title }} — nunjucks filter "title" has no liquid equivalent; kept as literal text',
      'prompts/macro.txt:3: template {{ shout(name) }} — expression "shout(name)" is not a variable or a literal; kept as literal text',
    ])
  })

  it('reports Python asserts in a CSV at the row, and in YAML at the assertion', async () => {
    expect((await imported('csv-tests')).report.findings.map(where)).toEqual([
      'tests.csv:6: assert type "python"',
    ])
    expect((await imported('js-python-asserts')).report.findings.map(where)).toEqual([
      'promptfooconfig.yaml:34: assert type "python"',
      'promptfooconfig.yaml:36: assert type "python"',
    ])
  })

  it('maps transform as it is', async () => {
    const { dir, report } = await imported('default-test')
    expect(report.findings.find((f) => f.feature === 'transform')).toBeUndefined()
    expect(readFileSync(join(dir, 'shipgate.yaml'), 'utf8')).toContain('transform: output.trim()')
  })

  it('maps levenshtein and rouge-n, and reports g-eval rescaled', async () => {
    const { dir, report } = await imported('model-graded')
    const cases = readFileSync(join(dir, 'promptfoo.cases.yaml'), 'utf8')
    for (const type of ['levenshtein', 'rouge-n']) {
      expect(report.findings.find((f) => f.feature === `assert type "${type}"`)).toBeUndefined()
      expect(cases).toContain(`type: ${type}`)
    }
    expect(report.findings.find((f) => f.feature === 'assert g-eval threshold')).toMatchObject({
      kind: 'changed',
      line: 24,
    })
    expect(cases).toContain('threshold: 7')
  })
})

describe('writing', () => {
  it('--check loads the result but writes nothing', async () => {
    const dir = tempProject({})
    cpSync(join(FIXTURES, 'csv-tests'), dir, { recursive: true })
    const before = readdirSync(dir, { recursive: true }).sort()
    const report = await importPromptfoo({ cwd: dir, env: {}, check: true })
    expect(readdirSync(dir, { recursive: true }).sort()).toEqual(before)
    expect(report).toMatchObject({ checked: true, written: false, cases: 5, loadIssues: [] })
    expect(report.files.map((f) => f.path)).toEqual([
      'shipgate.yaml',
      'promptfoo.cases.yaml',
      'prompts/prompt.liquid',
    ])
  })

  it('refuses to overwrite a file with other contents, and overwrites with force', async () => {
    const dir = tempProject({})
    cpSync(join(FIXTURES, 'openai-basic'), dir, { recursive: true })
    writeFileSync(join(dir, 'shipgate.yaml'), 'version: 1\n# mine\n')
    const error = await importPromptfoo({ cwd: dir, env: {} }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ShipgateError)
    expect((error as ShipgateError).message).toContain('shipgate.yaml already exist')
    expect((error as ShipgateError).hint).toContain('--force')
    expect(readFileSync(join(dir, 'shipgate.yaml'), 'utf8')).toBe('version: 1\n# mine\n')
    expect(existsSync(join(dir, 'promptfoo.cases.yaml'))).toBe(false)
    const forced = await importPromptfoo({ cwd: dir, env: {}, force: true })
    expect(forced.files.find((f) => f.path === 'shipgate.yaml')?.status).toBe('differs')
    expect(readFileSync(join(dir, 'shipgate.yaml'), 'utf8')).toContain('type: openai')
    // Importing again finds every file the same: nothing to force.
    const again = await importPromptfoo({ cwd: dir, env: {} })
    expect(again.files.every((f) => f.status === 'same')).toBe(true)
  })

  it('writes more than 1,000 cases as JSONL, which loads quickly', async () => {
    const dir = tempProject({})
    cpSync(join(FIXTURES, 'csv-tests'), dir, { recursive: true })
    const rows = Array.from({ length: 1001 }, (_, i) => `Question ${i}?,contains: ${i}`)
    writeFileSync(join(dir, 'tests.csv'), ['question,__expected', ...rows].join('\n'))
    const report = await importPromptfoo({ cwd: dir, env: {} })
    expect(report).toMatchObject({ written: true, cases: 1001, findings: [] })
    const lines = readFileSync(join(dir, 'promptfoo.cases.jsonl'), 'utf8').trimEnd().split('\n')
    expect(lines).toHaveLength(1001)
    expect(JSON.parse(lines[1000] ?? '')).toEqual({
      vars: { question: 'Question 1000?' },
      assert: [{ type: 'contains', value: '1000' }],
    })
    expect(existsSync(join(dir, 'promptfoo.cases.yaml'))).toBe(false)
  })

  it('writes into --out, with file:// paths still resolving there', async () => {
    const src = tempProject({})
    cpSync(join(FIXTURES, 'js-python-asserts'), src, { recursive: true })
    const out = tempProject({})
    const report = await importPromptfoo({ cwd: src, env: {}, out })
    expect(report.written).toBe(true)
    expect(readFileSync(join(out, 'checks/count.js'), 'utf8')).toContain('isFour')
    expect(readFileSync(join(out, 'promptfoo.cases.yaml'), 'utf8')).toContain(
      'file://checks/count.js:isFour',
    )
  })
})
