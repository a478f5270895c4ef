import { describe, expect, it } from 'vitest'
import type { ToolCall } from '../../src/contracts/provider.js'
import { configError, grade } from './support.js'

/** A run's calls, one per step, by name (a `name:arg` gets `{ q: arg }`). */
function run(...names: string[]): ToolCall[] {
  return names.map((n, step) => {
    const [name, q] = n.split(':') as [string, string | undefined]
    return { name, arguments: q === undefined ? {} : { q }, step }
  })
}

const graded = (value: unknown, trajectory: ToolCall[]) =>
  grade({ type: 'trajectory', value }, 'final answer', { trajectory })

describe('trajectory', () => {
  it('exact: the same sequence passes; a wrong order fails naming the step', async () => {
    const steps = ['search', 'lookup', 'answer']
    const ok = await graded({ steps, mode: 'exact' }, run('search', 'lookup', 'answer'))
    expect(ok).toEqual({
      pass: true,
      score: 1,
      reason: 'exact trajectory matched; calls: search → lookup → answer',
    })
    const swapped = await graded({ steps }, run('lookup', 'search', 'answer'))
    expect(swapped.pass).toBe(false)
    expect(swapped.score).toBeCloseTo(1 / 3, 12)
    expect(swapped.reason).toBe(
      'step 1 is lookup, expected search; calls: lookup → search → answer',
    )
    const short = await graded({ steps }, run('search', 'lookup'))
    expect(short.reason).toMatch(/^step 3 is missing: expected answer/)
    const long = await graded({ steps }, run('search', 'lookup', 'answer', 'search'))
    expect(long.reason).toMatch(/^step 4 \(search\) is extra: expected 3 steps/)
  })

  it('exact: arguments are matched partially', async () => {
    const steps = [{ name: 'search', arguments: { q: 'paris' } }]
    expect((await graded({ steps }, run('search:paris'))).pass).toBe(true)
    const g = await graded({ steps }, run('search:lyon'))
    expect(g.reason).toMatch(
      /^step 1 is search\(\{"q":"lyon"\}\), expected search\(\{"q":"paris"\}\)/,
    )
  })

  it('in-order: the steps in order, other calls between them allowed', async () => {
    const value = { steps: ['search', 'answer'], mode: 'in-order' }
    expect((await graded(value, run('search', 'lookup', 'answer'))).pass).toBe(true)
    const g = await graded(value, run('answer', 'lookup', 'search'))
    expect(g).toMatchObject({ pass: false, score: 0.5 })
    expect(g.reason).toBe(
      'expected step 2 of 2, answer, not found after step 3 (search); calls: answer → lookup → search',
    )
    const none = await graded({ steps: ['fetch'], mode: 'in-order' }, run('search'))
    expect(none.reason).toMatch(/^expected step 1 of 1, fetch, not found in any step/)
  })

  it('any-order: every step somewhere, a step written twice needs two calls', async () => {
    const value = { steps: ['answer', 'search', 'search'], mode: 'any-order' }
    expect((await graded(value, run('search', 'lookup', 'search', 'answer'))).pass).toBe(true)
    const g = await graded(value, run('search', 'answer'))
    expect(g).toMatchObject({ pass: false })
    expect(g.score).toBeCloseTo(2 / 3, 12)
    expect(g.reason).toMatch(/^no call matches step 3 \(search\)/)
  })

  it('any-order: matches steps with arguments to calls as a whole, not greedily', async () => {
    // Greedy would give search:paris to the generic first step and leave the second unmatched.
    const value = {
      steps: ['search', { name: 'search', arguments: { q: 'paris' } }],
      mode: 'any-order',
    }
    expect((await graded(value, run('search:paris', 'search:lyon'))).pass).toBe(true)
  })

  it('maxSteps: a run longer than the budget fails naming the first step over it', async () => {
    const value = { steps: ['search', 'answer'], mode: 'in-order', maxSteps: 3 }
    expect((await graded(value, run('search', 'lookup', 'answer'))).pass).toBe(true)
    const g = await graded(value, run('search', 'lookup', 'search', 'lookup', 'answer'))
    expect(g.pass).toBe(false)
    expect(g.score).toBeCloseTo(3 / 5, 12)
    expect(g.reason).toBe(
      'step 4 (lookup) exceeds the budget of 3 steps (5 calls); calls: search → lookup → search → lookup → answer',
    )
    const budgetOnly = await graded({ maxSteps: 1 }, run('search'))
    expect(budgetOnly).toMatchObject({
      pass: true,
      reason: '1 call, within the budget of 1 step; calls: search',
    })
  })

  it('reads the answer’s tool calls when the run reported no trajectory', async () => {
    const g = await grade({ type: 'trajectory', value: { steps: ['search'] } }, '', {
      toolCalls: run('search'),
    })
    expect(g.pass).toBe(true)
  })

  it('rejects an unknown mode, and a value with neither steps nor maxSteps', async () => {
    expect(
      (await configError({ type: 'trajectory', value: { steps: ['a'], mode: 'sorted' } })).message,
    ).toMatch(/invalid value for trajectory at value\.mode/)
    expect((await configError({ type: 'trajectory', value: {} })).message).toMatch(
      /give `steps`, `maxSteps` or both/,
    )
    await expect(
      configError({ type: 'not-trajectory', value: { steps: ['a'] } }),
    ).resolves.toMatchObject({
      message: 'unknown assertion type "not-trajectory"',
    })
  })
})
