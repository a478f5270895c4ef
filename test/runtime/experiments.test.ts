import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ShipgateError } from '../../packages/runtime/src/errors.js'
import {
  createExperiment,
  type ExperimentEvent,
  type ExperimentSink,
} from '../../packages/runtime/src/experiments/index.js'
import {
  FileFlagProvider,
  type FlagFile,
  rolloutFlag,
  setRollout,
} from '../../packages/runtime/src/flags/index.js'
import { tempDir, writeFlags } from '../flags/helpers.js'

/* createExperiment over the real file-watching flag provider: assignment, exposures, events. */

const fileAt = (percent: number): FlagFile => ({
  flags: {
    prompt_version: rolloutFlag({ key: 'prompt_version', from: 'v1', to: 'v2', percent }),
    model: {
      state: 'ENABLED',
      defaultVariant: 'small',
      variants: { small: { id: 'haiku' }, large: { id: 'sonnet' } },
      targeting: { if: [{ '==': [{ var: 'plan' }, 'pro'] }, 'large', null] },
    },
  },
})

/** A sink keeping what it was given. */
class MemorySink implements ExperimentSink {
  readonly events: ExperimentEvent[] = []
  write(events: readonly ExperimentEvent[]): void {
    this.events.push(...events)
  }
  flush = (): Promise<void> => Promise.resolve()
  close = (): Promise<void> => Promise.resolve()
  of<T extends ExperimentEvent['type']>(type: T): Extract<ExperimentEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<ExperimentEvent, { type: T }> => e.type === type)
  }
}

let dir: string
let remove: () => void
let path: string
const providers: FileFlagProvider[] = []

async function provider(options: { watch?: 'auto' | false } = {}): Promise<FileFlagProvider> {
  const flags = new FileFlagProvider({ path, watch: options.watch ?? false, debounceMs: 20 })
  await flags.initialize()
  providers.push(flags)
  return flags
}

function experiment(flags: FileFlagProvider, sink = new MemorySink(), extra = {}) {
  let n = 0
  const ex = createExperiment({
    name: 'prompt-v2',
    flag: 'prompt_version',
    flags,
    fallback: 'v1',
    sink,
    now: () => Date.UTC(2026, 11, 7, 12, 0, 0),
    id: () => `id-${++n}`,
    logger: { warn: () => undefined },
    ...extra,
  })
  return { ex, sink }
}

const USERS = Array.from({ length: 100_000 }, (_, i) => `user-${i}`)

beforeEach(async () => {
  ;({ dir, remove } = tempDir())
  path = `${dir}/flags.json`
  await writeFlags(path, fileAt(50))
})

afterEach(async () => {
  await Promise.all(providers.splice(0).map((p) => p.onClose()))
  remove()
})

describe('createExperiment: assignment through the flag', () => {
  it('gives a user the same variant from two instances (two processes)', async () => {
    const a = experiment(await provider()).ex
    const b = experiment(await provider()).ex
    const first = USERS.slice(0, 5_000).map((u) => a.assign(u).variant)
    expect(USERS.slice(0, 5_000).map((u) => b.assign(u).variant)).toEqual(first)
    expect(new Set(first)).toEqual(new Set(['v1', 'v2']))
    // The value is the variant's value, and the variant is what flagd serves this user.
    expect(a.assign('user-1')).toEqual({
      variant: first[1],
      value: first[1],
    })
  })

  it.each([
    [50, 0.5],
    [10, 0.1],
  ])('splits 100,000 users %i %% to v2 (share %d) within ±1 point', async (percent, expected) => {
    await writeFlags(path, fileAt(percent))
    const { ex, sink } = experiment(await provider())
    const v2 = USERS.filter((u) => ex.assign(u).variant === 'v2').length / USERS.length
    expect(Math.abs(v2 - expected)).toBeLessThan(0.01)
    expect(sink.of('exposure')).toHaveLength(USERS.length)
  })

  it('follows a ramp of the flag file within a second, without a restart', async () => {
    await writeFlags(path, fileAt(10))
    const { ex, sink } = experiment(await provider({ watch: 'auto' }))
    const users = USERS.slice(0, 2_000)
    const before = users.map((u) => ex.assign(u).variant)
    const started = Date.now()
    await writeFlags(path, setRollout(fileAt(10), 'prompt_version', 50))
    let after = before
    while (Date.now() - started < 5_000) {
      after = users.map((u) => ex.assign(u).variant)
      if (after.filter((v) => v === 'v2').length > 800) break
      await new Promise((r) => setTimeout(r, 10))
    }
    const followedMs = Date.now() - started
    expect(followedMs).toBeLessThan(1_000)
    const share = after.filter((v) => v === 'v2').length / users.length
    expect(Math.abs(share - 0.5)).toBeLessThan(0.04)
    // Monotone: nobody on v2 went back; each moved user got one new exposure, on v2.
    const moved = users.filter((_, i) => before[i] === 'v1' && after[i] === 'v2')
    expect(users.filter((_, i) => before[i] === 'v2' && after[i] !== 'v2')).toEqual([])
    const exposures = sink.of('exposure')
    expect(exposures).toHaveLength(users.length + moved.length)
    expect(exposures.slice(users.length).every((e) => e.variant === 'v2')).toBe(true)
  })
})

