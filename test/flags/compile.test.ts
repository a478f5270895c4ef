import { describe, expect, it } from 'vitest'
import { changedFlags, compileFlags, rolloutFlag } from '../../packages/runtime/src/flags/index.js'
import { ConfigError } from '../../src/errors.js'

const FILE = 'flags.json'

function issuesOf(text: string): ConfigError['issues'] {
  try {
    compileFlags(text, FILE)
  } catch (error) {
    if (error instanceof ConfigError) return error.issues
    throw error
  }
  throw new Error('compiled without an error')
}

const good = {
  flags: {
    prompt_version: rolloutFlag({ key: 'prompt_version', from: 'v1', to: 'v2', percent: 10 }),
    judge: { state: 'ENABLED', defaultVariant: 'off', variants: { on: true, off: false } },
  },
}

function withFlag(flag: unknown): string {
  return JSON.stringify({ flags: { ...good.flags, prompt_version: flag } }, null, 2)
}

describe('compileFlags', () => {
  it('compiles a valid flagd file and evaluates it with flagd-core', () => {
    const { core, hashes } = compileFlags(JSON.stringify(good), FILE)
    expect([...hashes.keys()].sort()).toEqual(['judge', 'prompt_version'])
    expect(core.resolveBooleanEvaluation('judge', true, {}).value).toBe(false)
    const r = core.resolveStringEvaluation('prompt_version', 'x', { targetingKey: 'user-1' })
    expect(r.reason).toBe('TARGETING_MATCH')
    expect(['v1', 'v2']).toContain(r.value)
  })

  it('reports JSON syntax errors with line and column', () => {
    const [issue] = issuesOf('{\n  "flags": {\n    "a": 1,\n  }\n}')
    expect(issue).toMatchObject({ file: FILE, line: 4, column: 3 })
    expect(issue?.message).toMatch(/^invalid JSON: /)
  })

  it('names the flag, the path and the line of a schema error', () => {
    const text = withFlag({ ...good.flags.prompt_version, state: 'ON' })
    const issues = issuesOf(text)
    expect(issues).toHaveLength(1)
    expect(issues[0]?.message).toBe("flag 'prompt_version': state must be one of ENABLED, DISABLED")
    const line = text.split('\n').findIndex((l) => l.includes('"ON"')) + 1
    expect(issues[0]).toMatchObject({ file: FILE, line })
    expect(issues[0]?.hint).toContain('flagd.dev')
  })

  it('reports a missing property on the flag that lacks it', () => {
    const { state: _state, ...rest } = good.flags.prompt_version
    const issues = issuesOf(withFlag(rest))
    expect(issues.map((i) => i.message)).toEqual([
      "flag 'prompt_version': missing required property 'state'",
    ])
  })

  it('says what is wrong deep inside targeting, not which alternatives failed', () => {
    const bad = {
      ...good.flags.prompt_version,
      targeting: {
        fractional: [
          ['v2', 'ten'],
          ['v1', 90],
        ],
      },
    }
    const issues = issuesOf(withFlag(bad))
    expect(issues.map((i) => i.message)).toEqual([
      "flag 'prompt_version': targeting.fractional[0][1] must be integer or object",
    ])
    const unknownOp = { ...good.flags.prompt_version, targeting: { fraction: [['v2', 1]] } }
    expect(issuesOf(withFlag(unknownOp)).map((i) => i.message)).toEqual([
      "flag 'prompt_version': targeting has unexpected property 'fraction'",
    ])
  })

  it('summarises variants of mixed types', () => {
    const bad = { ...good.flags.prompt_version, variants: { v1: 'v1', v2: 2 } }
    expect(issuesOf(withFlag(bad)).map((i) => i.message)).toEqual([
      "flag 'prompt_version': variants must all be booleans, all strings, all numbers or all objects",
    ])
  })

  it('catches variants the schema cannot: the default and fractional buckets', () => {
    const badDefault = { ...good.flags.prompt_version, defaultVariant: 'v3' }
    expect(issuesOf(withFlag(badDefault)).map((i) => i.message)).toEqual([
      "flag 'prompt_version': defaultVariant 'v3' is not one of the variants (v1, v2)",
    ])
    const badBucket = {
      ...good.flags.prompt_version,
      targeting: {
        fractional: [
          ['v3', 10],
          ['v1', 90],
        ],
      },
    }
    expect(issuesOf(withFlag(badBucket)).map((i) => i.message)).toEqual([
      "flag 'prompt_version': targeting.fractional[0][0] names variant 'v3', which is not one of the variants (v1, v2)",
    ])
  })

  it('reports a file without flags', () => {
    expect(issuesOf('{"flag": {}}').map((i) => i.message)).toEqual([
      "missing required property 'flags'",
    ])
  })
})

describe('changedFlags', () => {
  it('lists added, removed and changed keys', () => {
    const before = new Map([
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
    ])
    const after = new Map([
      ['a', '1'],
      ['b', '9'],
      ['d', '4'],
    ])
    expect(changedFlags(before, after)).toEqual(['b', 'c', 'd'])
  })
})
