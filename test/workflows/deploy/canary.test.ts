import { describe, expect, it } from 'vitest'
import { DEFAULT_CANARY_RULES, type CanaryWindow } from '../../../src/core/rollout/canary.js'
import { canaryPlan, DEFAULT_CANARY_STEPS } from '../../../src/core/rollout/canary-plan.js'
import type { Rollout } from '../../../src/config/rollout.js'
import type { ControlRequest } from '../../../src/contracts/deploy.js'
import { runCanary, type CanaryDeps } from '../../../src/workflows/deploy/canary.js'

/** A canary run on a fake clock: sleeping advances it, traffic comes from `traffic`. */
function harness(
  traffic: (weight: number) => CanaryWindow,
  rollout: Partial<Rollout> = {},
  signal = new AbortController().signal,
  requests: (now: number) => ControlRequest | null = () => null,
) {
  let now = 0
  let weight = 0
  const shifts: number[] = []
  const events: string[] = []
  const deps: CanaryDeps = {
    rollout: {
      strategy: 'canary',
      steps: canaryPlan(DEFAULT_CANARY_STEPS),
      rules: DEFAULT_CANARY_RULES,
      stepRules: { onInconclusive: 'rollback', maxExtensions: 2 },
      ...rollout,
    },
    shift: (percent) => {
      shifts.push(percent)
      weight = percent
      return Promise.resolve({ ok: true, detail: `${percent}%` })
    },
    window: () => Promise.resolve(traffic(weight)),
    control: () => Promise.resolve(requests(now)),
    now: () => now,
    sleep: (ms) => {
      now += ms
      return Promise.resolve()
    },
    signal,
    onStep: (e) => {
      events.push(`${e.index + 1}/${e.total} ${e.status}`)
    },
  }
  return { deps, shifts, events, elapsed: () => now }
}

/** A minute of traffic at `weight`% of 2,000 requests, the canary erring at `canaryErrors`. */
const minute =
  (canaryErrors: number, total = 2_000) =>
  (weight: number): CanaryWindow => {
    const canary = Math.round((total * weight) / 100)
    const stable = total - canary
    return {
      canary: { requests: canary, errors: Math.round(canary * canaryErrors) },
      stable: { requests: stable, errors: Math.round(stable * 0.01) },
    }
  }

