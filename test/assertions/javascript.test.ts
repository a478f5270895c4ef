import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prepareAssertion } from '../../src/assertions/index.js'
import type { AssertionSpec } from '../../src/contracts/assertion.js'
import { configError, grade, sample, tempDir, plainContext } from './support.js'

const js = (value: string, threshold?: number): AssertionSpec =>
  threshold === undefined ? { type: 'javascript', value } : { type: 'javascript', value, threshold }

describe('javascript: expressions and bodies', () => {
  it('evaluates an expression over the output', async () => {
    expect(await grade(js('output.length < 5'), 'abc')).toEqual({
      pass: true,
      score: 1,
      reason: 'javascript returned true',
    })
    expect(await grade(js('output.length < 5'), 'abcdef')).toEqual({
      pass: false,
      score: 0,
      reason: 'javascript returned false',
    })
  })

  it('runs a function body that returns', async () => {
    const body = 'const n = Number(output)\nif (Number.isNaN(n)) return false\nreturn n > 3'
    expect((await grade(js(body), '4')).pass).toBe(true)
    expect((await grade(js(body), '2')).pass).toBe(false)
    expect((await grade(js(body), 'four')).pass).toBe(false)
  })

  it('gives the whole sample as context', async () => {
    const spec = js('output.includes(context.vars.city) && context.latencyMs < 100')
    expect((await grade(spec, 'in Paris', { vars: { city: 'Paris' } })).pass).toBe(true)
    expect((await grade(spec, 'in Paris', { vars: { city: 'Rome' } })).pass).toBe(false)
    expect((await grade(spec, 'in Paris', { vars: { city: 'Paris' }, latencyMs: 500 })).pass).toBe(
      false,
    )
  })

  it('treats the word "return" inside an expression as part of the expression', async () => {
    const spec = js('output.includes("return policy")')
    expect((await grade(spec, 'see our return policy')).pass).toBe(true)
    expect((await grade(spec, 'no refunds')).pass).toBe(false)
  })

  it('allows a trailing line comment after an expression', async () => {
    expect((await grade(js('output.length > 3 // long enough'), 'abcd')).pass).toBe(true)
  })

  it('throws a config error for code that does not compile', async () => {
    const error = await configError(js('output.length <'))
    expect(error.message).toMatch(/^javascript assertion does not compile: /)
    expect(error.cause).toBeInstanceOf(SyntaxError)
  })

  it('runs a body without return as statements (it returns undefined, a failure)', async () => {
    expect(await grade(js('const ok = output === "x"'), 'x')).toMatchObject({
      pass: false,
      score: 0,
    })
  })

  it('rejects an empty value', async () => {
    await configError(js(''))
  })
})

describe('javascript: results', () => {
  it('scores a number without threshold: pass when > 0', async () => {
    expect(await grade(js('0.25'), 'x')).toEqual({
      pass: true,
      score: 0.25,
      reason: 'javascript score 0.25 (pass > 0)',
    })
    expect(await grade(js('0'), 'x')).toEqual({
      pass: false,
      score: 0,
      reason: 'javascript score 0 (pass > 0)',
    })
  })

  it('scores a number against the threshold', async () => {
    expect(await grade(js('0.5', 0.8), 'x')).toEqual({
      pass: false,
      score: 0.5,
      reason: 'javascript score 0.5 (pass >= 0.8)',
    })
    expect(await grade(js('0.8', 0.8), 'x')).toEqual({
      pass: true,
      score: 0.8,
      reason: 'javascript score 0.8 (pass >= 0.8)',
    })
  })

  it('clamps the score of a number to 0..1 but reports the number', async () => {
    const high = await grade(js('7'), 'x')
    expect(high).toMatchObject({ pass: true, score: 1, reason: 'javascript score 7 (pass > 0)' })
    const low = await grade(js('-2'), 'x')
    expect(low).toMatchObject({ pass: false, score: 0, reason: 'javascript score -2 (pass > 0)' })
  })

  it('takes { pass, score, reason } as given', async () => {
    const g = await grade(js('({ pass: true, score: 0.7, reason: "mostly right" })'), 'x')
    expect(g).toEqual({ pass: true, score: 0.7, reason: 'mostly right' })
  })

  it('fills the score and reason of a bare { pass }', async () => {
    expect(await grade(js('return { pass: false }'), 'x')).toEqual({
      pass: false,
      score: 0,
      reason: 'javascript returned pass: false',
    })
    expect(await grade(js('return { pass: true }'), 'x')).toEqual({
      pass: true,
      score: 1,
      reason: 'javascript returned pass: true',
    })
  })

  it('awaits a returned promise', async () => {
    expect((await grade(js('Promise.resolve(output === "ok")'), 'ok')).pass).toBe(true)
  })

  it.each([
    ['a string', '"yes"'],
    ['NaN', 'NaN'],
    ['Infinity', 'Infinity'],
    ['undefined', 'undefined'],
    ['null', 'null'],
    ['a non-boolean pass', '({ pass: "yes" })'],
    ['a score above 1', '({ pass: true, score: 2 })'],
  ])('fails on %s, naming the accepted results', async (_, value) => {
    expect(await grade(js(value), 'x')).toEqual({
      pass: false,
      score: 0,
      reason: 'javascript returned neither a boolean, a number nor { pass, score, reason }',
    })
  })

  it('lets an error thrown by the user code reach the caller (the runner grades it)', async () => {
    const check = await prepareAssertion(
      js('if (output) throw new Error("boom: " + output)\nreturn true'),
      plainContext('.'),
    )
    await expect(Promise.resolve().then(() => check(sample('x')))).rejects.toThrow('boom: x')
  })
})

