import { describe, expect, it } from 'vitest'
import {
  compileFlags,
  type FlagDefinition,
  type FlagFile,
  readRollout,
} from '../../../packages/runtime/src/flags/index.js'
import { ShipgateError } from '../../../src/errors.js'
import { planRamp, planSet, type RampRequest } from '../../../src/workflows/flags/index.js'

const plain: FlagDefinition = {
  state: 'ENABLED',
  defaultVariant: 'v1',
  variants: { v1: 'v1', v2: 'v2', v3: 'v3' },
}
const file = (flag: FlagDefinition = plain): FlagFile => ({ flags: { prompt: flag } })

/** The file after applying `steps` in turn (each must be accepted). */
function ramped(...steps: RampRequest[]): FlagFile {
  let current = file()
  for (const step of steps) {
    const edit = planRamp(current, 'prompt', step)
    if (edit !== null) current = { flags: { prompt: edit.flag } }
  }
  return current
}

/** The variant each of 20,000 users gets. */
function served(flags: FlagFile): string[] {
  const { core } = compileFlags(JSON.stringify(flags), 'flags.json')
  return Array.from(
    { length: 20_000 },
    (_, i) => core.resolveStringEvaluation('prompt', 'none', { targetingKey: `u${i}` }).value,
  )
}

function refusal(run: () => unknown): ShipgateError {
  try {
    run()
  } catch (error) {
    if (error instanceof ShipgateError) return error
    throw error
  }
  throw new Error('expected a refusal')
}

describe('planRamp', () => {
  it('starts a rollout from the default variant and moves it forward, no user moving back', () => {
    const at10 = ramped({ to: 'v2', percent: 10 })
    expect(readRollout(at10, 'prompt')).toEqual({ from: 'v1', to: 'v2', percent: 10 })
    const at35 = ramped({ to: 'v2', percent: 10 }, { to: 'v2', percent: 35.5 })
    expect(readRollout(at35, 'prompt').percent).toBe(35.5)
    const before = served(at10)
    const after = served(at35)
    const lost = before.filter((v, i) => v === 'v2' && after[i] !== 'v2').length
    expect(lost).toBe(0)
    const share = after.filter((v) => v === 'v2').length / after.length
    expect(share).toBeGreaterThan(0.34)
    expect(share).toBeLessThan(0.37)
  })

  it('refuses a lower share for the same variant, naming how many users would move back', () => {
    const at50 = ramped({ to: 'v2', percent: 50 })
    const error = refusal(() => planRamp(at50, 'prompt', { to: 'v2', percent: 20 }))
    expect(error.exitCode).toBe(2)
    expect(error.message).toContain("30% of users from 'v2' back to 'v1'")
    expect(error.hint).toContain('--rollback')
  })

  it('refuses another target variant while the current one has users', () => {
    const at5 = ramped({ to: 'v2', percent: 5 })
    const error = refusal(() => planRamp(at5, 'prompt', { to: 'v3', percent: 50 }))
    expect(error.message).toContain("rolling out 'v2' (5% of users")
    expect(error.hint).toContain('--rollback')
  })

  it('allows another target once the rollout is back at 0%', () => {
    const back = ramped({ to: 'v2', percent: 5 }, { rollback: true })
    expect(readRollout(back, 'prompt').percent).toBe(0)
    const edit = planRamp(back, 'prompt', { to: 'v3', percent: 10 })
    expect(edit?.flag.targeting).toEqual({
      fractional: [
        ['v3', 10],
        ['v1', 90],
      ],
    })
  })

  it('rolls back only with --rollback: everyone back by default, or to a lower share', () => {
    const at50 = ramped({ to: 'v2', percent: 50 })
    const all = planRamp(at50, 'prompt', { rollback: true })
    expect(all?.action).toBe('rollback')
    expect(all?.summary).toBe('v2 50% → 0% (from v1)')
    const partial = planRamp(at50, 'prompt', { to: 'v2', percent: 20, rollback: true })
    const after = served({ flags: { prompt: partial?.flag as FlagDefinition } })
    const before = served(at50)
    // A rollback moves users only from v2 to v1.
    expect(before.filter((v, i) => v === 'v1' && after[i] !== 'v1')).toHaveLength(0)
    const raise = refusal(() => planRamp(at50, 'prompt', { to: 'v2', percent: 80, rollback: true }))
    expect(raise.message).toContain('--rollback only lowers a share')
  })

  it('refuses moving to the old variant without --rollback, and is a no-op at the same share', () => {
    const at50 = ramped({ to: 'v2', percent: 50 })
    expect(refusal(() => planRamp(at50, 'prompt', { to: 'v1', percent: 100 })).message).toContain(
      'back to',
    )
    expect(planRamp(at50, 'prompt', { to: 'v2', percent: 50 })).toBeNull()
  })

  it('refuses custom targeting, an unknown variant and a missing flag', () => {
    const custom = file({ ...plain, targeting: { if: [true, 'v2', 'v1'] } })
    expect(refusal(() => planRamp(custom, 'prompt', { to: 'v2', percent: 5 })).message).toContain(
      'custom targeting',
    )
    const unknown = refusal(() => planRamp(file(), 'prompt', { to: 'v9', percent: 5 }))
    expect(unknown.hint).toBe('add it first: shipgate flags set prompt --variant v9=VALUE')
    expect(refusal(() => planRamp(file(), 'nope', { to: 'v2', percent: 5 })).hint).toBe(
      'its flags are prompt',
    )
    expect(
      refusal(() => planRamp(file(), 'prompt', { to: 'v2', percent: 5.555 })).message,
    ).toContain('at most two decimals')
  })
})

