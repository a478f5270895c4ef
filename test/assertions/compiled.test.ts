import { describe, expect, it } from 'vitest'
import { compileUserFunction } from '../../src/assertions/javascript.js'
import { parsePattern } from '../../src/assertions/regex.js'
import { compileSchema } from '../../src/assertions/schema-compiler.js'
import { ShipgateError } from '../../src/errors.js'
import { plainContext, sample } from './support.js'
import { prepareAssertion } from '../../src/assertions/index.js'

// Issue 13 item 7: a suite of thousands of cases, each with its own copy of a schema, an
// expression and a pattern, compiles each distinct one once per process.
describe('compiled assertion values are shared by content', () => {
  it('compiles equal JSON Schemas once, whatever the key order or object identity', async () => {
    const a = await compileSchema({
      type: 'object',
      required: ['x'],
      properties: { x: { type: 'string' } },
    })
    const b = await compileSchema({
      properties: { x: { type: 'string' } },
      required: ['x'],
      type: 'object',
    })
    const other = await compileSchema({ type: 'object', required: ['y'] })
    expect(b).toBe(a)
    expect(other).not.toBe(a)
    expect(a({ x: 'ok' })).toBe(true)
    expect(other({ x: 'ok' })).toBe(false)
  })

  it('keeps schemas with the same $id but different content apart (one Ajv, no id clash)', async () => {
    const first = await compileSchema({ $id: 'https://example.com/answer', type: 'string' })
    const second = await compileSchema({ $id: 'https://example.com/answer', type: 'number' })
    expect(first('a')).toBe(true)
    expect(second('a')).toBe(false)
    expect(second(1)).toBe(true)
  })

  it('keeps $ref to $defs and recursive refs working once the schema leaves Ajv', async () => {
    const tree = await compileSchema({
      $id: 'https://example.com/tree',
      $defs: { leaf: { type: 'integer' } },
      type: 'object',
      properties: {
        value: { $ref: '#/$defs/leaf' },
        children: { type: 'array', items: { $ref: '#' } },
      },
    })
    expect(tree({ value: 1, children: [{ value: 2, children: [] }] })).toBe(true)
    expect(tree({ value: 1, children: [{ value: 'x' }] })).toBe(false)
  })

  it('reports an invalid schema as a config error every time, and compiles the next', async () => {
    for (let i = 0; i < 2; i++) {
      const error: unknown = await compileSchema({ type: 'nope' }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ShipgateError)
      expect((error as ShipgateError).code).toBe('config')
    }
    expect((await compileSchema({ type: 'integer' }))(3)).toBe(true)
  })

  it('compiles a javascript source once', () => {
    const f = compileUserFunction('output.length > 2')
    expect(compileUserFunction('output.length > 2')).toBe(f)
    expect(f('abc', undefined as never)).toBe(true)
    expect(compileUserFunction('return output === "x"')('x', undefined as never)).toBe(true)
  })

  it('compiles a regex source once, stateless (no g or y)', () => {
    const re = parsePattern('/b/gi')
    expect(parsePattern('/b/gi')).toBe(re)
    expect(re.flags).toBe('i')
    expect([re.test('abc'), re.test('abc')]).toEqual([true, true])
  })

  // Checks keep a source or pattern as written, not its function or RegExp: a plan of more
  // distinct ones than the caches hold compiles the dropped ones again when their check runs.
  it('grades javascript and regex checks whose compiled values the caches have dropped', async () => {
    const context = plainContext()
    const first = {
      js: await prepareAssertion({ type: 'javascript', value: 'output === "case 0"' }, context),
      re: await prepareAssertion({ type: 'regex', value: '^case 0$' }, context),
    }
    const f = compileUserFunction('output === "case 0"')
    const re = parsePattern('^case 0$')
    for (let i = 1; i <= 2_500; i++) {
      await prepareAssertion({ type: 'javascript', value: `output === "case ${i}"` }, context)
      await prepareAssertion({ type: 'regex', value: `^case ${i}$` }, context)
    }
    expect(compileUserFunction('output === "case 0"')).not.toBe(f)
    expect(parsePattern('^case 0$')).not.toBe(re)
    expect(await first.js(sample('case 0'))).toMatchObject({ pass: true })
    expect(await first.js(sample('case 1'))).toMatchObject({ pass: false })
    expect(await first.re(sample('case 0'))).toMatchObject({
      pass: true,
      reason: 'output matches /^case 0$/',
    })
    expect(await first.re(sample('case 01'))).toMatchObject({ pass: false })
  })

  it('still refuses a pattern or a source that does not compile when the check is prepared', async () => {
    const context = plainContext()
    for (const spec of [
      { type: 'regex', value: '(' },
      { type: 'regex', value: '/a/q' },
      { type: 'javascript', value: 'output ===' },
    ]) {
      const error: unknown = await prepareAssertion(spec, context).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ShipgateError)
    }
  })
})
