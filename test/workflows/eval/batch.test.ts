import { afterEach, describe, expect, it } from 'vitest'
import type { ResultsDocument, SampleResult } from '../../../src/contracts/results.js'
import type { Store } from '../../../src/contracts/store.js'
import { silentLogger } from '../../../src/logger.js'
import { openStore } from '../../../src/stores/index.js'
import { evaluate, type EvalOptions } from '../../../src/workflows/eval/index.js'
import { startFakeAnthropic } from '../../fakes/anthropic.js'
import { startFakeOpenAI } from '../../fakes/openai.js'
import type { FakeBatchOptions, FakeBatches } from '../../fakes/openai.js'
import type { FakeReply, FakeServer } from '../../fakes/server.js'
import { tempProject } from '../../helpers/project.js'

/*
 * `eval --batch` against the Batch API fakes, through the official SDKs: the same grades as the
 * live eval of the same cases at half the cost, requests the batch did not run sent again live,
 * none lost, and a run stopped while it polls resumed (`--resume`) without submitting again.
 */

type Fake = FakeServer & { readonly batches: FakeBatches }
type Api = 'anthropic' | 'chat' | 'responses'

const servers: FakeServer[] = []
const stores: Store[] = []
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()))
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const env = { ANTHROPIC_API_KEY: 'test-anthropic-key', OPENAI_API_KEY: 'test-openai-key' }

/** The answer to "Question N": even numbers are answered right, odd ones wrong. */
function reply(text: string): FakeReply {
  const n = Number(/Question (\d+)/.exec(text)?.[1] ?? Number.NaN)
  return {
    kind: 'text',
    text: n % 2 === 0 ? `The answer is ${n}.` : 'I do not know.',
    usage: { input: 120 + (n % 7), output: 30 + (n % 5) },
  }
}

/** The judge's grade: it passes an answer that names a number. */
function judged(text: string): FakeReply {
  const pass = /The answer is \d+/.test(text)
  return {
    kind: 'text',
    text: JSON.stringify({
      reason: pass ? 'It answers.' : 'No answer.',
      pass,
      score: pass ? 1 : 0,
    }),
    usage: { input: 400, output: 40 },
  }
}

function replyTo(body: unknown): FakeReply {
  const text = JSON.stringify(body)
  return text.includes('rubric') ? judged(text) : reply(text)
}

async function startFake(api: Api, batch: FakeBatchOptions = {}): Promise<Fake> {
  const fake =
    api === 'anthropic'
      ? await startFakeAnthropic({ reply: ({ body }) => replyTo(body), batch })
      : await startFakeOpenAI({ reply: ({ body }) => replyTo(body), batch })
  servers.push(fake)
  return fake
}

function providerYaml(api: Api, url: string): string {
  return api === 'anthropic'
    ? `{ type: anthropic, model: claude-3-5-haiku-20241022, baseUrl: "${url}" }`
    : `{ type: openai, api: ${api}, model: gpt-4o-mini, baseUrl: "${url}/v1" }`
}

/** A project of `cases` questions, each checked by a regex (and a rubric when `judge`). */
function project(
  api: Api,
  url: string,
  cases: number,
  options: { judge?: boolean; latency?: boolean } = {},
) {
  const rubric =
    (options.judge === true ? `, { type: llm-rubric, value: "names a number" }` : '') +
    (options.latency === true ? `, { type: latency, threshold: 60000 }` : '')
  return tempProject({
    'shipgate.yaml': `version: 1
providers:
  model: ${providerYaml(api, url)}
prompts:
  ask: { user: "Question {{ n }}" }
${options.judge === true ? 'judge: model\n' : ''}suites:
  qa:
    prompt: ask
    provider: model
    threshold: 0
    assert: [{ type: regex, value: "answer is \\\\d+" }${rubric}]
    cases: cases.jsonl
store: .shipgate/shipgate.db
runner: { backoffMs: 1, retries: 1, graceMs: 20 }
`,
    'cases.jsonl': Array.from({ length: cases }, (_, n) =>
      JSON.stringify({ id: `q${n}`, vars: { n } }),
    ).join('\n'),
  })
}