describe('runCanary', () => {
  it('promotes a canary as good as stable after 15 minutes of analysis at 5%', async () => {
    const { deps, shifts, events, elapsed } = harness(minute(0.01))
    const outcome = await runCanary(deps)
    expect(outcome.ok).toBe(true)
    expect(shifts).toEqual([5, 100])
    expect(elapsed()).toBe(15 * 60_000)
    expect(events).toEqual([
      '1/3 running',
      '1/3 passed',
      '2/3 running',
      '2/3 passed',
      '3/3 running',
      '3/3 passed',
    ])
  })

  it('aborts a canary with three times the errors at the first interval that shows it', async () => {
    const { deps, shifts, elapsed } = harness(minute(0.06))
    const outcome = await runCanary(deps)
    expect(outcome).toMatchObject({ ok: false })
    expect(!outcome.ok && outcome.reason).toMatch(/^error rate 6\.0% on the canary/)
    expect(shifts).toEqual([5])
    expect(elapsed()).toBeLessThan(15 * 60_000)
  })

  it('rolls back an analysis without enough canary traffic, or extends it first when told', async () => {
    const trickle = (weight: number): CanaryWindow => ({
      canary: { requests: weight > 0 ? 2 : 0, errors: 0 },
      stable: { requests: 100, errors: 1 },
    })
    const rolled = await runCanary(harness(trickle).deps)
    expect(!rolled.ok && rolled.reason).toBe(
      'inconclusive: 30 canary requests, fewer than the 100 the analysis needs',
    )
    const extended = harness(trickle, {
      stepRules: { onInconclusive: 'extend', maxExtensions: 2 },
    })
    const outcome = await runCanary(extended.deps)
    expect(!outcome.ok && outcome.reason).toMatch(/after 2 extensions$/)
    expect(extended.elapsed()).toBe(3 * 15 * 60_000)
  })

  it('fails when the metrics cannot be read, and stops when interrupted', async () => {
    const broken = harness(minute(0.01))
    const deps = { ...broken.deps, window: () => Promise.reject(new Error('connection refused')) }
    const outcome = await runCanary(deps)
    expect(!outcome.ok && outcome.reason).toBe('the metrics could not be read: connection refused')
    const stop = new AbortController()
    const cut = harness(minute(0.01), {}, stop.signal)
    stop.abort()
    expect(await runCanary(cut.deps)).toMatchObject({ ok: false, reason: 'interrupted' })
    expect(cut.shifts).toEqual([])
  })

  describe('obeys shipgate canary', () => {
    const at = (ms: number) => new Date(ms).toISOString()

    it('promotes at once on promote: all traffic, no more analysis', async () => {
      const run = harness(minute(0.01), {}, undefined, (now) =>
        now >= 3 * 60_000 ? { action: 'promote', at: at(3 * 60_000) } : null,
      )
      const outcome = await runCanary(run.deps)
      expect(outcome.ok).toBe(true)
      expect(outcome.ok && outcome.detail).toContain('promoted by `shipgate canary promote`')
      expect(run.shifts).toEqual([5, 100])
      expect(run.elapsed()).toBe(3 * 60_000)
    })

    it('fails the step on abort, so the deploy rolls back', async () => {
      const run = harness(minute(0.01), {}, undefined, (now) =>
        now >= 60_000 ? { action: 'abort', at: at(60_000) } : null,
      )
      expect(await runCanary(run.deps)).toMatchObject({
        ok: false,
        reason: 'aborted by `shipgate canary abort`',
      })
      expect(run.shifts).toEqual([5])
    })

    it('holds while paused, the paused time not counted, and goes on when resumed', async () => {
      // Paused from minute 2 to minute 32: the 15-minute analysis ends at minute 45.
      const run = harness(minute(0.01), {}, undefined, (now) =>
        now < 2 * 60_000
          ? null
          : now < 32 * 60_000
            ? { action: 'pause', at: at(2 * 60_000) }
            : { action: 'resume', at: at(32 * 60_000) },
      )
      const outcome = await runCanary(run.deps)
      expect(outcome.ok).toBe(true)
      expect(run.elapsed()).toBe(45 * 60_000)
    })

    it('waits at a pause until promoted for a resume made after the pause began', async () => {
      const steps = canaryPlan([
        { kind: 'weight', percent: 10 },
        { kind: 'pause', durationMs: null },
      ])
      // A resume from before the pause does not let it through; one after it does.
      const run = harness(minute(0.01), { steps }, undefined, (now) =>
        now < 10 * 60_000
          ? { action: 'resume', at: at(0) }
          : { action: 'resume', at: at(10 * 60_000) },
      )
      const outcome = await runCanary(run.deps)
      expect(outcome.ok && outcome.detail).toContain('resumed by `shipgate canary resume`')
      expect(run.shifts).toEqual([10, 100])
      expect(run.elapsed()).toBe(10 * 60_000)
      // The hold is reported once, as it begins (the deploy sends canary.paused for it).
      expect(run.events.filter((e) => e.endsWith('paused'))).toEqual(['2/3 paused'])
    })

    it('reports an inconclusive analysis that the rules pause, and goes on when resumed', async () => {
      const trickle = (weight: number): CanaryWindow => ({
        canary: { requests: weight > 0 ? 2 : 0, errors: 0 },
        stable: { requests: 100, errors: 1 },
      })
      const run = harness(
        trickle,
        { stepRules: { onInconclusive: 'pause', maxExtensions: 0 } },
        undefined,
        (now) => (now >= 20 * 60_000 ? { action: 'resume', at: at(20 * 60_000) } : null),
      )
      const outcome = await runCanary(run.deps)
      expect(outcome.ok && outcome.detail).toContain('resumed: inconclusive')
      expect(run.events).toContain('2/3 paused')
      expect(run.elapsed()).toBe(20 * 60_000)
    })

    it('ignores requests made before this canary began', async () => {
      const run = harness(minute(0.01), {}, undefined, () => ({ action: 'abort', at: at(-1) }))
      expect((await runCanary(run.deps)).ok).toBe(true)
    })
  })
})
