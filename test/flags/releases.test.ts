import { describe, expect, it } from 'vitest'
import {
  compileFlags,
  createFlagEvaluator,
  createFlagReleases,
  type FlagFile,
  isReleaseFlagValue,
  rolloutFlag,
  setRollout,
  type CompiledFlags,
} from '../../packages/runtime/src/flags/index.js'

const STABLE = { release: 'rel-stable', name: 'v1', env: { PROMPT_VERSION: 'v1' } }
const CANARY = { release: 'rel-canary', env: { PROMPT_VERSION: 'v2', MODEL_VERSION: 'm2' } }
const FALLBACK = { release: 'rel-process', env: {} }

/** A release flag rolling `rel-canary` out to `percent` % over `rel-stable`. */
function rollout(percent: number): FlagFile {
  const flag = rolloutFlag({
    key: 'release',
    from: STABLE.release,
    to: CANARY.release,
    percent,
    variants: { [CANARY.release]: { ...CANARY }, [STABLE.release]: { ...STABLE } },
  })
  return { flags: { release: flag } }
}

/** Releases over `file`, which `load` replaces as a reloading provider would. */
function releasesOver(file: FlagFile, labels: { release: string; variant: string }[] = []) {
  const state: { compiled: CompiledFlags } = { compiled: compile(file) }
  const releases = createFlagReleases({
    evaluator: createFlagEvaluator(() => state.compiled),
    fallback: FALLBACK,
    label: (l) => labels.push({ ...l }),
  })
  return { releases, load: (next: FlagFile) => (state.compiled = compile(next)) }
}

function compile(file: FlagFile): CompiledFlags {
  return compileFlags(JSON.stringify(file), 'flags.json')
}

const USERS = Array.from({ length: 10_000 }, (_, i) => `user-${i}`)

describe('createFlagReleases', () => {
  it('gives each user a release by the fractional rollout, with its env, and labels it', () => {
    const labels: { release: string; variant: string }[] = []
    const { releases } = releasesOver(rollout(30), labels)
    const choices = USERS.map((u) => releases.choose(u))
    const canary = choices.filter((c) => c.release === CANARY.release)
    expect(canary.length / USERS.length).toBeGreaterThan(0.28)
    expect(canary.length / USERS.length).toBeLessThan(0.32)
    expect(canary[0]).toEqual({ ...CANARY, variant: 'canary' })
    expect(choices.find((c) => c.release === STABLE.release)).toEqual({
      ...STABLE,
      variant: 'stable',
    })
    expect(labels).toHaveLength(USERS.length)
    expect(labels.filter((l) => l.variant === 'canary')).toHaveLength(canary.length)
    expect(labels.every((l) => (l.variant === 'canary') === (l.release === CANARY.release))).toBe(
      true,
    )
    // Sticky: the same user gets the same release every time.
    expect(releases.choose('user-7').release).toBe(choices[7]?.release)
  })

  it('serves the default variant without a user id, and names it as current', () => {
    const { releases } = releasesOver(rollout(50))
    expect(releases.choose(undefined)).toMatchObject({ release: STABLE.release, variant: 'stable' })
    expect(releases.choose('')).toMatchObject({ release: STABLE.release })
    expect(releases.current()).toBe(STABLE.release)
  })

  it('follows the flag as it changes: users only move forward, then everyone is on the new one', () => {
    const { releases, load } = releasesOver(rollout(10))
    const at10 = new Set(USERS.filter((u) => releases.choose(u).release === CANARY.release))
    load(setRollout(rollout(10), 'release', 60))
    const at60 = new Set(USERS.filter((u) => releases.choose(u).release === CANARY.release))
    expect([...at10].every((u) => at60.has(u))).toBe(true)
    expect(at60.size).toBeGreaterThan(at10.size * 4)
    load({
      flags: {
        release: {
          state: 'ENABLED',
          defaultVariant: CANARY.release,
          variants: { [CANARY.release]: { ...CANARY } },
        },
      },
    })
    expect(releases.current()).toBe(CANARY.release)
    expect(releases.choose('user-1')).toEqual({ ...CANARY, variant: 'stable' })
  })

  it('serves the fallback when the flag is missing, disabled or not a release flag', () => {
    const strings: FlagFile = {
      flags: {
        release: { state: 'ENABLED', defaultVariant: 'a', variants: { a: 'a', b: 'b' } },
      },
    }
    const disabled: FlagFile = {
      flags: { release: { ...rollout(50).flags.release!, state: 'DISABLED' } },
    }
    for (const file of [{ flags: {} }, strings, disabled]) {
      const { releases } = releasesOver(file)
      expect(releases.choose('user-1')).toEqual({ ...FALLBACK, variant: 'stable' })
      expect(releases.current()).toBe(FALLBACK.release)
    }
  })

  it('serves the fallback before the provider has loaded the file', () => {
    const releases = createFlagReleases({
      evaluator: createFlagEvaluator(() => undefined),
      fallback: FALLBACK,
    })
    expect(releases.choose('user-1').release).toBe(FALLBACK.release)
  })

  it('reads a release value only with a release id and string settings', () => {
    expect(isReleaseFlagValue(CANARY)).toBe(true)
    expect(isReleaseFlagValue(STABLE)).toBe(true)
    expect(isReleaseFlagValue({ release: '', env: {} })).toBe(false)
    expect(isReleaseFlagValue({ release: 'r', env: { A: 1 } })).toBe(false)
    expect(isReleaseFlagValue({ release: 'r', name: 3, env: {} })).toBe(false)
    expect(isReleaseFlagValue('rel-a')).toBe(false)
    expect(isReleaseFlagValue(['rel-a'])).toBe(false)
  })
})