describe('javascript: file:// modules', () => {
  let fixtures: ReturnType<typeof tempDir>
  beforeAll(() => {
    fixtures = tempDir({
      'default.mjs': 'export default (output) => output.startsWith("ok")\n',
      'named.mjs': [
        'export const short = (output) => ({ pass: output.length <= 3, score: 0.5, reason: "len" })',
        'export const notAFunction = 3',
        'export default () => false',
        '',
      ].join('\n'),
      'context.mjs': 'export default (output, context) => context.vars.want === output\n',
      'syntax.mjs': 'export default (output => \n',
    })
  })
  afterAll(() => fixtures.remove())

  const fileGrade = (value: string, output: string, vars: Record<string, unknown> = {}) =>
    grade(js(value), output, { vars }, fixtures.dir)

  it('uses the default export', async () => {
    expect(await fileGrade('file://default.mjs', 'ok then')).toEqual({
      pass: true,
      score: 1,
      reason: 'javascript returned true',
    })
    expect((await fileGrade('file://default.mjs', 'nope')).pass).toBe(false)
  })

  it('uses a named export given after a colon', async () => {
    expect(await fileGrade('file://named.mjs:short', 'abc')).toEqual({
      pass: true,
      score: 0.5,
      reason: 'len',
    })
    expect((await fileGrade('file://named.mjs:short', 'abcd')).pass).toBe(false)
  })

  it('passes the sample as the second argument', async () => {
    expect((await fileGrade('file://context.mjs', 'x', { want: 'x' })).pass).toBe(true)
    expect((await fileGrade('file://context.mjs', 'x', { want: 'y' })).pass).toBe(false)
  })

  it('accepts an absolute path', async () => {
    const g = await grade(js(`file://${fixtures.dir}/default.mjs`), 'ok')
    expect(g.pass).toBe(true)
  })

  it('throws a config error for an export that is not a function', async () => {
    const error = await configError(js('file://named.mjs:notAFunction'), fixtures.dir)
    expect(error.message).toMatch(/named\.mjs has no function export "notAFunction"$/)
  })

  it('throws a config error for a missing export', async () => {
    const error = await configError(js('file://named.mjs:absent'), fixtures.dir)
    expect(error.message).toMatch(/has no function export "absent"$/)
  })

  it('throws a config error for a missing file', async () => {
    const error = await configError(js('file://missing.mjs'), fixtures.dir)
    expect(error.message).toMatch(/^cannot load .*missing\.mjs/)
  })

  it('throws a config error for a module that does not parse', async () => {
    const error = await configError(js('file://syntax.mjs'), fixtures.dir)
    expect(error.message).toMatch(/^cannot load .*syntax\.mjs/)
  })
})
