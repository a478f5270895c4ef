import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { compileFlags, createFlagEvaluator } from '../../../packages/runtime/src/flags/index.js'
import {
  allocationBuckets,
  movedUsers,
  segmentsOf,
} from '../../../src/workflows/experiment/allocation.js'
import { rampFlag } from '../../../src/workflows/flags/index.js'
import { experimentStart } from '../../../src/workflows/experiment/index.js'
import { flagProject } from './fixtures.js'

/*
 * The segment model of a fractional flag against the runtime's own evaluation (flagd-core):
 * what the model says a start moves is what users see.
 */

const USERS = Array.from({ length: 3000 }, (_, i) => `user-${i}`)

/** Each user's variant of flag `prompt` in the project's flag file now. */
function served(dir: string): Map<string, string> {
  const path = join(dir, 'flags.json')
  const compiled = compileFlags(readFileSync(path, 'utf8'), path)
  const evaluator = createFlagEvaluator(() => compiled)
  return new Map(
    USERS.map((u) => [u, evaluator.getStringValue('prompt', 'none', { targetingKey: u })]),
  )
}

describe('allocation buckets and segments', () => {
  it('weights out of 100 or 10,000, control last, summing exactly', () => {
    expect(allocationBuckets({ A: 60, B: 40 }, 'A')).toEqual([
      ['B', 40],
      ['A', 60],
    ])
    expect(allocationBuckets({ A: 1, B: 2 }, 'A')).toEqual([
      ['B', 6667],
      ['A', 3333],
    ])
    const three = allocationBuckets({ A: 1, B: 1, C: 1 }, 'A')
    expect(three.reduce((s, [, w]) => s + w, 0)).toBe(10_000)
  })

  it('reads custom targeting as unknown and counts moved shares', () => {
    const flag = { state: 'ENABLED' as const, defaultVariant: 'A', variants: { A: 'A', B: 'B' } }
    expect(segmentsOf({ ...flag, targeting: { if: [true, 'B', 'A'] } })).toBeNull()
    const before = segmentsOf({
      ...flag,
      targeting: {
        fractional: [
          ['B', 80],
          ['A', 20],
        ],
      },
    })
    const after = segmentsOf({
      ...flag,
      targeting: {
        fractional: [
          ['B', 50],
          ['A', 50],
        ],
      },
    })
    expect(movedUsers(before ?? [], after ?? [])).toEqual([{ from: 'B', to: 'A', percent: 30 }])
  })

  it('agrees with the runtime: a start from a 20% rollout keeps every user who had v2', async () => {
    const dir = flagProject()
    await rampFlag({ cwd: dir, env: {}, who: 't' }, 'prompt', { to: 'v2', percent: 20 })
    const before = served(dir)
    const started = await experimentStart('checkout', { cwd: dir, env: {}, who: 't' })
    const after = served(dir)
    const hadV2 = USERS.filter((u) => before.get(u) === 'v2')
    expect(hadV2.length).toBeGreaterThan(450)
    expect(hadV2.every((u) => after.get(u) === 'v2')).toBe(true)
    const movedShare = USERS.filter((u) => before.get(u) !== after.get(u)).length / USERS.length
    expect(started.moved).toEqual([{ from: 'v1', to: 'v2', percent: 30 }])
    expect(Math.abs(movedShare - 0.3)).toBeLessThan(0.03)
  })

  it('agrees with the runtime on three arms', async () => {
    const dir = flagProject()
    await experimentStart('trio', { cwd: dir, env: {}, who: 't' })
    const counts = new Map<string, number>()
    for (const v of served(dir).values()) counts.set(v, (counts.get(v) ?? 0) + 1)
    for (const v of ['v1', 'v2', 'v3'])
      expect(Math.abs((counts.get(v) ?? 0) / USERS.length - 1 / 3)).toBeLessThan(0.03)
  })
})
