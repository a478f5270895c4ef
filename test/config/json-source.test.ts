import { describe, expect, it } from 'vitest'
import { parseJsonSource } from '../../src/config/json-source.js'
import { loadConfig } from '../../src/config/load.js'
import { ConfigError, type ConfigIssue } from '../../src/errors.js'
import { tempProject } from '../helpers/project.js'

// Issue 13 item 7: a JSON config or cases file is parsed as JSON (with positions found on
// demand), not by the YAML parser.
const config = (suite: object): string =>
  JSON.stringify(
    {
      version: 1,
      providers: { m: { type: 'mock', default: 'ok' } },
      prompts: { p: { user: 'q {{ n }}' } },
      suites: { s: { prompt: 'p', provider: 'm', ...suite } },
    },
    null,
    2,
  )

async function issuesOf(files: Record<string, string>, env = {}): Promise<ConfigIssue[]> {
  const error = await loadConfig({ cwd: tempProject(files), env }).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(ConfigError)
  return [...(error as ConfigError).issues]
}

describe('JSON config and cases files', () => {
  it('finds shipgate.json and reads a .json cases file, with each case at its line', async () => {
    const cases = JSON.stringify([{ vars: { n: 1 } }, { vars: { n: 2 }, assert: [] }], null, 2)
    const dir = tempProject({
      'shipgate.json': config({ cases: 'cases.json' }),
      'cases.json': cases,
    })
    const loaded = await loadConfig({ cwd: dir, env: {} })
    expect(loaded.suites[0]?.cases.map((c) => c.location)).toEqual([
      { file: 'cases.json', line: 2, column: 3 },
      { file: 'cases.json', line: 7, column: 3 },
    ])
  })

  it('names an unknown key of shipgate.json at its line and column', async () => {
    const issues = await issuesOf({ 'shipgate.json': config({ treshold: 0.9, cases: [] }) })
    expect(issues[0]).toMatchObject({
      file: 'shipgate.json',
      line: 18,
      column: 7,
      message: 'unknown key "treshold" in suites.s',
    })
  })

  it('names a wrong value in a .json cases file at its line', async () => {
    const cases = JSON.stringify([{ vars: { n: 1 } }, { vars: { n: 2 }, repeat: 'x' }], null, 2)
    const issues = await issuesOf({
      'shipgate.json': config({ cases: 'cases.json' }),
      'cases.json': cases,
    })
    expect(issues[0]).toMatchObject({ file: 'cases.json', line: 11 })
  })

  it('reports JSON syntax errors at their line', async () => {
    const issues = await issuesOf({ 'shipgate.json': '{\n  "version": 1,\n  "x": ]\n}' })
    expect(issues).toHaveLength(1)
    expect(issues[0]).toMatchObject({ file: 'shipgate.json', line: 3 })
    expect(issues[0]?.message).toMatch(/^not valid JSON/)
  })

  it('interpolates ${VAR} in strings and names an unset one at its line', async () => {
    const text = config({ cases: [{ vars: { n: '${N}' } }, { vars: { n: '${MISSING}' } }] })
    const issues = await issuesOf({ 'shipgate.json': text }, { N: '3' })
    expect(issues).toEqual([
      expect.objectContaining({
        file: 'shipgate.json',
        line: text.split('\n').findIndex((l) => l.includes('MISSING')) + 1,
        message: 'environment variable MISSING is not set',
      }),
    ])
  })

  it('locates values past the indexed depth at their nearest indexed ancestor', () => {
    const deep = `${'['.repeat(5000)}1${']'.repeat(5000)}`
    const { source } = parseJsonSource('x.json', `{\n "a": ${deep}, "b": 2}`)
    expect(source?.locate(['b'])).toEqual({ line: 2, column: 10015 })
    expect(source?.locate(['a', 0, 0])).toEqual({ line: 2, column: 9 })
  })
})
