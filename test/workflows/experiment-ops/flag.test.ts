import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { FlagChange } from '../../../src/contracts/flags.js'
import { ConfigError, ShipgateError } from '../../../src/errors.js'
import { rampFlag } from '../../../src/workflows/flags/index.js'
import { showRelease } from '../../../src/workflows/release/index.js'
import {
  experimentShip,
  experimentStart,
  experimentStop,
} from '../../../src/workflows/experiment/index.js'
import { FileFlagProvider } from '../../../packages/runtime/src/index.js'
import { FLAGS, flagProject } from './fixtures.js'

/*
 * experiment start|ship|stop on a flag file in a temp project: the file after each, the lines
 * of flags.history.jsonl, refusals that leave both as they were, and ship's release in the
 * project's SQLite store.
 */

const env = { USER: 'ops-user' }
const now = () => new Date('2026-12-07T10:00:00Z')
const opts = (cwd: string) => ({ cwd, env, now, who: 'ops-user' })

const flagOf = (dir: string) =>
  (
    JSON.parse(readFileSync(join(dir, 'flags.json'), 'utf8')) as {
      flags: { prompt: { defaultVariant: string; targeting?: unknown } }
    }
  ).flags.prompt

const history = (dir: string): FlagChange[] => {
  let text = ''
  try {
    text = readFileSync(join(dir, 'flags.history.jsonl'), 'utf8')
  } catch {
    return []
  }
  return text
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as FlagChange)
}

async function rejection(promise: Promise<unknown>): Promise<ShipgateError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (error instanceof ShipgateError) return error
  throw new Error(`expected a ShipgateError, got ${String(error)}`)
}

describe('experimentStart', () => {
  it('writes the allocation as a fractional rule, records it, and is a no-op the second time', async () => {
    const dir = flagProject()
    const started = await experimentStart('checkout', opts(dir))
    expect(flagOf(dir)).toMatchObject({
      defaultVariant: 'v1',
      targeting: {
        fractional: [
          ['v2', 50],
          ['v1', 50],
        ],
      },
    })
    expect(started.moved).toEqual([{ from: 'v1', to: 'v2', percent: 50 }])
    expect(started.forced).toBe(false)
    const lines = history(dir)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({
      flag: 'prompt',
      who: 'ops-user',
      action: 'set',
      at: '2026-12-07T10:00:00.000Z',
      reason: 'experiment checkout start',
      summary: 'v2 50%, v1 50% by targetingKey, default v1',
    })

    const file = readFileSync(join(dir, 'flags.json'), 'utf8')
    const again = await experimentStart('checkout', opts(dir))
    expect(again.changes).toEqual([])
    expect(readFileSync(join(dir, 'flags.json'), 'utf8')).toBe(file)
    expect(history(dir)).toHaveLength(1)
  })

  it('normalizes weights that are not whole percentages out of 10,000', async () => {
    const dir = flagProject()
    await experimentStart('trio', opts(dir))
    expect(flagOf(dir).targeting).toEqual({
      fractional: [
        ['v2', 3334],
        ['v3', 3333],
        ['v1', 3333],
      ],
    })
  })

  it('refuses to move users who already have a treatment, unless forced', async () => {
    const dir = flagProject()
    await rampFlag({ ...opts(dir) }, 'prompt', { to: 'v2', percent: 80 })
    const file = readFileSync(join(dir, 'flags.json'), 'utf8')
    const refused = await rejection(experimentStart('checkout', opts(dir)))
    expect(refused.exitCode).toBe(2)
    expect(refused.message).toContain(
      "refused to start experiment 'checkout': flag 'prompt' would move 30% of users from 'v2' to 'v1'",
    )
    expect(refused.hint).toContain('--force')
    expect(readFileSync(join(dir, 'flags.json'), 'utf8')).toBe(file)
    expect(history(dir)).toHaveLength(1)

    const forced = await experimentStart('checkout', { ...opts(dir), force: true })
    expect(forced.forced).toBe(true)
    expect(forced.moved).toEqual([{ from: 'v2', to: 'v1', percent: 30 }])
    expect(history(dir).map((c) => c.action)).toEqual(['ramp', 'set'])
  })

  it('allows moving users from control into treatments (a rollout below the allocation)', async () => {
    const dir = flagProject()
    await rampFlag({ ...opts(dir) }, 'prompt', { to: 'v2', percent: 20 })
    const started = await experimentStart('checkout', opts(dir))
    expect(started.moved).toEqual([{ from: 'v1', to: 'v2', percent: 30 }])
  })

  it('names the flag file line of a missing variant or flag', async () => {
    const dir = flagProject()
    const missing = await rejection(experimentStart('typo', opts(dir)))
    expect(missing).toBeInstanceOf(ConfigError)
    const issue = (missing as ConfigError).issues[0]
    expect(issue).toMatchObject({ file: join(dir, 'flags.json'), line: 6 })
    expect(issue?.message).toBe(
      "experiment 'typo': flag 'prompt' has no variant 'v9' (its variants: v1, v2, v3)",
    )
    expect(issue?.hint).toContain('shipgate.yaml:')

    const none = flagProject('{\n  "flags": {}\n}\n')
    const absent = await rejection(experimentStart('checkout', opts(none)))
    expect((absent as ConfigError).issues[0]).toMatchObject({
      file: join(none, 'flags.json'),
      line: 2,
      message: "experiment 'checkout': the flag file has no flag 'prompt' (its flags: none)",
    })
    const unknown = await rejection(experimentStart('chekout', opts(dir)))
    expect(unknown.message).toBe(`no experiment 'chekout' in ${join(dir, 'shipgate.yaml')}`)
    expect(unknown.hint).toBe("did you mean 'checkout'?")
  })
})

