// `shipgate ab --pairwise` as a library call: the config's judge is the official Anthropic SDK
// talking to a loopback fake of the Messages API, which compares the two variants' outputs of
// each case. A judge that prefers B on 70% of 200 cases
// (placed by a fixed random stream) must be found; a coin-flipping one must not; both orders are asked; failed calls are counted.
import { afterEach, describe, expect, it } from 'vitest'
import { createPriceLookup, costOf } from '@shipgate/runtime/pricing'
import type { Store } from '../../../src/contracts/store.js'
import { ShipgateError } from '../../../src/errors.js'
import { seededRandom } from '../../../src/utils/random.js'
import { abCompare } from '../../../src/workflows/ab/index.js'
import { startFakeAnthropic } from '../../fakes/anthropic.js'
import { startFakeOpenAI } from '../../fakes/openai.js'
import type { FakeReply, FakeServer } from '../../fakes/server.js'
import { run, storedProject } from './runs.js'

const servers: FakeServer[] = []
const stores: Store[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
  await Promise.all(stores.splice(0).map((s) => s.close()))
})

const env = { ANTHROPIC_API_KEY: 'test-anthropic-key' }
const MODEL = 'claude-3-5-haiku-20241022'
const USAGE = { input: 1000, output: 100 }

/** What the judge sees of one request: the case, and which variant is shown as A. */
interface Shown {
  readonly n: number
  /** `B` when B's output is shown first (as answer A). */
  readonly bFirst: boolean
  readonly text: string
}

function shown(body: unknown): Shown {
  const text = JSON.stringify((body as { messages: unknown }).messages)
  const a = /<answer_a>([\s\S]*?)<\/answer_a>/.exec(text)?.[1] ?? ''
  const n = Number(/case (\d+)/.exec(a)?.[1] ?? -1)
  return { n, bFirst: a.includes('from B'), text }
}

/** A judge answering `pick(shown)`: the letter it says is better. */
async function judge(pick: (s: Shown) => 'A' | 'B' | 'tie' | FakeReply, delayMs = 0) {
  let active = 0
  let peak = 0
  const fake = await startFakeAnthropic({
    reply: async ({ body }) => {
      active += 1
      peak = Math.max(peak, active)
      await new Promise((resolve) => setTimeout(resolve, delayMs))
      active -= 1
      const said = pick(shown(body))
      if (typeof said !== 'string') return said
      return { kind: 'text', text: JSON.stringify({ reason: 'r', winner: said }), usage: USAGE }
    },
  })
  servers.push(fake)
  return { fake, peak: () => peak }
}

/** A Fisher–Yates shuffle of `items` on `random`. */
function shuffled<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[items[i], items[j]] = [items[j]!, items[i]!]
  }
  return items
}

/** The letter of variant `v` in this request. */
const letterOf = (s: Shown, v: 'A' | 'B') => ((v === 'B') === s.bFirst ? 'A' : 'B')

/** A project with one run of `support[a]` and `support[b]` on `cases` cases, judged at `url`. */
async function project(
  url: string,
  cases: number,
  runner = 'concurrency: 4',
  judgeLine = 'judge: grader',
  grader = `{ type: anthropic, model: ${MODEL}, baseUrl: ${url} }`,
) {
  const config = `version: 1
providers:
  bot: { type: mock }
  grader: ${grader}
${judgeLine}
prompts:
  hello: { user: "Say hello to {{ name }}" }
suites:
  s: { prompt: hello, provider: bot, cases: [{ id: one, vars: { name: Ada } }] }
runner: { backoffMs: 1, retries: 1, ${runner} }
`
  const variant = (name: string) => ({
    suite: 'support',
    name,
    cases,
    passes: () => true,
    output: (i: number) => `case ${i} from ${name.toUpperCase()}`,
  })
  const results = run('20261206-000000-ffffff', [variant('a'), variant('b')])
  const { options } = await storedProject([results], stores, config)
  return { ...options, env, variants: true }
}

