import { describe, expect, it } from 'vitest'
import { buildPlan } from '../../../src/workflows/eval/plan.js'
import { loadConfig } from '../../../src/config/load.js'
import type { CaseFilter } from '../../../src/core/eval/plan.js'
import { ConfigError, ShipgateError } from '../../../src/errors.js'
import { minimalConfig, tempProject } from '../../helpers/project.js'

const noFilter: CaseFilter = { suites: [], tags: [] }

async function plan(files: Record<string, string>, filter = noFilter) {
  const loaded = await loadConfig({ cwd: tempProject(files), env: {} })
  return buildPlan(loaded, filter)
}

async function planError(files: Record<string, string>): Promise<ConfigError> {
  const error = await plan(files).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(ConfigError)
  return error as ConfigError
}

describe('buildPlan', () => {
  it('renders prompts with suite vars merged under case vars, and prepares checks', async () => {
    const cases =
      '      - { id: a, vars: { name: Ada }, assert: [{ type: contains, value: Ada }] }\n      - { id: b }'
    const { plan: built, cases: stored } = await plan({
      'shipgate.yaml': minimalConfig(
        '    vars: { name: Everyone }\n    tags: [smoke]\n    assert: [{ type: icontains, value: hello }]\n',
        cases,
      ),
    })
    const suite = built.suites[0]
    expect(suite?.cases.map((c) => c.messages()[0]?.content)).toEqual([
      'Say hello to Ada',
      'Say hello to Everyone',
    ])
    expect(suite?.cases.map((c) => c.checks.map((k) => k.type))).toEqual([
      ['icontains', 'contains'],
      ['icontains'],
    ])
    expect(suite?.cases[1]?.tags).toEqual(['smoke'])
    expect(stored.map((c) => [c.suite, c.id])).toEqual([
      ['greet', 'a'],
      ['greet', 'b'],
    ])
    expect(suite?.prompt.version).toMatch(/^[0-9a-f]{12}$/)
  })

  it('derives stable, unique ids from the suite and vars', async () => {
    const cases =
      '      - { vars: { name: Ada } }\n      - { vars: { name: Bob } }\n      - { vars: { name: Ada } }'
    const first = await plan({ 'shipgate.yaml': minimalConfig('', cases) })
    const again = await plan({ 'shipgate.yaml': minimalConfig('', cases) })
    const ids = first.plan.suites[0]?.cases.map((c) => c.id) ?? []
    expect(ids).toEqual(again.plan.suites[0]?.cases.map((c) => c.id))
    expect(new Set(ids).size).toBe(3)
    expect(ids[0]).toMatch(/^greet-[0-9a-f]{8}$/)
    expect(ids[2]).toBe(`${ids[0]}-2`)
  })

  it('reports a case whose vars do not fill the template, at the case', async () => {
    const error = await planError({
      'shipgate.yaml': minimalConfig('', '      - { id: a, vars: { nam: Ada } }'),
    })
    expect(error.issues).toEqual([
      expect.objectContaining({
        file: 'shipgate.yaml',
        line: 13,
        column: 9,
        message: expect.stringMatching(
          /^case "a": prompt "hello" does not render: .*name/,
        ) as unknown,
      }),
    ])
  })

  it('reports an invalid assertion value at the assertion', async () => {
    const error = await planError({
      'shipgate.yaml': minimalConfig(
        '',
        "      - id: a\n        vars: { name: Ada }\n        assert:\n          - { type: regex, value: '(' }",
      ),
    })
    expect(error.issues[0]).toMatchObject({ line: 16, column: 13 })
    expect(error.issues[0]?.message).toMatch(
      /^invalid value for regex: not a valid regular expression/,
    )
  })

  it('reports duplicate case ids', async () => {
    const error = await planError({
      'shipgate.yaml': minimalConfig(
        '',
        '      - { id: a, vars: { name: A } }\n      - { id: a, vars: { name: B } }',
      ),
    })
    expect(error.issues[0]).toMatchObject({
      line: 14,
      message: 'duplicate case id "a" in suite "greet"',
    })
  })

  it('selects cases by tag, and fails clearly when none match', async () => {
    const cases =
      '      - { id: a, vars: { name: A }, tags: [critical] }\n      - { id: b, vars: { name: B } }'
    const { plan: built } = await plan(
      { 'shipgate.yaml': minimalConfig('', cases) },
      { suites: [], tags: ['critical'] },
    )
    expect(built.suites[0]?.cases.map((c) => c.id)).toEqual(['a'])
    const none = await plan(
      { 'shipgate.yaml': minimalConfig('', cases) },
      { suites: [], tags: ['nope'] },
    ).catch((e: unknown) => e)
    expect(none).toBeInstanceOf(ShipgateError)
    expect((none as ShipgateError).exitCode).toBe(2)
  })

  it('rejects an unknown --suite, naming the known ones', async () => {
    const error = await plan(
      { 'shipgate.yaml': minimalConfig() },
      { suites: ['gret'], tags: [] },
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ShipgateError)
    expect((error as ShipgateError).message).toBe('unknown suite "gret"')
    expect((error as ShipgateError).hint).toBe('suites in this config: greet')
  })

  it('overrides repeat', async () => {
    const loaded = await loadConfig({
      cwd: tempProject({ 'shipgate.yaml': minimalConfig('    repeat: 2\n') }),
      env: {},
    })
    expect((await buildPlan(loaded, noFilter)).plan.suites[0]?.repeat).toBe(2)
    expect((await buildPlan(loaded, { ...noFilter, repeat: 5 })).plan.suites[0]?.repeat).toBe(5)
  })
})