describe('experimentShip', () => {
  it('ramps the winner to 100%, settles it, records both steps and a release', async () => {
    const dir = flagProject()
    await experimentStart('checkout', opts(dir))
    const shipped = await experimentShip('checkout', { ...opts(dir), variant: 'v2' })
    expect(flagOf(dir)).toEqual({
      state: 'ENABLED',
      defaultVariant: 'v2',
      variants: { v1: 'v1', v2: 'v2', v3: 'v3' },
    })
    expect(shipped.moved).toEqual([{ from: 'v1', to: 'v2', percent: 50 }])
    const lines = history(dir)
    expect(lines.map((c) => [c.action, c.summary, c.reason])).toEqual([
      ['set', 'v2 50%, v1 50% by targetingKey, default v1', 'experiment checkout start'],
      ['ramp', 'v2 50% → 100% (from v1)', 'experiment checkout ship'],
      ['set', 'drop the settled rollout, default v1 → v2', 'experiment checkout ship'],
    ])
    expect(shipped.release?.status).toBe('created')
    const release = await showRelease({ cwd: dir, env, ref: 'experiment-checkout-v2' })
    expect(release.id).toBe(shipped.release?.id)
    expect(release.flags?.path).toBe('flags.json')
  })

  it('refuses a variant the experiment does not have, listing them', async () => {
    const dir = flagProject()
    const refused = await rejection(experimentShip('checkout', { ...opts(dir), variant: 'v3' }))
    expect(refused.exitCode).toBe(2)
    expect(refused.message).toBe("experiment 'checkout' has no variant 'v3' (its variants: v1, v2)")
    expect(readFileSync(join(dir, 'flags.json'), 'utf8')).toBe(FLAGS)
  })

  it('shows the change with dryRun and writes nothing', async () => {
    const dir = flagProject()
    await experimentStart('checkout', opts(dir))
    const file = readFileSync(join(dir, 'flags.json'), 'utf8')
    const dry = await experimentShip('checkout', { ...opts(dir), variant: 'v2', dryRun: true })
    expect(dry.dryRun).toBe(true)
    expect(dry.changes.map((c) => c.action)).toEqual(['ramp', 'set'])
    expect(dry.after).toEqual({
      state: 'ENABLED',
      defaultVariant: 'v2',
      variants: { v1: 'v1', v2: 'v2', v3: 'v3' },
    })
    expect(dry.release).toBeNull()
    expect(readFileSync(join(dir, 'flags.json'), 'utf8')).toBe(file)
    expect(history(dir)).toHaveLength(1)
  })

  it('ships one arm of three in one rewrite: its users stay, the others move to it', async () => {
    const dir = flagProject()
    await experimentStart('trio', opts(dir))
    const shipped = await experimentShip('trio', { ...opts(dir), variant: 'v3' })
    expect(flagOf(dir)).toMatchObject({ defaultVariant: 'v3' })
    expect(flagOf(dir).targeting).toBeUndefined()
    expect(shipped.moved).toEqual([
      { from: 'v2', to: 'v3', percent: 33.34 },
      { from: 'v1', to: 'v3', percent: 33.33 },
    ])
    expect(history(dir).map((c) => c.action)).toEqual(['set', 'set'])
  })
})

