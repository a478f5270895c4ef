import { describe, expect, it } from 'vitest'
import { prepareAssertion } from '../../src/assertions/index.js'
import { configError, grade, sample, plainContext } from './support.js'

describe('equals', () => {
  it('passes on the exact string', async () => {
    const g = await grade({ type: 'equals', value: 'Paris' }, 'Paris')
    expect(g).toEqual({ pass: true, score: 1, reason: 'output equals "Paris"' })
  })

  it('fails on any other string, quoting both sides', async () => {
    const g = await grade({ type: 'equals', value: 'Paris' }, 'paris ')
    expect(g).toEqual({ pass: false, score: 0, reason: 'output "paris " does not equal "Paris"' })
  })

  it('compares a number value as its text', async () => {
    expect((await grade({ type: 'equals', value: 42 }, '42')).pass).toBe(true)
    expect((await grade({ type: 'equals', value: 42 }, '42.0')).pass).toBe(false)
  })

  it('compares an object value as JSON, ignoring key order and whitespace', async () => {
    const g = await grade({ type: 'equals', value: { a: 1, b: [1, 2] } }, '{ "b": [1, 2], "a": 1 }')
    expect(g).toEqual({ pass: true, score: 1, reason: 'output equals the expected JSON' })
  })

  it('fails an object value when the JSON differs', async () => {
    const g = await grade({ type: 'equals', value: { a: 1 } }, '{"a": 2}')
    expect(g).toEqual({
      pass: false,
      score: 0,
      reason: 'output JSON differs from the expected JSON',
    })
  })

  it('compares a list value as JSON, in order', async () => {
    expect((await grade({ type: 'equals', value: [1, 'x'] }, '[1,"x"]')).pass).toBe(true)
    expect((await grade({ type: 'equals', value: [1, 'x'] }, '["x",1]')).pass).toBe(false)
  })

  it('fails a JSON value when the output is not JSON, saying so', async () => {
    const g = await grade({ type: 'equals', value: { a: 1 } }, 'a: 1')
    expect(g.pass).toBe(false)
    expect(g.score).toBe(0)
    expect(g.reason).toMatch(/^output is not valid JSON \(/)
  })

  it('rejects a missing value', async () => {
    const error = await configError({ type: 'equals' })
    expect(error.message).toMatch(/^invalid value for equals/)
    expect(error.hint).toBe('see docs/assertions.md#equals')
  })
})

describe('contains / icontains', () => {
  it('contains passes on a case-sensitive substring', async () => {
    const g = await grade({ type: 'contains', value: 'Paris' }, 'It is Paris.')
    expect(g).toEqual({ pass: true, score: 1, reason: 'output contains "Paris"' })
  })

  it('contains fails when only the case differs', async () => {
    const g = await grade({ type: 'contains', value: 'Paris' }, 'it is paris.')
    expect(g).toEqual({ pass: false, score: 0, reason: 'output does not contain "Paris"' })
  })

  it('contains accepts a number value', async () => {
    expect((await grade({ type: 'contains', value: 42 }, 'answer: 42')).pass).toBe(true)
  })

  it('icontains ignores case and quotes the value as written', async () => {
    const g = await grade({ type: 'icontains', value: 'PARIS' }, 'it is paris.')
    expect(g).toEqual({ pass: true, score: 1, reason: 'output contains "PARIS"' })
    expect((await grade({ type: 'icontains', value: 'paris' }, 'IT IS PARIS.')).pass).toBe(true)
  })

  it('icontains fails when the text is absent in any case', async () => {
    const g = await grade({ type: 'icontains', value: 'Rome' }, 'it is paris.')
    expect(g).toEqual({ pass: false, score: 0, reason: 'output does not contain "Rome"' })
  })

  it('shortens a long value in the reason', async () => {
    const g = await grade({ type: 'contains', value: 'x'.repeat(200) }, 'y')
    expect(g.reason).toBe(`output does not contain "${'x'.repeat(79)}…"`)
  })

  it('rejects a list value', async () => {
    const error = await configError({ type: 'contains', value: ['a'] })
    expect(error.message).toMatch(/^invalid value for contains/)
  })
})

describe('contains-any / icontains-any', () => {
  it('contains-any passes and names every value found', async () => {
    const g = await grade({ type: 'contains-any', value: ['cat', 'dog', 'eel'] }, 'a dog and a cat')
    expect(g).toEqual({ pass: true, score: 1, reason: 'output contains "cat", "dog"' })
  })

  it('contains-any fails when none is found, listing them', async () => {
    const g = await grade({ type: 'contains-any', value: ['cat', 'dog'] }, 'a Cat')
    expect(g).toEqual({ pass: false, score: 0, reason: 'output contains none of "cat", "dog"' })
  })

  it('contains-any splits a comma-separated string, trimming and dropping blanks', async () => {
    const g = await grade({ type: 'contains-any', value: ' cat , ,dog,' }, 'hotdog')
    expect(g).toEqual({ pass: true, score: 1, reason: 'output contains "dog"' })
    const miss = await grade({ type: 'contains-any', value: 'cat, dog' }, 'bird')
    expect(miss.reason).toBe('output contains none of "cat", "dog"')
  })

  it('icontains-any ignores case', async () => {
    const g = await grade({ type: 'icontains-any', value: ['CAT', 'Dog'] }, 'a cat')
    expect(g).toEqual({ pass: true, score: 1, reason: 'output contains "CAT"' })
    expect((await grade({ type: 'icontains-any', value: 'x,dog' }, 'A DOG')).pass).toBe(true)
  })

  it('icontains-any fails when none is found in any case', async () => {
    const g = await grade({ type: 'icontains-any', value: 'cat,dog' }, 'a bird')
    expect(g).toEqual({ pass: false, score: 0, reason: 'output contains none of "cat", "dog"' })
  })

  it('accepts numbers in the list, as text', async () => {
    expect((await grade({ type: 'contains-any', value: [7, 'x'] }, 'route 7')).pass).toBe(true)
  })

  it.each([[[]], [''], [' , ,']])('rejects an empty list (%j)', async (value) => {
    const error = await configError({ type: 'contains-any', value })
    expect(error.message).toBe('invalid value for contains-any: give at least one string')
  })
})

describe('contains-all / icontains-all', () => {
  it('contains-all passes when every value is present', async () => {
    const g = await grade({ type: 'contains-all', value: ['cat', 'dog'] }, 'dog, cat')
    expect(g).toEqual({ pass: true, score: 1, reason: 'output contains all of "cat", "dog"' })
  })

  it('contains-all fails naming only the missing values', async () => {
    const g = await grade({ type: 'contains-all', value: ['cat', 'dog', 'eel'] }, 'a Dog and a cat')
    expect(g).toEqual({ pass: false, score: 0, reason: 'output is missing "dog", "eel"' })
  })

  it('contains-all splits a comma-separated string', async () => {
    expect((await grade({ type: 'contains-all', value: 'cat, dog' }, 'cat dog')).pass).toBe(true)
    const g = await grade({ type: 'contains-all', value: 'cat, dog' }, 'cat')
    expect(g.reason).toBe('output is missing "dog"')
  })

  it('icontains-all ignores case', async () => {
    const g = await grade({ type: 'icontains-all', value: 'CAT,Dog' }, 'a dog and a cat')
    expect(g).toEqual({ pass: true, score: 1, reason: 'output contains all of "CAT", "Dog"' })
    expect((await grade({ type: 'icontains-all', value: 'cat,dog' }, 'DOG CAT')).pass).toBe(true)
  })

  it('icontains-all fails naming the missing values as written', async () => {
    const g = await grade({ type: 'icontains-all', value: ['CAT', 'Eel'] }, 'a cat')
    expect(g).toEqual({ pass: false, score: 0, reason: 'output is missing "Eel"' })
  })

  it('rejects an empty list', async () => {
    const error = await configError({ type: 'icontains-all', value: [] })
    expect(error.message).toBe('invalid value for icontains-all: give at least one string')
  })
})

describe('regex', () => {
  it('passes when a plain pattern matches', async () => {
    const g = await grade({ type: 'regex', value: '^\\d{3}-\\d{4}$' }, '555-1234')
    expect(g).toEqual({ pass: true, score: 1, reason: 'output matches /^\\d{3}-\\d{4}$/' })
  })

  it('fails when a plain pattern does not match; a plain pattern is case-sensitive', async () => {
    const g = await grade({ type: 'regex', value: 'paris' }, 'Paris')
    expect(g).toEqual({ pass: false, score: 0, reason: 'output does not match /paris/' })
  })

  it('honours the flags of a /literal/flags value', async () => {
    const g = await grade({ type: 'regex', value: '/^paris$/im' }, 'city:\nPARIS')
    expect(g).toEqual({ pass: true, score: 1, reason: 'output matches /^paris$/im' })
    const miss = await grade({ type: 'regex', value: '/^paris$/i' }, 'city:\nPARIS')
    expect(miss).toEqual({ pass: false, score: 0, reason: 'output does not match /^paris$/i' })
  })

  it('keeps slashes inside a literal', async () => {
    expect((await grade({ type: 'regex', value: '/a\\/b/' }, 'x a/b y')).pass).toBe(true)
  })

  it('gives the same verdict on every call with a g or y flag (no lastIndex state)', async () => {
    const check = await prepareAssertion({ type: 'regex', value: '/b/gy' }, plainContext('.'))
    const verdicts: boolean[] = []
    for (let i = 0; i < 3; i++) verdicts.push((await check(sample('abc'))).pass)
    expect(verdicts).toEqual([true, true, true])
  })

  it.each(['(unclosed', '/[z-a]/', 'a{2,1}'])(
    'rejects %j, which does not compile',
    async (value) => {
      const error = await configError({ type: 'regex', value })
      expect(error.message).toMatch(/^invalid value for regex: not a valid regular expression/)
    },
  )

  it('rejects a non-string value', async () => {
    await configError({ type: 'regex', value: 5 })
  })

  it.each(['/abc/zq', '/abc/ix', '/^yes/I'])(
    'rejects %j, a /literal/ with flags JavaScript does not have, instead of matching it as text',
    async (value) => {
      const error = await configError({ type: 'regex', value })
      expect(error.message).toMatch(/^invalid value for regex: invalid flags "\w+" in \//)
      expect(error.message).toContain('valid flags are d, g, i, m, s, u, v, y')
      expect(error.message).toContain('escape the slashes')
    },
  )

  it('still reads a pattern with a slash but no flags-like end as a plain pattern', async () => {
    expect((await grade({ type: 'regex', value: 'a/b' }, 'x a/b y')).pass).toBe(true)
    expect((await grade({ type: 'regex', value: '\\/api\\/users' }, 'GET /api/users')).pass).toBe(
      true,
    )
  })
})

describe('starts-with', () => {
  it('passes when the output begins with the value', async () => {
    const g = await grade({ type: 'starts-with', value: 'Dear' }, 'Dear Sir,')
    expect(g).toEqual({ pass: true, score: 1, reason: 'output starts with "Dear"' })
  })

  it('fails, quoting how the output starts', async () => {
    const g = await grade({ type: 'starts-with', value: 'Dear' }, 'Hi Sir,')
    expect(g).toEqual({ pass: false, score: 0, reason: 'output starts with "Hi S", not "Dear"' })
  })

  it('accepts a number value', async () => {
    expect((await grade({ type: 'starts-with', value: 200 }, '200 OK')).pass).toBe(true)
  })

  it('rejects a missing value', async () => {
    await configError({ type: 'starts-with' })
  })
})
