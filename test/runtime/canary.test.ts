import { describe, expect, it } from 'vitest'
import { createCanaryRouter, readCanaryEnv } from '../../packages/runtime/src/canary/index.js'
import type { CanaryEnv } from '../../packages/runtime/src/canary/index.js'
import { compileFlags } from '../../packages/runtime/src/flags/compile.js'
import { rolloutFlag } from '../../packages/runtime/src/flags/rollout.js'
import { serve, testTelemetry } from './support.js'

/* The canary router: CANARY_VERSION and CANARY_PERCENTAGE → each user's version, sticky. */

const IDS = Array.from({ length: 100_000 }, (_, i) => `user-${i}`)

function env(percentage: string | undefined, version = 'rel-canary'): CanaryEnv {
  return { RELEASE_ID: 'rel-stable', CANARY_VERSION: version, CANARY_PERCENTAGE: percentage }
}

/** The ids the router sends to the canary. */
function canaryIds(percentage: string): Set<string> {
  const router = createCanaryRouter({ env: env(percentage) })
  return new Set(IDS.filter((id) => router.choose(id).arm === 'canary'))
}

class Warnings {
  readonly lines: string[] = []
  warn(message: string): void {
    this.lines.push(message)
  }
}

describe('createCanaryRouter', () => {
  it.each([5, 25, 50, 2.5])(
    'sends CANARY_PERCENTAGE=%s of 100,000 users to the canary, ±1 point',
    (p) => {
      const share = (canaryIds(String(p)).size / IDS.length) * 100
      console.log(`CANARY_PERCENTAGE=${p}: ${share.toFixed(3)} % of 100,000 ids on the canary`)
      expect(Math.abs(share - p)).toBeLessThanOrEqual(1)
    },
  )

  it('answers the same for a user every time, and across routers', () => {
    const a = createCanaryRouter({ env: env('25') })
    const b = createCanaryRouter({ env: env('25') })
    for (const id of IDS.slice(0, 5_000)) {
      const first = a.choose(id)
      expect(a.choose(id)).toEqual(first)
      expect(b.choose(id)).toEqual(first)
    }
    expect(a.choose('user-1')).toEqual(
      a.choose('user-1').arm === 'canary'
        ? { version: 'rel-canary', arm: 'canary' }
        : { version: 'rel-stable', arm: 'stable' },
    )
  })

  it('only moves users from stable to canary as the percentage rises', () => {
    const steps = ['0', '1', '5', '12.5', '25', '50', '99.99', '100'].map(canaryIds)
    for (let i = 1; i < steps.length; i++) {
      for (const id of steps[i - 1]!) expect(steps[i]!.has(id)).toBe(true)
      expect(steps[i]!.size).toBeGreaterThan(steps[i - 1]!.size)
    }
    expect(steps[0]!.size).toBe(0)
    expect(steps.at(-1)!.size).toBe(IDS.length)
  })

  it('splits users as a flag rollout with the same key does: one hash for both', () => {
    const flag = rolloutFlag({ key: 'canary', from: 'v1', to: 'v2', percent: 25 })
    const flags = compileFlags(JSON.stringify({ flags: { canary: flag } }), 'flags.json')
    const router = createCanaryRouter({ env: env('25') })
    for (const id of IDS.slice(0, 5_000)) {
      const variant = flags.core.resolve<string>('string', 'canary', 'v1', {
        targetingKey: id,
      }).value
      expect(router.choose(id).arm).toBe(variant === 'v2' ? 'canary' : 'stable')
    }
  })

  it('sends users without an id to the stable version', () => {
    const router = createCanaryRouter({ env: env('99') })
    expect(router.choose(undefined)).toEqual({ version: 'rel-stable', arm: 'stable' })
    expect(router.choose('')).toEqual({ version: 'rel-stable', arm: 'stable' })
  })

  it('reads an object once, and follows a getter as the variables change', () => {
    const vars: Record<string, string> = { ...env('0'), CANARY_VERSION: 'rel-canary' }
    const once = createCanaryRouter({ env: vars })
    const live = createCanaryRouter({ env: () => vars })
    vars.CANARY_PERCENTAGE = '100'
    expect(once.choose('u').arm).toBe('stable')
    expect(live.choose('u')).toEqual({ version: 'rel-canary', arm: 'canary' })
    vars.CANARY_VERSION = 'rel-canary-2'
    expect(live.choose('u')).toEqual({ version: 'rel-canary-2', arm: 'canary' })
    expect(live.settings()).toEqual({ stable: 'rel-stable', canary: 'rel-canary-2', percent: 100 })
  })

  it.each([
    ['abc', 'CANARY_PERCENTAGE="abc" is not a percentage'],
    ['150', 'CANARY_PERCENTAGE="150" is not a percentage'],
    ['-5', 'CANARY_PERCENTAGE="-5" is not a percentage'],
    ['5%', 'CANARY_PERCENTAGE="5%" is not a percentage'],
    ['1.234', 'CANARY_PERCENTAGE="1.234" is not a percentage'],
  ])('logs CANARY_PERCENTAGE=%s with the fix, once, and serves no canary', (raw, message) => {
    const warnings = new Warnings()
    const router = createCanaryRouter({ env: () => env(raw), logger: warnings })
    expect(IDS.slice(0, 2_000).every((id) => router.choose(id).arm === 'stable')).toBe(true)
    expect(warnings.lines).toHaveLength(1)
    expect(warnings.lines[0]).toContain(message)
    expect(warnings.lines[0]).toContain('set it to a number from 0 to 100')
    expect(router.settings().percent).toBe(0)
  })

  it('logs a percentage without a canary version, and serves 0 % canary', () => {
    const warnings = new Warnings()
    const router = createCanaryRouter({ env: { CANARY_PERCENTAGE: '5' }, logger: warnings })
    expect(router.choose('u')).toEqual({ version: 'dev', arm: 'stable' })
    expect(warnings.lines).toEqual([
      "CANARY_PERCENTAGE=5 but CANARY_VERSION is not set: set CANARY_VERSION to the canary's version, or CANARY_PERCENTAGE=0; serving every user the stable version",
    ])
  })
})

