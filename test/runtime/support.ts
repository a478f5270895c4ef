import { createServer } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, expect } from 'vitest'
import { toNodeListener } from '../../packages/runtime/src/adapters/node.js'
import type { NodeFetchHandler } from '../../packages/runtime/src/adapters/node.js'
import { createTelemetry } from '../../packages/runtime/src/telemetry/telemetry.js'
import type { Telemetry, TelemetryOptions } from '../../packages/runtime/src/telemetry/telemetry.js'
import type { RateLimitDecision, RateLimiter } from '../../packages/runtime/src/types.js'

/* Shared by the runtime tests: loopback servers closed after each test, a manual clock. */

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

/** Listens on 127.0.0.1, an ephemeral port; closed after the test. Returns the base URL. */
export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  )
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

/** Serves a Fetch handler through the node:http adapter. */
export function serve(handler: NodeFetchHandler, onError?: (error: unknown) => void) {
  return listen(createServer(toNodeListener(handler, onError === undefined ? {} : { onError })))
}

/** Registers a cleanup to run after the test. */
export function cleanup(close: () => Promise<void>): void {
  closers.push(close)
}

/** A clock the test moves by hand. */
export class ManualClock {
  t = 1_000_000
  readonly now = (): number => this.t
  advance(ms: number): void {
    this.t += ms
  }
}

/** Prices of the fake models, USD per million tokens. */
export const PRICES = {
  'gpt-test': { input: 2, output: 8, cacheRead: 1 },
  'claude-test': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
}

/** A telemetry on a manual clock with the fake models' prices. */
export function testTelemetry(options: Partial<TelemetryOptions> = {}): {
  telemetry: Telemetry
  clock: ManualClock
} {
  const clock = new ManualClock()
  const telemetry = createTelemetry({
    service: 'agent',
    version: '1.2.3',
    release: 'rel-42',
    variant: 'canary',
    prices: PRICES,
    now: clock.now,
    ...options,
  })
  return { telemetry, clock }
}

/** A limiter answering from a script, recording what it was asked. */
export class FakeLimiter implements RateLimiter {
  readonly taken: { key: string; cost: number | undefined }[] = []
  readonly peeked: string[] = []
  constructor(public decision: RateLimitDecision) {}

  take(key: string, cost?: number): Promise<RateLimitDecision> {
    this.taken.push({ key, cost })
    return Promise.resolve(this.decision)
  }

  peek(key: string): Promise<RateLimitDecision> {
    this.peeked.push(key)
    return Promise.resolve(this.decision)
  }
}

/** An allowed decision of a bucket of 10. */
export const ALLOWED: RateLimitDecision = {
  allowed: true,
  remaining: 7,
  limit: 10,
  retryAfterMs: 0,
  resetMs: 2500,
}

/** The value of the one sample line of `name` whose labels include `labels`. */
export function sample(text: string, name: string, labels: Record<string, string>): number {
  const lines = text.split('\n').filter((line) => line.startsWith(`${name}{`))
  const hits = lines.filter((line) =>
    Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)),
  )
  expect(hits).toHaveLength(1)
  return Number(hits[0]!.split(' ').at(-1))
}
