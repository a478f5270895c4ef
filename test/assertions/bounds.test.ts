import { describe, expect, it } from 'vitest'
import { configError, grade } from './support.js'

describe('length', () => {
  it('passes within min and max, inclusive', async () => {
    const spec = { type: 'length', value: { min: 2, max: 4 } }
    expect(await grade(spec, 'ab')).toEqual({
      pass: true,
      score: 1,
      reason: 'output has 2 characters',
    })
    expect((await grade(spec, 'abcd')).pass).toBe(true)
  })

  it('fails below min', async () => {
    const g = await grade({ type: 'length', value: { min: 3 } }, 'ab')
    expect(g).toEqual({ pass: false, score: 0, reason: 'output has 2 characters, fewer than 3' })
  })

  it('fails above max', async () => {
    const g = await grade({ type: 'length', value: { max: 3 } }, 'abcd')
    expect(g).toEqual({ pass: false, score: 0, reason: 'output has 4 characters, more than 3' })
  })

  it('counts characters, not UTF-16 code units', async () => {
    const g = await grade({ type: 'length', value: { max: 2 } }, '😀😀')
    expect(g).toEqual({ pass: true, score: 1, reason: 'output has 2 characters' })
  })

  it.each([
    ['neither min nor max', {}, 'give `min`, `max` or both'],
    ['no value', undefined, undefined],
    ['a negative bound', { min: -1 }, undefined],
    ['a fractional bound', { max: 1.5 }, undefined],
    ['an unknown key', { min: 1, maximum: 3 }, undefined],
  ])('rejects %s', async (_, value, message) => {
    const error = await configError({ type: 'length', value })
    expect(error.message).toMatch(/^invalid value for length/)
    if (message !== undefined) expect(error.message).toContain(message)
  })
})

describe('latency', () => {
  it('passes at or under the threshold', async () => {
    const g = await grade({ type: 'latency', threshold: 100 }, 'x', { latencyMs: 100 })
    expect(g).toEqual({ pass: true, score: 1, reason: 'latency 100 ms <= 100 ms' })
  })

  it('fails over the threshold, rounding the latency in the reason', async () => {
    const g = await grade({ type: 'latency', threshold: 100 }, 'x', { latencyMs: 100.4 })
    expect(g).toEqual({ pass: false, score: 0, reason: 'latency 100 ms > 100 ms' })
  })

  it('takes the limit from value too, threshold winning', async () => {
    expect((await grade({ type: 'latency', value: 50 }, 'x', { latencyMs: 60 })).pass).toBe(false)
    const both = { type: 'latency', value: 50, threshold: 80 }
    expect((await grade(both, 'x', { latencyMs: 60 })).reason).toBe('latency 60 ms <= 80 ms')
  })

  it('throws a config error without a limit', async () => {
    const error = await configError({ type: 'latency' })
    expect(error.message).toBe('latency needs a limit')
    expect(error.hint).toBe('write { type: latency, threshold: <max milliseconds> }')
  })

  it('rejects a negative value', async () => {
    await configError({ type: 'latency', value: -1 })
  })
})

describe('cost', () => {
  it('passes at or under the threshold', async () => {
    const g = await grade({ type: 'cost', threshold: 0.01 }, 'x', { costUsd: 0.001 })
    expect(g).toEqual({ pass: true, score: 1, reason: 'cost $0.001000 <= $0.01' })
  })

  it('fails over the threshold', async () => {
    const g = await grade({ type: 'cost', threshold: 0.0005 }, 'x')
    expect(g).toEqual({ pass: false, score: 0, reason: 'cost $0.001000 > $0.0005' })
  })

  it('fails an unpriced call, saying how to price it', async () => {
    const g = await grade({ type: 'cost', threshold: 1 }, 'x', { costUsd: null })
    expect(g.pass).toBe(false)
    expect(g.score).toBe(0)
    expect(g.reason).toContain('cost unknown')
    expect(g.reason).toContain('pricing:')
  })

  it('treats a free call as within any limit', async () => {
    expect((await grade({ type: 'cost', value: 0 }, 'x', { costUsd: 0 })).pass).toBe(true)
  })

  it('throws a config error without a limit', async () => {
    const error = await configError({ type: 'cost' })
    expect(error.message).toBe('cost needs a limit')
    expect(error.hint).toContain('USD')
  })
})
