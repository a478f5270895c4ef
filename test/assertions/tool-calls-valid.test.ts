import { describe, expect, it } from 'vitest'
import { prepareAssertion } from '../../src/assertions/index.js'
import type { ToolCall, ToolSpec } from '../../src/contracts/provider.js'
import { configError, plainContext, sample } from './support.js'

const TOOLS: ToolSpec[] = [
  {
    name: 'search',
    description: 'Search the web',
    parameters: {
      type: 'object',
      properties: { q: { type: 'string' }, limit: { type: 'integer', minimum: 1 } },
      required: ['q'],
      additionalProperties: false,
    },
  },
  { name: 'lookup', parameters: { type: 'object', properties: { id: { type: 'integer' } } } },
]

async function check(calls: readonly ToolCall[], value?: unknown) {
  const prepared = await prepareAssertion(
    { type: 'tool-calls-valid', value },
    { ...plainContext(), tools: TOOLS },
  )
  return prepared(sample('', { toolCalls: calls }))
}

describe('tool-calls-valid', () => {
  it('passes when every call names a declared tool with valid arguments', async () => {
    const g = await check([
      { name: 'search', arguments: { q: 'x', limit: 2 } },
      { name: 'lookup', arguments: { id: 1 } },
    ])
    expect(g).toEqual({ pass: true, score: 1, reason: 'all 2 tool calls are valid' })
  })

  it('fails on an undeclared tool, invalid arguments and unparsed JSON, naming each call', async () => {
    const g = await check([
      { name: 'search', arguments: { q: 'x' } },
      { name: 'delete', arguments: {} },
      { name: 'search', arguments: { q: 'x', limit: 0 } },
      { name: 'lookup', arguments: '{"id": 1' },
    ])
    expect(g.pass).toBe(false)
    expect(g.score).toBe(0.25)
    expect(g.reason).toBe(
      '3 of 4 tool calls invalid: call 2 delete({}): "delete" is not a declared tool (declared: search, lookup); call 3 search({"q":"x","limit":0}): /limit must be >= 1; call 4 lookup("{\\"id\\": 1"): the arguments are not valid JSON',
    )
  })

  it('passes an answer without calls, and says so, unless calls are required', async () => {
    expect(await check([])).toEqual({
      pass: true,
      score: 1,
      reason: 'no tool calls to check (passes: none is invalid)',
    })
    expect(await check([], { required: true })).toMatchObject({ pass: false, score: 0 })
  })

  it('is a config error when the suite declares no tools', async () => {
    const error = await configError({ type: 'tool-calls-valid' })
    expect(error.message).toBe('tool-calls-valid needs the suite to declare its tools')
    expect(error.hint).toContain('tools:')
  })

  it('is a config error when a declared tool has an invalid schema', async () => {
    const bad = prepareAssertion(
      { type: 'tool-calls-valid' },
      { ...plainContext(), tools: [{ name: 'x', parameters: { type: 'nope' } }] },
    )
    await expect(bad).rejects.toThrow(/invalid JSON Schema/)
  })
})
