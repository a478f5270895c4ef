import { describe, expect, it } from 'vitest'
import { prepareAssertion } from '../../src/assertions/index.js'
import { prepareTransform, TransformChain } from '../../src/assertions/transform.js'
import { ShipgateError } from '../../src/errors.js'
import { plainContext, sample, tempDir } from './support.js'

describe('prepareTransform', () => {
  it('compiles an expression or a body of output and context', async () => {
    const upper = await prepareTransform('output.toUpperCase()', '.')
    expect(await upper(sample('abc'))).toBe('ABC')
    const body = await prepareTransform('const n = context.vars.n\nreturn output.repeat(n)', '.')
    expect(await body(sample('ab', { vars: { n: 2 } }))).toBe('abab')
  })

  it('JSON-stringifies results that are not text, and refuses undefined', async () => {
    const json = await prepareTransform('({ calls: context.toolCalls.length })', '.')
    expect(await json(sample('', { toolCalls: [{ name: 'a', arguments: {} }] }))).toBe(
      '{"calls":1}',
    )
    const nothing = await prepareTransform('output = "x"; void 0', '.')
    await expect(nothing(sample('a'))).rejects.toThrow(/returned undefined/)
  })

  it('loads a module’s default or named export, async functions included', async () => {
    const files = tempDir({
      't.mjs': 'export default async (o) => o.trim()\nexport const shout = (o) => o + "!"\n',
    })
    try {
      expect(await (await prepareTransform('file://t.mjs', files.dir))(sample(' a '))).toBe('a')
      expect(await (await prepareTransform('file://t.mjs:shout', files.dir))(sample('a'))).toBe(
        'a!',
      )
      await expect(prepareTransform('file://missing.mjs', files.dir)).rejects.toThrow(ShipgateError)
    } finally {
      files.remove()
    }
  })

  it('is a config error when it does not compile', async () => {
    const error = await prepareTransform('output.(', '.').catch((e: unknown) => e)
    expect((error as Error).message).not.toContain('javascript assertion')
    expect(error).toMatchObject({
      code: 'config',
      message: expect.stringMatching(/^transform does not compile/) as unknown,
    })
  })
})

describe('TransformChain', () => {
  it('runs its stages in order once per sample, however many checks it wraps', async () => {
    let runs = 0
    const chain = new TransformChain([
      { label: 'first', run: (input) => Promise.resolve(`${input.output}1`) },
      { label: 'second', run: (input) => (runs++, Promise.resolve(`${input.output}2`)) },
    ])
    const context = plainContext()
    const a = chain.wrap(await prepareAssertion({ type: 'equals', value: 'x12' }, context))
    const b = chain.wrap(await prepareAssertion({ type: 'not-contains', value: 'x1 ' }, context))
    const input = sample('x')
    expect((await a(input)).pass).toBe(true)
    expect((await b(input)).pass).toBe(true)
    expect(runs).toBe(1)
  })

  it('turns a throwing stage into an error grade naming it, also under not-', async () => {
    const chain = new TransformChain([
      { label: 'case transform (cases.yaml:4)', run: () => Promise.reject(new Error('boom')) },
    ])
    const check = chain.wrap(
      await prepareAssertion({ type: 'not-contains', value: 'x' }, plainContext()),
    )
    expect(await check(sample('y'))).toEqual({
      pass: false,
      score: 0,
      error: true,
      reason: 'case transform (cases.yaml:4) failed: boom',
    })
  })
})