describe('createExperiment: events', () => {
  it('records one exposure per user and variant, and the exact event', async () => {
    const { ex, sink } = experiment(await provider())
    for (let i = 0; i < 3; i++) ex.assign('alice')
    ex.assign('bob')
    const exposures = sink.of('exposure')
    expect(exposures.map((e) => e.user)).toEqual(['alice', 'bob'])
    expect(exposures[0]).toEqual({
      v: 1,
      id: 'id-1',
      type: 'exposure',
      experiment: 'prompt-v2',
      variant: ex.assign('alice').variant,
      user: 'alice',
      at: '2026-12-07T12:00:00.000Z',
    })
    expect(ex.stats()).toMatchObject({ exposures: 2, users: 2 })
  })

  it('remembers at most maxUsers users: an evicted user is exposed again', async () => {
    const { ex, sink } = experiment(await provider(), new MemorySink(), { maxUsers: 2 })
    for (const u of ['a', 'b', 'a', 'c', 'a', 'b']) ex.assign(u)
    // a, b; a refreshed; c evicts b; a remembered; b again.
    expect(sink.of('exposure').map((e) => e.user)).toEqual(['a', 'b', 'c', 'b'])
    expect(ex.stats().users).toBe(2)
  })

  it('tracks outcomes under the served variant, or the flag variant for a user not served here', async () => {
    const flags = await provider()
    const { ex, sink } = experiment(flags)
    const served = ex.assign('alice').variant
    ex.track('alice', 'task_success', 1)
    ex.track('alice', 'cost_usd', 0.0031)
    ex.track('carol', 'thumbs', -1)
    const outcomes = sink.of('outcome')
    expect(
      outcomes.map(({ user, variant, name, value }) => ({ user, variant, name, value })),
    ).toEqual([
      { user: 'alice', variant: served, name: 'task_success', value: 1 },
      { user: 'alice', variant: served, name: 'cost_usd', value: 0.0031 },
      {
        user: 'carol',
        variant: flags.evaluator.getStringValue('prompt_version', 'x', { targetingKey: 'carol' }),
        name: 'thumbs',
        value: -1,
      },
    ])
    expect(outcomes[0]).toMatchObject({
      v: 1,
      experiment: 'prompt-v2',
      at: '2026-12-07T12:00:00.000Z',
    })
    expect(new Set(sink.events.map((e) => e.id)).size).toBe(sink.events.length)
    // Tracking is not an exposure.
    expect(sink.of('exposure').map((e) => e.user)).toEqual(['alice'])
  })

  it('rejects a non-finite outcome value or an empty name with a usage error', async () => {
    const { ex, sink } = experiment(await provider())
    for (const value of [Number.NaN, Infinity, -Infinity]) {
      const error = (() => {
        try {
          ex.track('alice', 'latency_ms', value)
        } catch (e) {
          return e
        }
      })()
      expect(error).toBeInstanceOf(ShipgateError)
      expect((error as ShipgateError).code).toBe('usage')
      expect((error as Error).message).toContain('finite number')
    }
    expect(() => ex.track('alice', '', 1)).toThrow(/non-empty/)
    expect(sink.events).toEqual([])
  })

  it('samples about sampleRate of responses: 0.1 over 20,000 calls within ±1.5 points', async () => {
    const { ex, sink } = experiment(await provider(), new MemorySink(), {
      sampleRate: 0.1,
      random: Math.random,
    })
    let sampled = 0
    for (let i = 0; i < 20_000; i++) {
      if (ex.sample(`user-${i % 500}`, { input: `q${i}`, output: `a${i}` })) sampled++
    }
    expect(Math.abs(sampled / 20_000 - 0.1)).toBeLessThan(0.015)
    const samples = sink.of('sample')
    expect(samples).toHaveLength(sampled)
    const first = samples[0]!
    const i = Number(first.input.slice(1))
    expect(first).toMatchObject({ type: 'sample', user: `user-${i % 500}`, output: `a${i}` })
    expect(['v1', 'v2']).toContain(first.variant)
  })

  it('never samples at the default rate of 0', async () => {
    const { ex, sink } = experiment(await provider())
    for (let i = 0; i < 1_000; i++) expect(ex.sample('u', { input: 'q', output: 'a' })).toBe(false)
    expect(sink.events).toEqual([])
  })

  it('serves object values, and the fallback without events when the flag is missing or there is no user', async () => {
    const flags = await provider()
    const sink = new MemorySink()
    const model = createExperiment({
      name: 'm',
      flag: 'model',
      flags: flags.evaluator,
      fallback: { id: 'x' },
      sink,
    })
    expect(model.assign('u')).toEqual({ variant: 'small', value: { id: 'haiku' } })
    // `context` adds targeting attributes; the user stays the targeting key.
    expect(model.assign('u', { plan: 'pro', targetingKey: 'other' })).toEqual({
      variant: 'large',
      value: { id: 'sonnet' },
    })
    expect(sink.of('exposure').map((e) => [e.user, e.variant])).toEqual([
      ['u', 'small'],
      ['u', 'large'],
    ])
    const missing = createExperiment({ name: 'gone', flag: 'nope', flags, fallback: 'v1', sink })
    expect(missing.assign('u')).toEqual({ variant: undefined, value: 'v1' })
    missing.track('u', 'task_success', 1)
    const anonymous = experiment(flags, sink).ex
    expect(anonymous.assign('')).toEqual({ variant: undefined, value: 'v1' }) // default variant
    expect(anonymous.assign(undefined)).toEqual({ variant: undefined, value: 'v1' })
    anonymous.track(undefined, 'task_success', 1)
    expect(anonymous.stats()).toMatchObject({ unassigned: 3, exposures: 0, outcomes: 0 })
    expect(() => anonymous.assign(42 as unknown as string)).toThrow(/must be a string/)
    expect(sink.events.map((e) => e.experiment)).toEqual(['m', 'm'])
    expect(missing.stats()).toMatchObject({ unassigned: 2, exposures: 0, outcomes: 0 })
  })

  it('keeps serving when the sink throws: counted, logged once', async () => {
    const warnings: string[] = []
    const broken: ExperimentSink = {
      write: () => {
        throw new Error('disk on fire')
      },
      flush: () => Promise.resolve(),
      close: () => Promise.resolve(),
    }
    const { ex } = experiment(await provider(), broken as MemorySink, {
      logger: { warn: (m: string) => warnings.push(m) },
    })
    expect(ex.assign('a').variant).toMatch(/^v[12]$/)
    ex.assign('b')
    ex.track('a', 'task_success', 1)
    expect(ex.stats().sinkErrors).toBe(3)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('disk on fire')
  })

  it('refuses bad options with a usage error', async () => {
    const flags = await provider()
    const sink = new MemorySink()
    const base = { name: 'e', flag: 'prompt_version', flags, fallback: 'v1', sink }
    expect(() => createExperiment({ ...base, sampleRate: 1.5 })).toThrow(/sampleRate/)
    expect(() => createExperiment({ ...base, name: '' })).toThrow(/name/)
    expect(() => createExperiment({ ...base, maxUsers: 0 })).toThrow(/maxUsers/)
    // An OpenFeature client evaluates asynchronously: refused when created, not at a request.
    const client = { getStringDetails: () => Promise.resolve({}) }
    expect(() =>
      createExperiment({ ...base, flags: client as unknown as FileFlagProvider }),
    ).toThrow(/`flags` must be a FileFlagProvider or its `evaluator`/)
  })
})