describe('experimentShip of control', () => {
  it('rolls the treatment back through flags ramp --rollback, then settles', async () => {
    const dir = flagProject()
    await experimentStart('checkout', opts(dir))
    const shipped = await experimentShip('checkout', { ...opts(dir), variant: 'v1' })
    expect(flagOf(dir)).toMatchObject({ defaultVariant: 'v1' })
    expect(flagOf(dir).targeting).toBeUndefined()
    expect(shipped.moved).toEqual([{ from: 'v2', to: 'v1', percent: 50 }])
    expect(history(dir).map((c) => [c.action, c.summary])).toEqual([
      ['set', 'v2 50%, v1 50% by targetingKey, default v1'],
      ['rollback', 'v2 50% → 0% (from v1)'],
      ['set', 'drop the settled rollout'],
    ])
    expect(shipped.release?.name).toBe('experiment-checkout-v1')
  })
})

describe('experimentStart from another default', () => {
  it('refuses when everyone is on a variant other than control', async () => {
    const dir = flagProject(FLAGS.replace('"defaultVariant": "v1"', '"defaultVariant": "v2"'))
    const refused = await rejection(experimentStart('checkout', opts(dir)))
    expect(refused.message).toContain("would move 50% of users from 'v2' to 'v1'")
    const dry = await experimentStart('checkout', { ...opts(dir), force: true, dryRun: true })
    expect(dry.forced).toBe(true)
    expect(dry.changes).toHaveLength(1)
    expect(history(dir)).toEqual([])
  })
})

describe('a DISABLED flag', () => {
  const disabled = FLAGS.replace('"ENABLED"', '"DISABLED"')

  it('is enabled on the shipped variant by ship, so everyone gets it', async () => {
    const dir = flagProject(disabled)
    const shipped = await experimentShip('checkout', { ...opts(dir), variant: 'v2' })
    expect(flagOf(dir)).toEqual({
      state: 'ENABLED',
      defaultVariant: 'v2',
      variants: { v1: 'v1', v2: 'v2', v3: 'v3' },
    })
    expect(shipped.changes.map((c) => c.summary)).toEqual(['everyone on v2 (was: disabled)'])
  })

  it('is enabled on control by stop', async () => {
    const dir = flagProject(disabled)
    await experimentStop('checkout', opts(dir))
    expect(flagOf(dir)).toMatchObject({ state: 'ENABLED', defaultVariant: 'v1' })
    expect(history(dir).at(-1)).toMatchObject({ summary: 'everyone back on v1' })
  })
})

describe('experimentStop', () => {
  it('returns everyone to control, recorded as a rollback that moves users', async () => {
    const dir = flagProject()
    await experimentStart('checkout', opts(dir))
    const stopped = await experimentStop('checkout', { ...opts(dir), reason: 'guardrail' })
    expect(flagOf(dir)).toEqual({
      state: 'ENABLED',
      defaultVariant: 'v1',
      variants: { v1: 'v1', v2: 'v2', v3: 'v3' },
    })
    expect(stopped.moved).toEqual([{ from: 'v2', to: 'v1', percent: 50 }])
    expect(history(dir).at(-1)).toMatchObject({
      action: 'rollback',
      summary: 'everyone back on v1',
      reason: 'experiment checkout stop: guardrail',
    })
    const again = await experimentStop('checkout', opts(dir))
    expect(again.changes).toEqual([])
    expect(history(dir)).toHaveLength(2)
  })
})

describe('a running FileFlagProvider', () => {
  it('serves the shipped variant to a user of control within a second of ship', async () => {
    const dir = flagProject()
    await experimentStart('checkout', opts(dir))
    const provider = new FileFlagProvider({ path: join(dir, 'flags.json') })
    await provider.initialize()
    try {
      const variantOf = (user: string) =>
        provider.evaluator.getStringValue('prompt', 'none', { targetingKey: user })
      const users = Array.from({ length: 200 }, (_, i) => `user-${i}`)
      const onControl = users.filter((u) => variantOf(u) === 'v1')
      const onWinner = users.filter((u) => variantOf(u) === 'v2')
      expect(onControl.length).toBeGreaterThan(60)
      expect(onWinner.length).toBeGreaterThan(60)
      const user = onControl[0] as string

      await experimentShip('checkout', { ...opts(dir), variant: 'v2' })
      const shipped = Date.now()
      while (variantOf(user) !== 'v2' && Date.now() - shipped < 5000)
        await new Promise((r) => setTimeout(r, 10))
      expect(Date.now() - shipped).toBeLessThan(1000)
      expect(users.every((u) => variantOf(u) === 'v2')).toBe(true)
      expect(provider.evaluator.getStringValue('prompt', 'none', {})).toBe('v2')
    } finally {
      await provider.onClose()
    }
  })
})
