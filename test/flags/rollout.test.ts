import { describe, expect, it } from 'vitest'
import {
  compileFlags,
  type FlagFile,
  readRollout,
  rolloutFlag,
  setRollout,
} from '../../packages/runtime/src/flags/index.js'
import { ShipgateError } from '../../src/errors.js'

const USERS = 100_000

/** The variant of each of USERS users under `file`, evaluated by flagd-core (what the provider wraps). */
function variants(file: FlagFile, key = 'prompt_version'): string[] {
  const { core } = compileFlags(JSON.stringify(file), 'flags.json')
  return Array.from(
    { length: USERS },
    (_, i) => core.resolveStringEvaluation(key, 'none', { targetingKey: `user-${i}` }).value,
  )
}

/** Users who had `variant` before and do not any more. */
function lost(before: readonly string[], after: readonly string[], variant: string): number {
  return before.filter((v, i) => v === variant && after[i] !== variant).length
}

const share = (values: readonly string[], v: string): number =>
  values.filter((x) => x === v).length / values.length

const fileAt = (percent: number): FlagFile => ({
  flags: { prompt_version: rolloutFlag({ key: 'prompt_version', from: 'v1', to: 'v2', percent }) },
})

describe('rolloutFlag', () => {
  it('lists the new variant first, with weights [percent, 100 - percent]', () => {
    expect(rolloutFlag({ key: 'prompt_version', from: 'v1', to: 'v2', percent: 10 })).toEqual({
      state: 'ENABLED',
      defaultVariant: 'v1',
      variants: { v1: 'v1', v2: 'v2' },
      targeting: {
        fractional: [
          ['v2', 10],
          ['v1', 90],
        ],
      },
    })
  })

  it('takes variant values, and weights out of 10,000 for fractional percentages', () => {
    const flag = rolloutFlag({
      key: 'semantic_cache',
      from: 'off',
      to: 'on',
      percent: 0.5,
      variants: { on: true, off: false },
    })
    expect(flag.variants).toEqual({ on: true, off: false })
    expect(flag.targeting).toEqual({
      fractional: [
        ['on', 50],
        ['off', 9_950],
      ],
    })
  })

  it.each([
    [{ percent: 101 }, /percent must be a number from 0 to 100/],
    [{ percent: -1 }, /percent must be/],
    [{ percent: 12.345 }, /at most two decimals/],
    [{ percent: Number.NaN }, /percent must be/],
    [{ to: 'v1' }, /from and to are both 'v1'/],
    [{ variants: { v1: 'a' } }, /variant 'v2' is missing from variants/],
  ])('rejects %j', (change, message) => {
    const options = { key: 'prompt_version', from: 'v1', to: 'v2', percent: 10, ...change }
    expect(() => rolloutFlag(options)).toThrow(message)
    expect(() => rolloutFlag(options)).toThrow(ShipgateError)
  })
})

describe('setRollout and readRollout', () => {
  it('rewrites only the weights, returning a new file', () => {
    const before = fileAt(10)
    const after = setRollout(before, 'prompt_version', 25)
    expect(after.flags.prompt_version?.targeting).toEqual({
      fractional: [
        ['v2', 25],
        ['v1', 75],
      ],
    })
    expect(before.flags.prompt_version?.targeting).toEqual({
      fractional: [
        ['v2', 10],
        ['v1', 90],
      ],
    })
    expect(readRollout(after, 'prompt_version')).toEqual({ from: 'v1', to: 'v2', percent: 25 })
    expect(readRollout(setRollout(before, 'prompt_version', 12.5), 'prompt_version').percent).toBe(
      12.5,
    )
  })

  it('keeps a hand-written order and a custom bucketing expression', () => {
    const file: FlagFile = {
      flags: {
        model: {
          state: 'ENABLED',
          defaultVariant: 'sonnet',
          variants: { sonnet: 'claude-3-5-sonnet-20240620', haiku: 'claude-3-5-haiku-20241022' },
          targeting: { fractional: [{ var: 'email' }, ['sonnet', 95], ['haiku', 5]] },
        },
      },
    }
    expect(setRollout(file, 'model', 30).flags.model?.targeting).toEqual({
      fractional: [{ var: 'email' }, ['sonnet', 70], ['haiku', 30]],
    })
    expect(readRollout(file, 'model')).toEqual({ from: 'sonnet', to: 'haiku', percent: 5 })
  })

  it('refuses flags that are not two-way rollouts', () => {
    const plain: FlagFile = {
      flags: { p: { state: 'ENABLED', defaultVariant: 'a', variants: { a: 'a', b: 'b' } } },
    }
    expect(() => setRollout(plain, 'p', 10)).toThrow(/not a percentage rollout/)
    expect(() => setRollout(plain, 'missing', 10)).toThrow(/flag 'missing' is not in the flag file/)
    const noDefault: FlagFile = {
      flags: {
        p: {
          state: 'ENABLED',
          defaultVariant: 'a',
          variants: { a: 'a', b: 'b', c: 'c' },
          targeting: {
            fractional: [
              ['b', 50],
              ['c', 50],
            ],
          },
        },
      },
    }
    expect(() => setRollout(noDefault, 'p', 10)).toThrow(/one bucket must be the default variant/)
  })
})

describe('ramps are monotone (100,000 users, flagd-core fractional)', () => {
  it('5 → 10 → 10.5 → 25 → 50 → 100: nobody who had the new variant loses it', () => {
    let file = fileAt(5)
    let before = variants(file)
    expect(share(before, 'v2')).toBeCloseTo(0.05, 2)
    for (const percent of [10, 10.5, 25, 50, 100]) {
      file = setRollout(file, 'prompt_version', percent)
      const after = variants(file)
      expect(lost(before, after, 'v2')).toBe(0)
      expect(Math.abs(share(after, 'v2') - percent / 100)).toBeLessThan(0.005)
      before = after
    }
    expect(share(before, 'v2')).toBe(1)
  })

  it('a rollback (25 → 10) moves only new-variant users back', () => {
    const at25 = variants(fileAt(25))
    const at10 = variants(setRollout(fileAt(25), 'prompt_version', 10))
    expect(lost(at25, at10, 'v1')).toBe(0)
  })

  it('is monotone with the new variant listed last too, as long as the order is kept', () => {
    const last = (percent: number): FlagFile => ({
      flags: {
        prompt_version: {
          ...rolloutFlag({ key: 'prompt_version', from: 'v1', to: 'v2', percent }),
          targeting: {
            fractional: [
              ['v1', 100 - percent],
              ['v2', percent],
            ],
          },
        },
      },
    })
    const at10 = variants(last(10))
    const at25 = variants(setRollout(last(10), 'prompt_version', 25))
    expect(lost(at10, at25, 'v2')).toBe(0)
    // Swapping the order between two steps reshuffles: the 10 % cohort (top of the hash
    // range) and the 25 % one (bottom) are disjoint.
    const swapped = variants(fileAt(25))
    const cohort = at10.filter((v) => v === 'v2').length
    expect(lost(at10, swapped, 'v2')).toBe(cohort)
  })

  it('buckets by flag key: another flag at the same percentage picks other users', () => {
    const a = variants(fileAt(10))
    const renamed: FlagFile = {
      flags: { prompt_v: rolloutFlag({ key: 'prompt_v', from: 'v1', to: 'v2', percent: 10 }) },
    }
    const b = variants(renamed, 'prompt_v')
    const both = a.filter((v, i) => v === 'v2' && b[i] === 'v2').length / USERS
    expect(both).toBeGreaterThan(0.005)
    expect(both).toBeLessThan(0.015) // independent: about 10 % of 10 %
  })
})