describe('readCanaryEnv', () => {
  it('reads the stable version from the option, RELEASE_ID, SHIPGATE_RELEASE, else dev', () => {
    const stableOf = (e: CanaryEnv, stable?: string) => readCanaryEnv(e, stable).settings.stable
    expect(stableOf({ RELEASE_ID: 'a', SHIPGATE_RELEASE: 'b' }, 'c')).toBe('c')
    expect(stableOf({ RELEASE_ID: 'a', SHIPGATE_RELEASE: 'b' })).toBe('a')
    expect(stableOf({ SHIPGATE_RELEASE: 'b' })).toBe('b')
    expect(stableOf({})).toBe('dev')
  })

  it('takes unset or empty as 0 %, and fractions to two decimals', () => {
    expect(readCanaryEnv({}).settings.percent).toBe(0)
    expect(readCanaryEnv({ CANARY_PERCENTAGE: ' ' })).toMatchObject({ problems: [] })
    expect(readCanaryEnv(env(' 12.25 ')).settings.percent).toBe(12.25)
  })
})

describe('the canary arm in the metrics', () => {
  it("labels a request routed to the canary with the canary's release", async () => {
    const { telemetry } = testTelemetry({ release: 'rel-stable', variant: 'stable' })
    const router = createCanaryRouter({ env: env('50') })
    const app = telemetry.wrap(
      (request) => {
        const user = request.headers.get('x-user-id') ?? undefined
        const { version } = router.choose(user)
        telemetry.recordLlmCall({
          provider: 'openai',
          model: 'gpt-test',
          durationMs: 5,
          usage: null,
        })
        return new Response(version)
      },
      { route: '/q' },
    )
    const url = await serve(app)
    const arms = { canary: 0, stable: 0 }
    for (const id of IDS.slice(0, 40)) {
      const version = await (await fetch(url, { headers: { 'x-user-id': id } })).text()
      expect(version).toBe(router.choose(id).version)
      arms[router.choose(id).arm]++
    }
    const text = await telemetry.metricsText()
    const count = (release: string, variant: string) =>
      Number(
        new RegExp(
          `http_server_requests_total\\{method="GET",route="/q",status_class="2xx",service="agent",version="1.2.3",release="${release}",variant="${variant}"\\} (\\d+)`,
        ).exec(text)?.[1],
      )
    expect(arms.canary).toBeGreaterThan(0)
    expect(count('rel-canary', 'canary')).toBe(arms.canary)
    expect(count('rel-stable', 'stable')).toBe(arms.stable)
    expect(text).toMatch(
      new RegExp(
        `llm_unpriced_calls_total\\{[^}]*release="rel-canary",variant="canary"\\} ${arms.canary}\\n`,
      ),
    )
  })
})
