import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/load.js'
import { ConfigError, ShipgateError, type ConfigIssue } from '../../src/errors.js'
import { minimalConfig, tempProject } from '../helpers/project.js'

async function issuesOf(
  files: Record<string, string>,
  env: Record<string, string> = {},
): Promise<ConfigIssue[]> {
  const dir = tempProject(files)
  try {
    await loadConfig({ cwd: dir, env })
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues]
    throw error
  }
  throw new Error('expected a ConfigError')
}

describe('loadConfig', () => {
  it('loads a valid config with defaults applied', async () => {
    const dir = tempProject({ 'shipgate.yaml': minimalConfig() })
    const loaded = await loadConfig({ cwd: dir, env: {} })
    expect(loaded.config.runner.concurrency).toBe(8)
    expect(loaded.config.store).toBe('.shipgate/shipgate.db')
    expect(loaded.suites).toHaveLength(1)
    expect(loaded.suites[0]?.config).toMatchObject({ repeat: 1, threshold: 1 })
    expect(loaded.suites[0]?.cases[0]?.location).toEqual({
      file: 'shipgate.yaml',
      line: 13,
      column: 9,
    })
    expect(loaded.prompts.get('hello')?.version).toMatch(/^[0-9a-f]{12}$/)
    expect(loaded.hash).toMatch(/^[0-9a-f]{64}$/)
  })

  it('finds shipgate.yaml in a parent directory', async () => {
    const dir = tempProject({ 'shipgate.yaml': minimalConfig(), 'sub/deeper/.keep': '' })
    const loaded = await loadConfig({ cwd: `${dir}/sub/deeper`, env: {} })
    expect(loaded.dir).toBe(dir)
  })

  it('says how to start when there is no config', async () => {
    const dir = tempProject({})
    const error = await loadConfig({ cwd: dir, env: {} }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ShipgateError)
    expect((error as ShipgateError).exitCode).toBe(2)
    expect((error as ShipgateError).hint).toContain('shipgate init')
  })

  it('names an unknown key with its position and the closest valid key', async () => {
    const issues = await issuesOf({ 'shipgate.yaml': minimalConfig('    treshold: 0.9\n') })
    expect(issues).toEqual([
      {
        file: 'shipgate.yaml',
        line: 12,
        column: 5,
        message: 'unknown key "treshold" in suites.greet',
        hint: 'did you mean "threshold"?',
      },
    ])
  })

  it('names an unknown top-level key', async () => {
    const issues = await issuesOf({ 'shipgate.yaml': `${minimalConfig()}gatez: {}\n` })
    expect(issues[0]).toMatchObject({
      line: 14,
      column: 1,
      message: 'unknown key "gatez" in (top level)',
    })
  })

  it('lists valid keys when no key is close', async () => {
    const issues = await issuesOf({ 'shipgate.yaml': minimalConfig('    zzzzzzzzzz: 1\n') })
    expect(issues[0]?.hint).toMatch(
      /^valid keys here: description, prompt, provider, variants, matrix, cases/,
    )
  })

  it('lists the keys of the object inside a union, not those of the top level', async () => {
    const text = minimalConfig().replace(
      'type: mock',
      'type: mock\n    usage: { inputTokens: 100, input: 1, output: 2 }',
    )
    const issues = await issuesOf({ 'shipgate.yaml': text })
    expect(issues[0]).toMatchObject({
      line: 5,
      message: 'unknown key "inputTokens" in providers.bot.usage',
      hint: 'valid keys here: input, output, cacheRead, cacheWrite, reasoning',
    })
  })

  it('rejects an unknown provider type with a suggestion', async () => {
    const text = minimalConfig().replace('type: mock', 'type: mokc')
    const issues = await issuesOf({ 'shipgate.yaml': text })
    expect(issues).toEqual([
      {
        file: 'shipgate.yaml',
        line: 4,
        column: 11,
        message: 'unknown type "mokc" in providers.bot',
        hint: 'did you mean "mock"?',
      },
    ])
  })

  it('rejects an unknown key inside a provider, knowing the provider type', async () => {
    const text = minimalConfig().replace('type: mock', 'type: mock\n    latency: 5')
    const issues = await issuesOf({ 'shipgate.yaml': text })
    expect(issues[0]).toMatchObject({
      line: 5,
      column: 5,
      message: 'unknown key "latency" in providers.bot',
      hint: 'did you mean "latencyMs"?',
    })
  })

  it('rejects a value of the wrong type', async () => {
    const issues = await issuesOf({ 'shipgate.yaml': minimalConfig('    repeat: three\n') })
    expect(issues[0]).toMatchObject({
      line: 12,
      column: 13,
      message: 'suites.greet.repeat: expected number, got string "three"',
    })
  })

  it('rejects out-of-range values', async () => {
    const issues = await issuesOf({ 'shipgate.yaml': minimalConfig('    threshold: 1.5\n') })
    expect(issues[0]).toMatchObject({ line: 12, column: 16 })
    expect(issues[0]?.message).toMatch(/suites\.greet\.threshold: .*<=1/)
  })

  it('points a missing required key at the object that lacks it', async () => {
    const text = minimalConfig().replace('    provider: bot\n', '')
    const issues = await issuesOf({ 'shipgate.yaml': text })
    expect(issues[0]).toMatchObject({
      line: 10,
      column: 5,
      message: 'suite "greet" has no provider',
      hint: 'add `provider:` to it',
    })
  })

  it('suggests the assertion type meant', async () => {
    const text = minimalConfig().replace('type: contains', 'type: containz')
    const issues = await issuesOf({ 'shipgate.yaml': text })
    expect(issues[0]).toMatchObject({
      line: 13,
      column: 58,
      message: '"containz" is not a valid value for suites.greet.cases.0.assert.0.type',
      hint: 'did you mean "contains"?',
    })
  })

  it('reports YAML syntax errors with their position', async () => {
    const issues = await issuesOf({
      'shipgate.yaml': 'version: 1\nproviders:\n  bot: { type: mock\n',
    })
    expect(issues[0]?.file).toBe('shipgate.yaml')
    expect(issues[0]?.line).toBeGreaterThanOrEqual(3)
    expect(issues[0]?.hint).toContain('YAML')
  })

  it('reports every problem at once', async () => {
    const text = minimalConfig('    treshold: 1\n    repeat: 0\n').replace(
      'type: mock',
      'type: mock\n    bogus: 1',
    )
    const issues = await issuesOf({ 'shipgate.yaml': text })
    expect(issues.map((i) => i.message)).toEqual(
      expect.arrayContaining([
        'unknown key "bogus" in providers.bot',
        'unknown key "treshold" in suites.greet',
      ]),
    )
    expect(issues.length).toBeGreaterThanOrEqual(3)
  })

  it('checks that suites reference defined prompts and providers', async () => {
    const text = minimalConfig()
      .replace('prompt: hello', 'prompt: helo')
      .replace('provider: bot', 'provider: robot')
    const issues = await issuesOf({ 'shipgate.yaml': text })
    expect(issues).toEqual([
      expect.objectContaining({
        line: 10,
        column: 13,
        message: 'suite "greet" uses prompt "helo", which is not defined under prompts',
        hint: 'did you mean "hello"?',
      }),
      expect.objectContaining({
        line: 11,
        column: 15,
        message: 'suite "greet" uses provider "robot", which is not defined under providers',
      }),
    ])
  })

  describe('${VAR} interpolation', () => {
    const withVar = (value: string) =>
      minimalConfig().replace('Say hello to', () => `${value} says hello to`)

    it('substitutes a set variable', async () => {
      const dir = tempProject({ 'shipgate.yaml': withVar('${WHO}') })
      const loaded = await loadConfig({ cwd: dir, env: { WHO: 'Grace' } })
      expect(loaded.prompts.get('hello')?.render({ name: 'Ada' })[0]?.content).toBe(
        'Grace says hello to Ada',
      )
    })

    it('uses the default when unset, and keeps $${...} literal', async () => {
      const dir = tempProject({ 'shipgate.yaml': withVar('${WHO:-Linus} $${HOME}') })
      const loaded = await loadConfig({ cwd: dir, env: {} })
      expect(loaded.prompts.get('hello')?.render({ name: 'Ada' })[0]?.content).toBe(
        'Linus ${HOME} says hello to Ada',
      )
    })

    it('reports an unset variable at its position with a hint', async () => {
      const issues = await issuesOf({ 'shipgate.yaml': withVar('${WHO}') })
      expect(issues).toEqual([
        {
          file: 'shipgate.yaml',
          line: 7,
          column: 11,
          message: 'environment variable WHO is not set',
          hint: 'export WHO=..., or write ${WHO:-default} for a fallback',
        },
      ])
    })
  })

  it('refuses secrets written into config', async () => {
    const key = `sk-ant-api03-${'a'.repeat(40)}`
    const text = minimalConfig().replace('type: mock', `type: mock\n    default: "${key}"`)
    const issues = await issuesOf({ 'shipgate.yaml': text })
    expect(issues).toHaveLength(1)
    expect(issues[0]).toMatchObject({
      line: 5,
      message: 'providers.bot.default looks like an Anthropic API key written into config',
    })
    expect(JSON.stringify(issues)).not.toContain(key)
  })

  it('accepts a secret that arrives through ${VAR}', async () => {
    const key = `sk-ant-api03-${'b'.repeat(40)}`
    const dir = tempProject({
      'shipgate.yaml': minimalConfig().replace('type: mock', 'type: mock\n    default: "${KEY}"'),
    })
    const loaded = await loadConfig({ cwd: dir, env: { KEY: key } })
    expect(loaded.config.providers.bot).toMatchObject({ default: key })
  })

  describe('prompts', () => {
    it('loads a template file as the user message and versions it by content', async () => {
      const files = {
        'shipgate.yaml': minimalConfig().replace(
          '  hello:\n    user: "Say hello to {{ name }}"',
          '  hello: prompts/hello.liquid',
        ),
        'prompts/hello.liquid': 'Hi {{ name }}!',
      }
      const a = await loadConfig({ cwd: tempProject(files), env: {} })
      const b = await loadConfig({
        cwd: tempProject({ ...files, 'prompts/hello.liquid': 'Hello {{ name }}!' }),
        env: {},
      })
      const same = await loadConfig({ cwd: tempProject(files), env: {} })
      expect(a.prompts.get('hello')?.render({ name: 'Ada' })).toEqual([
        { role: 'user', content: 'Hi Ada!' },
      ])
      expect(a.prompts.get('hello')?.version).not.toBe(b.prompts.get('hello')?.version)
      expect(a.prompts.get('hello')?.version).toBe(same.prompts.get('hello')?.version)
    })

    it('renders system and user messages, inline or from files', async () => {
      const text = minimalConfig().replace(
        '    user: "Say hello to {{ name }}"',
        '    system: { file: sys.liquid }\n    user: "Say hello to {{ name }}"',
      )
      const loaded = await loadConfig({
        cwd: tempProject({ 'shipgate.yaml': text, 'sys.liquid': 'Be brief.' }),
        env: {},
      })
      expect(loaded.prompts.get('hello')?.render({ name: 'Ada' })).toEqual([
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Say hello to Ada' },
      ])
    })

    it('reports a missing template file', async () => {
      const text = minimalConfig().replace(
        '  hello:\n    user: "Say hello to {{ name }}"',
        '  hello: prompts/missing.liquid',
      )
      const issues = await issuesOf({ 'shipgate.yaml': text })
      expect(issues[0]).toMatchObject({
        line: 6,
        column: 10,
        message: 'prompt "hello": cannot read template file: prompts/missing.liquid does not exist',
      })
    })

    it('reports liquid syntax errors', async () => {
      const text = minimalConfig().replace('{{ name }}', '{% if name %}')
      const issues = await issuesOf({ 'shipgate.yaml': text })
      expect(issues[0]?.message).toMatch(/^prompt "hello": .*if/)
      expect(issues[0]?.hint).toContain('liquid')
    })
  })

  describe('case files', () => {
    const withCases = (path: string) =>
      minimalConfig('', '').replace('    cases:\n\n', `    cases: ${path}\n`)

    it('reads YAML cases with their positions', async () => {
      const loaded = await loadConfig({
        cwd: tempProject({
          'shipgate.yaml': withCases('evals/c.yaml'),
          'evals/c.yaml': '- vars: { name: A }\n- id: b\n  vars: { name: B }\n',
        }),
        env: {},
      })
      expect(loaded.suites[0]?.cases.map((c) => c.location)).toEqual([
        { file: 'evals/c.yaml', line: 1, column: 3 },
        { file: 'evals/c.yaml', line: 2, column: 3 },
      ])
    })

    it('reads JSONL cases, and names the line of a bad one', async () => {
      const good = {
        'shipgate.yaml': withCases('c.jsonl'),
        'c.jsonl': '{"vars":{"name":"A"}}\n\n{"id":"b","vars":{"name":"B"}}\n',
      }
      const loaded = await loadConfig({ cwd: tempProject(good), env: {} })
      expect(loaded.suites[0]?.cases.map((c) => c.location)).toMatchObject([
        { line: 1 },
        { line: 3 },
      ])
      const issues = await issuesOf({
        ...good,
        'c.jsonl': '{"vars":{"name":"A"}}\n{"vars":{"name":"B"},"tagz":[]}\n{oops\n',
      })
      expect(issues).toEqual([
        expect.objectContaining({
          file: 'c.jsonl',
          line: 3,
          column: 1,
          message: expect.stringMatching(/^not valid JSON/) as unknown,
        }),
        expect.objectContaining({
          file: 'c.jsonl',
          line: 2,
          message: 'unknown key "tagz" in 1',
          hint: 'did you mean "tags"?',
        }),
      ])
    })

    it('reads CSV cases with promptfoo columns', async () => {
      const csv =
        'name,__id,__description,__tags,__expected,__expected2\nAda,a1,first,"x, y",contains: Ada,not-icontains:bye\nBob,,,,Hello Bob,\n'
      const loaded = await loadConfig({
        cwd: tempProject({ 'shipgate.yaml': withCases('c.csv'), 'c.csv': csv }),
        env: {},
      })
      const [first, second] = loaded.suites[0]?.cases ?? []
      expect(first?.config).toMatchObject({
        id: 'a1',
        description: 'first',
        tags: ['x', 'y'],
        vars: { name: 'Ada' },
      })
      expect(first?.config.assert).toEqual([
        { type: 'contains', value: 'Ada', weight: 1 },
        { type: 'not-icontains', value: 'bye', weight: 1 },
      ])
      expect(first?.location).toMatchObject({ line: 2 })
      expect(second?.config.assert).toEqual([{ type: 'equals', value: 'Hello Bob', weight: 1 }])
    })

    it('reports a missing case file and an unsupported extension', async () => {
      // Reported where shipgate.yaml names the file (issue 14: 5).
      expect((await issuesOf({ 'shipgate.yaml': withCases('nope.yaml') }))[0]).toMatchObject({
        file: 'shipgate.yaml',
        line: 12,
        message: 'cases file nope.yaml does not exist',
      })
      expect(
        (await issuesOf({ 'shipgate.yaml': withCases('c.txt'), 'c.txt': '' }))[0],
      ).toMatchObject({
        file: 'shipgate.yaml',
        line: 12,
        message: 'cases file c.txt has an unsupported type ".txt"',
      })
    })

    it('reports a suite without cases', async () => {
      expect(
        (await issuesOf({ 'shipgate.yaml': withCases('c.jsonl'), 'c.jsonl': '\n' }))[0]?.message,
      ).toBe('suite "greet" has no cases')
    })
  })
})
