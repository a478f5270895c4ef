import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/load.js'
import { ConfigError, type ConfigIssue } from '../../src/errors.js'
import { tempProject } from '../helpers/project.js'

/* A suite's `variants:` and `matrix:` as the config loads them, and the mistakes it refuses. */

function config(suite: string): string {
  return `version: 1
providers:
  a: { type: mock, default: A }
  b: { type: mock, default: B }
prompts:
  v1: { user: "One {{ n }}" }
  v2: { user: "Two {{ n }}" }
suites:
  s:
${suite}
    cases: [{ id: c1, vars: { n: 1 } }]
`
}

async function load(suite: string) {
  return loadConfig({ cwd: tempProject({ 'shipgate.yaml': config(suite) }), env: {} })
}

async function issuesOf(suite: string): Promise<ConfigIssue[]> {
  const error = await load(suite).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(ConfigError)
  return [...(error as ConfigError).issues]
}

describe('suite variants', () => {
  it('crosses a matrix into prompt@provider variants, prompts outer', async () => {
    const loaded = await load('    matrix: { prompt: [v1, v2], provider: [a, b] }')
    expect(loaded.suites[0]?.variants).toEqual([
      { name: 'v1@a', prompt: 'v1', provider: 'a', instance: 'a' },
      { name: 'v1@b', prompt: 'v1', provider: 'b', instance: 'b' },
      { name: 'v2@a', prompt: 'v2', provider: 'a', instance: 'a' },
      { name: 'v2@b', prompt: 'v2', provider: 'b', instance: 'b' },
    ])
  })

  it('names a one-axis matrix variant by its value, the suite giving the other', async () => {
    const loaded = await load('    provider: a\n    matrix: { prompt: [v1, v2] }')
    expect(loaded.suites[0]?.variants.map((v) => [v.name, v.prompt, v.provider])).toEqual([
      ['v1', 'v1', 'a'],
      ['v2', 'v2', 'a'],
    ])
  })

  it('defaults named variants to the suite, and merges params into a provider of their own', async () => {
    const loaded = await load(
      '    prompt: v1\n    provider: a\n    variants:\n      base: {}\n      new@b: { prompt: v2, provider: b, params: { default: C } }',
    )
    expect(loaded.suites[0]?.variants).toEqual([
      { name: 'base', prompt: 'v1', provider: 'a', instance: 'a' },
      { name: 'new@b', prompt: 'v2', provider: 'b', instance: 'b(s[new@b])' },
    ])
    expect(loaded.variantProviders.get('b(s[new@b])')).toMatchObject({ type: 'mock', default: 'C' })
    // The entry itself is unchanged: other suites still run on it as written.
    expect(loaded.config.providers.b).toMatchObject({ default: 'B' })
  })

  it('puts request params of an anthropic provider under its params, keeping its own', async () => {
    const dir = tempProject({
      'shipgate.yaml': `version: 1
providers:
  h: { type: anthropic, model: claude-3-5-haiku-20241022, params: { max_tokens: 100 } }
prompts:
  p: { user: "Hi" }
suites:
  s:
    prompt: p
    provider: h
    variants:
      hot: { params: { temperature: 1, model: claude-sonnet-4-20250514 } }
    cases: [{ id: c1 }]
`,
    })
    const loaded = await loadConfig({ cwd: dir, env: {} })
    expect(loaded.variantProviders.get('h(s[hot])')).toMatchObject({
      model: 'claude-sonnet-4-20250514',
      params: { max_tokens: 100, temperature: 1 },
    })
  })

  it('refuses variants and matrix together, at the matrix', async () => {
    const issues = await issuesOf(
      '    prompt: v1\n    provider: a\n    variants: { x: {} }\n    matrix: { provider: [a, b] }',
    )
    expect(issues).toEqual([
      expect.objectContaining({
        file: 'shipgate.yaml',
        line: 13,
        message: 'suite "s" has both variants and matrix',
        hint: expect.stringContaining('keep one') as string,
      }),
    ])
  })

  it('names what a variant lacks when the suite has no default', async () => {
    const issues = await issuesOf(
      '    provider: a\n    variants:\n      x: { prompt: v1 }\n      y: {}',
    )
    expect(issues).toEqual([
      expect.objectContaining({
        line: 13,
        message: 'variant "y" of suite "s" has no prompt, and the suite none to default to',
      }),
    ])
    const matrix = await issuesOf('    matrix: { provider: [a, b] }')
    expect(matrix).toEqual([
      expect.objectContaining({
        line: 10,
        message: 'suite "s" has no prompt, and its matrix no prompt axis',
      }),
    ])
    const plain = await issuesOf('    provider: a')
    expect(plain.map((i) => i.message)).toEqual(['suite "s" has no prompt'])
  })

  it('reports unknown prompt and provider names of variants and matrices at their line', async () => {
    const issues = await issuesOf(
      '    prompt: v1\n    variants:\n      x: { provider: bb }\n      y: { provider: a, prompt: v3 }',
    )
    expect(issues.map((i) => [i.line, i.message, i.hint])).toEqual([
      [
        12,
        'variant "x" of suite "s" uses provider "bb", which is not defined under providers',
        'did you mean "b"?',
      ],
      [
        13,
        'variant "y" of suite "s" uses prompt "v3", which is not defined under prompts',
        'did you mean "v1"?',
      ],
    ])
    const matrix = await issuesOf('    matrix:\n      prompt: [v1, nope]\n      provider: [a]')
    expect(matrix.map((i) => [i.line, i.message])).toEqual([
      [11, 'variant "nope@a" of suite "s" uses prompt "nope", which is not defined under prompts'],
    ])
  })

  it('refuses invalid variant names, a repeated axis value and params the provider does not take', async () => {
    const names = await issuesOf('    prompt: v1\n    provider: a\n    variants: { "a[b]": {} }')
    expect(names[0]?.message).toMatch(/"@"/)
    const twice = await issuesOf('    prompt: v1\n    matrix: { provider: [a, a] }')
    expect(twice.map((i) => i.message)).toEqual(['"a" is twice in the provider axis of suite "s"'])
    const params = await issuesOf(
      '    prompt: v1\n    provider: a\n    variants:\n      x: { params: { latencyMs: fast } }',
    )
    expect(params).toEqual([
      expect.objectContaining({
        line: 13,
        message: expect.stringMatching(
          /^variant "x" of suite "s": provider "a" with these params is invalid: .*latencyMs/,
        ) as string,
      }),
    ])
  })
})
