/**
 * The contract every deploy target passes: verify and plan change nothing (they run under
 * --dry-run), failures are values and never throws, a release can be applied and rolled back,
 * and url/instances have the promised shapes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { DeployTarget, StepOutcome, TargetContext } from '../../src/contracts/deploy.js'
import type { ReleaseManifest } from '../../src/contracts/release.js'

/** A target under test, with a broken twin and a way to see what it changed. */
export interface TargetHarness {
  /** A target whose tools work. */
  readonly target: DeployTarget
  /** The same kind of target whose tool (or service) fails every step. */
  readonly broken: DeployTarget
  readonly ctx: TargetContext
  /** The context of `broken`, when it must not share state with `target`; default `ctx`. */
  readonly brokenCtx?: TargetContext
  /**
   * The two releases deployed one after the other; default two releases of different commits.
   * A target that moves only prompts and models (`flags`) gets two of one commit.
   */
  readonly releases?: readonly [ReleaseManifest, ReleaseManifest]
  /** Everything the target has changed so far, as text (mutating calls, running instances). */
  changes(): Promise<string>
  /** Stops what the test started and removes its files. */
  cleanup(): Promise<void>
}

/** A release manifest for the contract. */
export function contractRelease(id: string, name: string | null = null): ReleaseManifest {
  return {
    id,
    name,
    createdAt: '2026-01-01T00:00:00.000Z',
    code: { commit: `${id}-commit`, branch: 'main', dirty: false },
    prompts: {},
    models: {},
    flags: null,
    configHash: 'sha256:00',
    env: { PROMPT_VERSION: 'v1' },
  }
}

const RELEASES = [
  contractRelease('rel-contract0a', 'v1'),
  contractRelease('rel-contract0b', 'v2'),
] as const

function expectOutcome(outcome: StepOutcome): void {
  if (outcome.ok) expect(typeof outcome.detail).toBe('string')
  else expect(outcome.reason).toMatch(/\S/)
}

/** Runs the contract against the targets `setup` makes (one fresh harness per test). */
export function deployTargetContract(name: string, setup: () => Promise<TargetHarness>): void {
  describe(`${name} (deploy target contract)`, () => {
    let h: TargetHarness
    let A: ReleaseManifest
    let B: ReleaseManifest
    beforeEach(async () => {
      h = await setup()
      ;[A, B] = h.releases ?? RELEASES
    })
    afterEach(async () => {
      await h.cleanup()
    })

    it('verify and plan change nothing, and plan says what apply would do', async () => {
      const before = await h.changes()
      expectOutcome(await h.target.verify(h.ctx))
      const first = await h.target.plan({ deploymentId: 'c1', release: A, previous: null }, h.ctx)
      const next = await h.target.plan({ deploymentId: 'c2', release: B, previous: A }, h.ctx)
      for (const plan of [first, next]) {
        expect(plan.actions.length).toBeGreaterThan(0)
        for (const action of plan.actions) expect(action).toMatch(/\S/)
      }
      expect(await h.changes()).toBe(before)
    })

    it('applies a release, then the next, and rolls back', async () => {
      const before = await h.changes()
      expect(
        await h.target.apply({ deploymentId: 'c1', release: A, previous: null }, h.ctx),
      ).toMatchObject({ ok: true })
      const afterFirst = await h.changes()
      expect(afterFirst).not.toBe(before)
      expect(
        await h.target.apply({ deploymentId: 'c2', release: B, previous: A }, h.ctx),
      ).toMatchObject({ ok: true })
      if (h.target.shiftTraffic !== undefined) {
        const shifted = await h.target.shiftTraffic(
          { deploymentId: 'c2', release: B, previous: A },
          100,
          h.ctx,
        )
        expect(shifted.ok).toBe(true)
      }
      const rolledBack = await h.target.rollback(B, A, h.ctx)
      expect(rolledBack).toMatchObject({ ok: true })
    })

    it('reports failures as values, never by throwing', async () => {
      const ctx = h.brokenCtx ?? h.ctx
      const applied = await h.broken.apply({ deploymentId: 'c1', release: A, previous: null }, ctx)
      expect(applied.ok).toBe(false)
      expectOutcome(applied)
      expectOutcome(await h.broken.rollback(B, A, ctx))
      expectOutcome(await h.broken.verify(ctx))
      if (h.broken.setVariables !== undefined) {
        expectOutcome(await h.broken.setVariables({ PROMPT_VERSION: 'v2' }, ctx))
      }
    })

    it('gives a URL or null, and instances with weights in 0–100', async () => {
      const url = await h.target.url(h.ctx)
      if (url !== null) expect(() => new URL(url)).not.toThrow()
      const instances = (await h.target.instances?.(h.ctx)) ?? []
      for (const i of instances) {
        expect(i.weight).toBeGreaterThanOrEqual(0)
        expect(i.weight).toBeLessThanOrEqual(100)
        expect(() => new URL(i.url)).not.toThrow()
      }
    })
  })
}