/** Fast batches: gathered for 20 ms, polled every 5 ms. */
const FAST = { gatherMs: 20, pollMs: 5, maxPollMs: 20 }

async function run(dir: string, options: Partial<EvalOptions> = {}): Promise<ResultsDocument> {
  const store = options.store ?? (await openStore('memory:', dir))
  if (options.store === undefined) stores.push(store)
  const result = await evaluate({ cwd: dir, env, logger: silentLogger, store, ...options })
  if (result.outcome === 'skipped') throw new Error(`skipped: ${result.reason}`)
  return result.results
}

function samples(results: ResultsDocument): SampleResult[] {
  return results.suites.flatMap((s) => s.cases.flatMap((c) => c.samples))
}

/** Each sample's pass, score and grades' verdicts, by case and sample. */
function grades(results: ResultsDocument): Map<string, unknown> {
  return new Map(
    samples(results).map((s) => [
      `${s.caseId}/${s.sample}`,
      { pass: s.pass, score: s.score, grades: s.grades.map((g) => [g.type, g.pass, g.score]) },
    ]),
  )
}

/** What the answers cost, and the judges' calls. */
function totalCost(results: ResultsDocument): number {
  return samples(results).reduce((sum, s) => sum + (s.costUsd ?? Number.NaN), 0)
}

function judgeCost(results: ResultsDocument): number {
  return samples(results)
    .flatMap((s) => s.grades)
    .reduce((sum, g) => sum + (g.judge === undefined ? 0 : (g.judge.costUsd ?? Number.NaN)), 0)
}

/** Requests to the live (one call each) endpoints. */
function liveCalls(fake: FakeServer): number {
  return fake.requests.filter((r) =>
    ['/v1/chat/completions', '/v1/responses', '/v1/messages'].includes(r.path.split('?')[0] ?? ''),
  ).length
}

describe('eval --batch: the same grades as live, at half the cost', () => {
  for (const api of ['chat', 'responses', 'anthropic'] as const) {
    it(`${api}: 1,000 cases in one batch`, async () => {
      const fake = await startFake(api)
      const dir = project(api, fake.url, 1000)
      const live = await run(dir)
      expect(liveCalls(fake)).toBe(1000)
      const batched = await run(dir, { batch: FAST })
      expect(fake.batches.submitted).toBe(1)
      expect(fake.batches.list[0]?.customIds).toHaveLength(1000)
      expect(liveCalls(fake)).toBe(1000) // none more: every answer came from the batch
      expect(grades(batched)).toEqual(grades(live))
      expect(samples(batched).filter((s) => s.pass)).toHaveLength(500)
      expect(samples(batched).every((s) => s.error === null)).toBe(true)
      const liveCost = totalCost(live)
      expect(liveCost).toBeGreaterThan(0)
      expect(totalCost(batched)).toBeCloseTo(liveCost / 2, 10)
    })
  }

  for (const api of ['chat', 'anthropic'] as const) {
    it(`${api}: batches the judge calls too, in a batch of their own`, async () => {
      const fake = await startFake(api)
      const dir = project(api, fake.url, 40, { judge: true })
      const live = await run(dir)
      const batched = await run(dir, { batch: { ...FAST, gatherMs: 200 } })
      // The answers in one batch, then their judges (a slow grader may split them: never lost).
      expect(fake.batches.list[0]?.customIds).toHaveLength(40)
      const judges = fake.batches.list.slice(1).map((b) => b.customIds.length)
      expect(judges.reduce((a, b) => a + b, 0)).toBe(40)
      expect(liveCalls(fake)).toBe(80) // the live run's answers and judges only
      expect(grades(batched)).toEqual(grades(live))
      const rubric = samples(batched).flatMap((s) =>
        s.grades.filter((g) => g.type === 'llm-rubric'),
      )
      expect(rubric).toHaveLength(40)
      expect(rubric.filter((g) => g.pass)).toHaveLength(20)
      expect(totalCost(batched)).toBeCloseTo(totalCost(live) / 2, 10)
      expect(judgeCost(live)).toBeGreaterThan(0)
      expect(judgeCost(batched)).toBeCloseTo(judgeCost(live) / 2, 10)
    })
  }
})

