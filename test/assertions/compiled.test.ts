import { describe, expect, it } from 'vitest'
import { compileUserFunction } from '../../src/assertions/javascript.js'
import { parsePattern } from '../../src/assertions/regex.js'
import { compileSchema } from '../../src/assertions/schema-compiler.js'
import { ShipgateError } from '../../src/errors.js'

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
})