describe('planSet', () => {
  it('creates a flag, adds and replaces variants, and changes the default of a plain flag', () => {
    const created = planSet({ flags: {} }, 'cache', {
      variants: { on: true, off: false },
      defaultVariant: 'off',
    })
    expect(created?.flag).toEqual({
      state: 'ENABLED',
      defaultVariant: 'off',
      variants: { on: true, off: false },
    })
    expect(created?.summary).toBe(
      'new flag, add variant on=true, add variant off=false, default off',
    )
    const edit = planSet(file(), 'prompt', { defaultVariant: 'v2', variants: { v3: 'v3-b' } })
    expect(edit?.flag.defaultVariant).toBe('v2')
    expect(edit?.flag.variants.v3).toBe('v3-b')
    expect(edit?.summary).toBe('replace variant v3="v3-b", default v1 → v2')
    expect(planSet(file(), 'prompt', { defaultVariant: 'v1' })).toBeNull()
  })

  it('promotes a rollout at 100% by dropping its targeting, and refuses a default mid-rollout', () => {
    const full = ramped({ to: 'v2', percent: 100 })
    const promoted = planSet(full, 'prompt', { defaultVariant: 'v2' })
    expect(promoted?.flag.targeting).toBeUndefined()
    expect(promoted?.summary).toBe('drop the settled rollout, default v1 → v2')
    const half = ramped({ to: 'v2', percent: 50 })
    const error = refusal(() => planSet(half, 'prompt', { defaultVariant: 'v2' }))
    expect(error.message).toContain("a rollout of 'v2' at 50% from 'v1'")
  })

  it('refuses a default that is not a variant, and nothing to set', () => {
    expect(refusal(() => planSet(file(), 'prompt', { defaultVariant: 'v9' })).message).toContain(
      "has no variant 'v9'",
    )
    expect(refusal(() => planSet(file(), 'prompt', {})).message).toContain('nothing to set')
    expect(
      refusal(() => planSet({ flags: {} }, 'x', { variants: { a: 1, b: 2 } })).message,
    ).toContain('needs its variants')
  })
})