describe('eval --batch: latency', () => {
  it('a latency check of a batched answer is recorded but not counted; live answers keep theirs', async () => {
    const fake = await startFake('chat', {
      outcome: (_id, position) => (position < 4 ? 'expired' : 'ok'),
    })
    const dir = project('chat', fake.url, 20, { latency: true })
    const results = await run(dir, { batch: FAST })
    const all = samples(results)
    expect(all.filter((s) => s.pass)).toHaveLength(10)
    const checks = all.map((s) => s.grades.find((g) => g.type === 'latency'))
    const uncounted = checks.filter((g) => g?.weight === 0)
    expect(uncounted).toHaveLength(16)
    expect(uncounted[0]?.reason).toContain('not counted: the answer came through a batch')
    // The four answered live were measured and graded as usual.
    expect(checks.filter((g) => g?.weight === 1 && g.pass)).toHaveLength(4)
    expect(results.suites[0]?.stats.latencyMs.p50).not.toBeNull()
  })
})

describe('eval --batch: requests the batch did not answer', () => {
  for (const api of ['chat', 'anthropic'] as const) {
    it(`${api}: expired and server-failed requests go live, a bad request is an error, none lost`, async () => {
      const fake = await startFake(api, {
        outcome: (customId, position) =>
          position % 10 === 3
            ? 'expired'
            : position % 10 === 5
              ? 'error'
              : position % 10 === 7
                ? { error: 400, message: 'this request is malformed' }
                : 'ok',
      })
      const dir = project(api, fake.url, 100)
      const batched = await run(dir, { batch: FAST })
      expect(fake.batches.submitted).toBe(1)
      const all = samples(batched)
      expect(all).toHaveLength(100)
      // 10 expired and 10 server errors were sent again live, and answered there.
      expect(liveCalls(fake)).toBe(20)
      const errors = all.filter((s) => s.error !== null)
      expect(errors).toHaveLength(10)
      expect(errors.every((s) => s.error?.kind === 'bad_request')).toBe(true)
      expect(errors[0]?.error?.message).toContain('this request is malformed')
      // Answers from the batch have no latency of their own; the 20 answered live do.
      const fromLive = all.filter((s) => s.error === null && s.latencyMs !== null)
      expect(fromLive).toHaveLength(20)
      // Those are priced at the live rate, the batch's answers at half.
      const live = await run(dir)
      const full = new Map(samples(live).map((s) => [s.caseId, s.costUsd ?? Number.NaN]))
      for (const s of all.filter((x) => x.error === null)) {
        const expected = (full.get(s.caseId) ?? Number.NaN) / (s.latencyMs === null ? 2 : 1)
        expect(s.costUsd).toBeCloseTo(expected, 12)
      }
    })
  }

  it("a batch that failed as a whole is sent live, under the run's concurrency", async () => {
    let inFlight = 0
    let most = 0
    const fake = await startFakeOpenAI({
      reply: async ({ body, batch }) => {
        if (batch !== undefined) return replyTo(body)
        inFlight += 1
        most = Math.max(most, inFlight)
        await new Promise((r) => setTimeout(r, 15))
        inFlight -= 1
        return replyTo(body)
      },
      batch: {
        refuse: () => ({
          code: 'invalid_request',
          message: 'the file is not valid JSONL',
          line: 1,
        }),
      },
    })
    servers.push(fake)
    const dir = project('chat', fake.url, 30)
    const batched = await run(dir, { batch: FAST, concurrency: 4 })
    expect(fake.batches.submitted).toBe(1)
    expect(liveCalls(fake)).toBe(30)
    expect(most).toBe(4)
    expect(samples(batched).filter((s) => s.error === null)).toHaveLength(30)
    expect(samples(batched).filter((s) => s.pass)).toHaveLength(15)
  })
})

