import { describe, expect, it } from 'vitest'
import {
  assertionTypeNames,
  builtinAssertions,
  JUDGE_TYPES,
  prepareAssertion,
} from '../../src/assertions/index.js'
import type { AssertionInput, AssertionSpec } from '../../src/contracts/assertion.js'
import { configError, grade, plainContext } from './support.js'

/** A sample of the table: an output, or an output with the answer's tool calls. */
type Sample = string | { output: string; toolCalls: AssertionInput['toolCalls'] }

/** For every negatable type: a spec, an output it passes and an output it fails. */
const NEGATABLE: Record<string, [AssertionSpec, Sample, Sample]> = {
  equals: [{ type: 'equals', value: 'a' }, 'a', 'b'],
  contains: [{ type: 'contains', value: 'a' }, 'xax', 'xbx'],
  icontains: [{ type: 'icontains', value: 'A' }, 'xax', 'xbx'],
  'contains-any': [{ type: 'contains-any', value: ['a', 'b'] }, 'b', 'c'],
  'icontains-any': [{ type: 'icontains-any', value: 'A,B' }, 'b', 'c'],
  'contains-all': [{ type: 'contains-all', value: ['a', 'b'] }, 'ab', 'a'],
  'icontains-all': [{ type: 'icontains-all', value: 'A,B' }, 'ab', 'a'],
  regex: [{ type: 'regex', value: '^a+$' }, 'aaa', 'aab'],
  'starts-with': [{ type: 'starts-with', value: 'a' }, 'ab', 'ba'],
  'is-json': [{ type: 'is-json' }, '{}', '{'],
  'json-schema': [{ type: 'json-schema', value: { type: 'array' } }, '[]', '{}'],
  javascript: [{ type: 'javascript', value: 'output === "a"' }, 'a', 'b'],
  'tool-call': [
    { type: 'tool-call', value: 'search' },
    { output: '', toolCalls: [{ name: 'search', arguments: {} }] },
    { output: '', toolCalls: [{ name: 'lookup', arguments: {} }] },
  ],
  levenshtein: [{ type: 'levenshtein', value: 'kitten', threshold: 3 }, 'sitting', 'dog'],
  'rouge-n': [{ type: 'rouge-n', value: 'a b c d' }, 'a b c d', 'e f'],
  'rouge-l': [{ type: 'rouge-l', value: 'a b c d' }, 'a b c d', 'd c b a'],
}

describe('assertionTypeNames', () => {
  it('lists every builtin and a not- form for each negatable one', () => {
    const fixed = [
      'length',
      'latency',
      'cost',
      'g-eval',
      'factuality',
      'answer-relevance',
      'pairwise',
      'tool-calls-valid',
      'trajectory',
    ]
    const expected = Object.keys(builtinAssertions).flatMap((name) =>
      fixed.includes(name) ? [name] : [name, `not-${name}`],
    )
    expect([...assertionTypeNames].sort()).toEqual(expected.sort())
    // The negatable judges (llm-rubric, similar) are covered in judge.test.ts.
    expect(Object.keys(NEGATABLE).sort()).toEqual(
      assertionTypeNames
        .filter((n) => n.startsWith('not-'))
        .map((n) => n.slice(4))
        .filter((n) => !JUDGE_TYPES.has(n))
        .sort(),
    )
  })
})

describe('not- forms', () => {
  it.each(Object.entries(NEGATABLE))(
    'not-%s inverts pass and score and keeps the reason',
    async (name, [spec, passing, failing]) => {
      const negated = { ...spec, type: `not-${name}` }
      const run = (as: AssertionSpec, example: Sample) =>
        typeof example === 'string' ? grade(as, example) : grade(as, example.output, example)
      for (const output of [passing, failing]) {
        const plain = await run(spec, output)
        const inverted = await run(negated, output)
        expect(inverted).toEqual({
          pass: !plain.pass,
          score: 1 - plain.score,
          reason: plain.reason,
        })
      }
      expect((await run(spec, passing)).pass).toBe(true)
      expect((await run(negated, passing)).pass).toBe(false)
      expect((await run(negated, failing)).pass).toBe(true)
    },
  )

  it('inverts a fractional score', async () => {
    const g = await grade({ type: 'not-javascript', value: '0.25' }, 'x')
    expect(g).toEqual({ pass: false, score: 0.75, reason: 'javascript score 0.25 (pass > 0)' })
  })

  it('validates the value as the plain type does, naming the not- form', async () => {
    const error = await configError({ type: 'not-contains-any', value: [] })
    expect(error.message).toBe('invalid value for not-contains-any: give at least one string')
    expect(error.hint).toBe('see docs/assertions.md#contains-any')
  })
})

describe('prepareAssertion errors', () => {
  it.each(['not-length', 'not-latency', 'not-cost'])('%s is not a type', async (type) => {
    const error = await configError({ type, value: { min: 1 }, threshold: 1 })
    expect(error.message).toBe(`unknown assertion type "${type}"`)
  })

  it.each(['semantic', 'not-', 'not-not-contains', 'CONTAINS', 'constructor', 'toString'])(
    'rejects the unknown type %j',
    async (type) => {
      const error = await configError({ type, value: 'x' })
      expect(error.message).toBe(`unknown assertion type "${type}"`)
    },
  )

  it('points at the offending part of a structured value', async () => {
    const error = await configError({ type: 'contains-any', value: ['a', { b: 1 }] })
    expect(error.message).toMatch(/^invalid value for contains-any/)
  })

  it('prepares a check once and reuses it for many samples', async () => {
    const check = await prepareAssertion({ type: 'contains', value: 'a' }, plainContext('.'))
    const base = { vars: {}, prompt: [], latencyMs: 1, costUsd: null, usage: null, toolCalls: [] }
    expect((await check({ ...base, output: 'a' })).pass).toBe(true)
    expect((await check({ ...base, output: 'b' })).pass).toBe(false)
  })
})