describe('abCompare --pairwise', () => {
  it('finds a judge that prefers B on 70% of 200 cases, asking both orders', async () => {
    // Exactly 140 of the 200 cases, placed by a fixed random shuffle: the share is 0.7 by
    // construction, so the test checks the judging and the analysis, not a lucky draw.
    const prefersB = shuffled(
      Array.from({ length: 200 }, (_, i) => i < 140),
      seededRandom(17),
    )
    const { fake, peak } = await judge((s) => letterOf(s, prefersB[s.n] ? 'B' : 'A'), 2)
    const options = await project(fake.url, 200)
    const report = await abCompare('a', 'b', { ...options, pairwise: {}, primary: 'pairwise' })
    const p = report.pairwise!
    const wins = prefersB.filter(Boolean).length
    expect([p.cases, p.wins, p.losses, p.ties, p.failed]).toEqual([200, wins, 200 - wins, 0, 0])
    expect(wins).toBe(140)
    expect(p.share.value).toBeCloseTo(0.7, 12)
    expect(p.share.lower).toBeLessThan(0.7)
    expect(p.share.upper).toBeGreaterThan(0.7)
    expect(p.pValue).toBeLessThan(1e-4)
    expect(report.decision).toMatchObject({
      winner: 'B',
      verdict: 'winner',
      primary: 'pairwise preference',
    })
    // Every case asked twice: once with A's output shown first, once with B's.
    expect(fake.requests).toHaveLength(400)
    expect(p.calls).toBe(400)
    const orders = new Map<number, boolean[]>()
    for (const r of fake.requests) {
      const s = shown(r.body)
      orders.set(s.n, [...(orders.get(s.n) ?? []), s.bFirst])
    }
    expect(orders.size).toBe(200)
    for (const seen of orders.values()) expect(seen.sort()).toEqual([false, true])
    // Limited to the runner's concurrency, and concurrent.
    expect(peak()).toBeLessThanOrEqual(4)
    expect(peak()).toBeGreaterThan(1)
    const perCall = costOf(createPriceLookup()('anthropic', MODEL), {
      ...USAGE,
      cacheRead: 0,
      cacheWrite: 0,
      reasoning: 0,
    })!
    expect(perCall).toBeGreaterThan(0)
    expect(p.costUsd).toBeCloseTo(400 * perCall, 10)
    expect(p.judge).toBe(`anthropic:${MODEL}`)
  }, 60_000)

  it('finds nothing in a judge that flips a coin on every call', async () => {
    const random = seededRandom(23)
    const coins = Array.from({ length: 400 }, () => random() < 0.5)
    const { fake } = await judge((s) => (coins[2 * s.n + (s.bFirst ? 1 : 0)] ? 'A' : 'B'))
    const options = await project(fake.url, 200)
    const report = await abCompare('a', 'b', { ...options, pairwise: {} })
    const p = report.pairwise!
    expect(p.cases).toBe(200)
    // Two independent coins agree on a variant half the time: about half the cases are ties.
    expect(p.ties).toBeGreaterThan(70)
    expect(p.ties).toBeLessThan(130)
    expect(p.pValue).toBeGreaterThan(0.05)
    expect(p.share.lower).toBeLessThan(0.5)
    expect(p.share.upper).toBeGreaterThan(0.5)
    // Reported beside pass rate, which decides by default.
    expect(report.decision).toMatchObject({ primary: 'pass rate', verdict: 'no-difference' })
  }, 60_000)

  it('makes a judge that always picks the first shown a tie on every case', async () => {
    const { fake } = await judge(() => 'A')
    const options = await project(fake.url, 20)
    const p = (await abCompare('a', 'b', { ...options, pairwise: {} })).pairwise!
    expect([p.wins, p.losses, p.ties]).toEqual([0, 0, 20])
    expect(p.share.value).toBe(0.5)
    expect(p.pValue).toBe(1)
  })

  it('leaves out and counts the cases whose judge call fails, and sends the criteria', async () => {
    const { fake } = await judge((s) =>
      s.n % 5 === 3 ? { kind: 'error', status: 400, message: 'bad request' } : letterOf(s, 'B'),
    )
    const options = await project(fake.url, 20)
    const report = await abCompare('a', 'b', {
      ...options,
      pairwise: { criteria: 'the warmer greeting' },
    })
    const p = report.pairwise!
    expect([p.cases, p.wins, p.failed]).toEqual([16, 16, 4])
    expect(p.errors).toHaveLength(3)
    expect(p.errors[0]).toMatch(/^support\/c3: anthropic:claude-3-5-haiku-20241022: .*bad request/)
    expect(p.criteria).toBe('the warmer greeting')
    expect(shown(fake.requests[0]!.body).text).toContain('by this standard: the warmer greeting')
    expect(p.pValue).toBeCloseTo(2 * 0.5 ** 16, 12)
  })

  it("needs a judge: the config's, or one named for the analysis", async () => {
    const { fake } = await judge((s) => letterOf(s, 'A'))
    const options = await project(fake.url, 5, 'concurrency: 4', '')
    const error = await abCompare('a', 'b', { ...options, pairwise: {} }).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(ShipgateError)
    expect((error as ShipgateError).message).toBe('--pairwise needs a judge')
    expect(fake.requests).toHaveLength(0)
    const named = await abCompare('a', 'b', { ...options, pairwise: { judge: 'grader' } })
    expect(named.pairwise).toMatchObject({ cases: 5, losses: 5 })
  })

  it('judges through the OpenAI SDK the same way', async () => {
    const fake = await startFakeOpenAI({
      reply: ({ body }) => {
        const s = shown(body)
        const winner = letterOf(s, s.n % 4 === 0 ? 'A' : 'B')
        return { kind: 'text', text: JSON.stringify({ reason: 'r', winner }), usage: USAGE }
      },
    })
    servers.push(fake)
    const grader = `{ type: openai, model: gpt-4o-mini, baseUrl: ${fake.url}/v1 }`
    const options = await project(fake.url, 20, 'concurrency: 4', 'judge: grader', grader)
    const p = (
      await abCompare('a', 'b', {
        ...options,
        env: { OPENAI_API_KEY: 'test-openai-key' },
        pairwise: {},
      })
    ).pairwise!
    expect([p.cases, p.wins, p.losses, p.ties]).toEqual([20, 15, 5, 0])
    expect(p.judge).toBe('openai:gpt-4o-mini')
    expect(fake.requests).toHaveLength(40)
  })
})