describe('eval --batch: a submission refused', () => {
  it('anthropic: a batch the API refuses (400) is sent live, named in the log', async () => {
    const fake = await startFake('anthropic', {
      refuse: () => ({ code: 'invalid_request', message: 'requests: too many' }),
    })
    const dir = project('anthropic', fake.url, 12)
    const lines: string[] = []
    const logger = { ...silentLogger, warn: (m: string) => void lines.push(m) }
    const batched = await run(dir, { batch: FAST, logger })
    expect(fake.batches.submitted).toBe(0)
    expect(liveCalls(fake)).toBe(12)
    expect(samples(batched).filter((s) => s.pass)).toHaveLength(6)
    expect(lines.join('\n')).toMatch(
      /model: the batch could not be submitted: .*too many.*; sending its 12 requests live/,
    )
  })
})

describe('eval --resume: a run stopped while it polls', () => {
  for (const api of ['chat', 'anthropic'] as const) {
    it(`${api}: collects the stored batch without submitting again`, async () => {
      const fake = await startFake(api, { pollsBeforeDone: 4 })
      const dir = project(api, fake.url, 200)
      const live = await run(dir)
      const stop = new AbortController()
      const watcher = setInterval(() => {
        if (fake.batches.retrieves >= 1) stop.abort()
      }, 5)
      const first = await run(dir, {
        batch: { gatherMs: 20, pollMs: 50, maxPollMs: 50 },
        signal: stop.signal,
      }).finally(() => clearInterval(watcher))
      expect(first.run.status).toBe('interrupted')
      expect(samples(first)).toHaveLength(0)
      expect(fake.batches.submitted).toBe(1)
      const store = stores[stores.length - 1]
      if (store === undefined) throw new Error('no store')
      const saved = await store.runs.batches(first.run.id)
      expect(saved).toHaveLength(1)
      expect(saved[0]?.requests).toHaveLength(200)
      expect(saved[0]?.id).toBe(fake.batches.list[0]?.id)
      // Resumed on the same store, as a new process on the same SQLite file would be.
      const results = await run(dir, { store, resume: first.run.id, batch: FAST })
      expect(fake.batches.submitted).toBe(1)
      expect(results.run.status).toBe('completed')
      expect(results.run.id).not.toBe(first.run.id)
      expect(samples(results)).toHaveLength(200)
      expect(grades(results)).toEqual(grades(live))
      expect(totalCost(results)).toBeCloseTo(totalCost(live) / 2, 10)
      expect(await store.runs.batches(results.run.id)).toEqual(saved)
    })
  }

  it('keeps the samples that finished and runs only the rest', async () => {
    const fake = await startFake('chat')
    const dir = project('chat', fake.url, 10)
    const first = await run(dir)
    const store = stores[stores.length - 1]
    if (store === undefined) throw new Error('no store')
    const again = await run(dir, { store, resume: first.run.id })
    expect(liveCalls(fake)).toBe(10) // nothing ran again
    expect(grades(again)).toEqual(grades(first))
  })
})

describe('eval --batch with cassettes', () => {
  for (const api of ['chat', 'anthropic'] as const) {
    it(`${api}: the batch traffic is recorded, then replayed with the fake closed and no key`, async () => {
      const fake = await startFake(api, { pollsBeforeDone: 2 })
      const dir = project(api, fake.url, 50, { judge: true })
      const batch = { ...FAST, gatherMs: 300 }
      const recorded = await run(dir, { batch, cassettes: { mode: 'record-missing' } })
      expect(fake.batches.submitted).toBe(2)
      await fake.close()
      const replayed = await run(dir, { batch, cassettes: { mode: 'replay' }, env: {} })
      expect(replayed.run.status).toBe('completed')
      expect(grades(replayed)).toEqual(grades(recorded))
      expect(samples(replayed).every((s) => s.cached)).toBe(true)
      expect(totalCost(replayed)).toBeCloseTo(totalCost(recorded), 12)
    })
  }
})
