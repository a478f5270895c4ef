import { describe, expect, it } from 'vitest'
import { prepareAssertion } from '../../src/assertions/index.js'
import type { ToolCall } from '../../src/contracts/provider.js'
import { configError, grade, plainContext, sample, tempDir } from './support.js'

const CALLS: ToolCall[] = [
  {
    id: 'call_1',
    name: 'search',
    arguments: { q: 'weather in Paris', limit: 3, filters: { lang: 'fr' } },
  },
  { id: 'call_2', name: 'lookup', arguments: { id: 42 } },
]

const graded = (value: unknown, calls: readonly ToolCall[] = CALLS, type = 'tool-call') =>
  grade({ type, value }, '', { toolCalls: calls })

describe('tool-call', () => {
  it('passes when the named tool was called (a bare name)', async () => {
    const g = await graded('lookup')
    expect(g).toEqual({ pass: true, score: 1, reason: '1 call matches lookup: lookup({"id":42})' })
  })

  it('matches arguments partially and deeply', async () => {
    expect((await graded({ name: 'search', arguments: { q: 'weather in Paris' } })).pass).toBe(true)
    expect((await graded({ name: 'search', arguments: { filters: { lang: 'fr' } } })).pass).toBe(
      true,
    )
    const wrong = await graded({ name: 'search', arguments: { filters: { lang: 'en' } } })
    expect(wrong.pass).toBe(false)
    expect(wrong.reason).toBe(
      'called search({"q":"weather in Paris","limit":3,"filters":{"lang":"fr"}}), lookup({"id":42}); none matches search with arguments {"filters":{"lang":"en"}}',
    )
    // Values compare strictly: 42 is not "42".
    expect((await graded({ name: 'lookup', arguments: { id: '42' } })).pass).toBe(false)
  })

  it("fills expected arguments from the case's vars", async () => {
    const value = { name: 'search', arguments: { q: 'weather in {{ city }}' } }
    const check = await prepareAssertion({ type: 'tool-call', value }, plainContext())
    const paris = await check(sample('', { toolCalls: CALLS, vars: { city: 'Paris' } }))
    expect(paris.pass).toBe(true)
    const oslo = await check(sample('', { toolCalls: CALLS, vars: { city: 'Oslo' } }))
    expect(oslo.pass).toBe(false)
    expect(oslo.reason).toContain('none matches search with arguments {"q":"weather in Oslo"}')
    // A var the case does not have is an error, as in prompts.
    expect(() => check(sample('', { toolCalls: CALLS, vars: {} }))).toThrow(/city/)
  })

  it('validates arguments against a JSON Schema, inline or file://', async () => {
    const schema = {
      type: 'object',
      properties: { limit: { type: 'integer', maximum: 5 } },
      required: ['limit'],
    }
    expect((await graded({ name: 'search', schema })).pass).toBe(true)
    const strict = { ...schema, properties: { limit: { type: 'integer', maximum: 2 } } }
    const g = await graded({ name: 'search', schema: strict })
    expect(g.pass).toBe(false)
    expect(g.reason).toContain('none matches search with arguments valid against the schema')
    const files = tempDir({ 'args.json': JSON.stringify(schema) })
    try {
      const check = await prepareAssertion(
        { type: 'tool-call', value: { name: 'search', schema: 'file://args.json' } },
        plainContext(files.dir),
      )
      expect((await check(sample('', { toolCalls: CALLS }))).pass).toBe(true)
    } finally {
      files.remove()
    }
  })

  it('counts calls: count, min and max', async () => {
    const twice: ToolCall[] = [...CALLS, { name: 'search', arguments: { q: 'x' } }]
    expect((await graded({ name: 'search', count: 2 }, twice)).pass).toBe(true)
    const once = await graded({ name: 'search', count: 2 })
    expect(once.reason).toContain('; 1 call matches search (expected exactly 2)')
    expect((await graded({ name: 'search', max: 1 }, twice)).pass).toBe(false)
    expect((await graded({ name: 'search', min: 1, max: 2 }, twice)).pass).toBe(true)
    expect((await graded({ name: 'delete', count: 0 })).pass).toBe(true)
  })

  it('reads the trajectory of a multi-step run when there is one', async () => {
    const trajectory: ToolCall[] = [{ name: 'fetch', arguments: { url: 'a' }, step: 0 }]
    const g = await grade({ type: 'tool-call', value: 'fetch' }, 'done', { trajectory })
    expect(g.pass).toBe(true)
  })

  it('not-tool-call passes when the tool was never called, naming what was', async () => {
    const g = await graded('delete_all', CALLS, 'not-tool-call')
    expect(g.pass).toBe(true)
    expect(g.reason).toContain('none matches delete_all')
    expect((await graded('lookup', CALLS, 'not-tool-call')).pass).toBe(false)
    const none = await graded('search', [], 'tool-call')
    expect(none).toMatchObject({ pass: false, reason: 'no tool was called; none matches search' })
  })

  it('rejects a value without a name, or with count and min together', async () => {
    expect((await configError({ type: 'tool-call', value: {} })).message).toMatch(
      /invalid value for tool-call/,
    )
    expect(
      (await configError({ type: 'tool-call', value: { name: 'a', count: 1, min: 1 } })).message,
    ).toMatch(/`count`, or `min`\/`max`/)
    expect(
      (await configError({ type: 'tool-call', value: { name: 'a', schema: { type: 'nope' } } }))
        .message,
    ).toMatch(/invalid JSON Schema/)
  })
})
