import { describe, expect, it } from 'vitest'
import type { CompletionRequest, CompletionResult, Provider } from '../../src/contracts/provider.js'
import type { SampleResult } from '../../src/contracts/results.js'
import { buildResults } from '../../src/core/eval/aggregate.js'
import type { EvalPlan, PlannedCase } from '../../src/core/eval/plan.js'
import { runEval } from '../../src/core/eval/run.js'
import type { SchedulerOptions } from '../../src/core/eval/scheduler.js'
import { FakeClock } from '../helpers/clock.js'

function provider(answer: (req: CompletionRequest) => CompletionResult): Provider {
  return { id: 'fake:p', type: 'fake', model: 'm', complete: (req) => Promise.resolve(answer(req)) }
}

function kase(id: string, text: string, extra: Partial<PlannedCase> = {}): PlannedCase {
  return {
    id,
    vars: { text },
    tags: [],
    messages: () => [{ role: 'user', content: text }],
    checks: [
      {
        type: 'contains',
        weight: 1,
        check: ({ output }) => ({
          pass: output.includes('yes'),
          score: output.includes('yes') ? 1 : 0,
          reason: 'r',
        }),
      },
    ],
    ...extra,
  }
}

function planOf(cases: PlannedCase[], repeat = 1): EvalPlan {
  return {
    suites: [
      {
        name: 's',
        provider: { name: 'p', id: 'fake:p' },
        prompt: { name: 'q', version: 'v' },
        threshold: 0.5,
        repeat,
        casePass: 'all',
        k: repeat,
        cases,
      },
    ],
  }
}

function scheduler(clock: FakeClock): SchedulerOptions {
  return {
    concurrency: 2,
    limits: new Map(),
    timeoutMs: 1000,
    retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 0 },
    graceMs: 0,
    stop: new AbortController().signal,
    clock,
    random: () => 0.5,
  }
}

describe('runEval', () => {
  it('runs cases × repeats, prices and grades each sample', async () => {
    const clock = new FakeClock()
    const samples: SampleResult[] = []
    const p = provider((req) => ({
      ok: true,
      output: req.messages[0]?.content === 'good' ? 'yes' : 'no',
      usage: { input: 10, output: 5, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
      latencyMs: 42,
      cached: false,
    }))
    const outcome = await clock.run(
      runEval(planOf([kase('a', 'good'), kase('b', 'bad')], 3), {
        providers: new Map([['p', p]]),
        cost: (_p, _m, usage) => (usage === null ? null : usage.input * 0.001),
        onSample: (s) => void samples.push(s),
        scheduler: scheduler(clock),
      }),
    )
    expect(outcome).toEqual({ interrupted: false, samples: 6 })
    expect(samples).toHaveLength(6)
    const a = samples.filter((s) => s.caseId === 'a')
    expect(a.map((s) => s.sample).sort()).toEqual([0, 1, 2])
    expect(a[0]).toMatchObject({
      pass: true,
      score: 1,
      costUsd: 0.01,
      latencyMs: 42,
      attempts: 1,
      error: null,
      output: 'yes',
    })
    expect(samples.find((s) => s.caseId === 'b')).toMatchObject({
      pass: false,
      grades: [{ type: 'contains', pass: false }],
    })
  })

  it('records a provider failure as a failed sample with its error, never a pass', async () => {
    const clock = new FakeClock()
    const samples: SampleResult[] = []
    const p = provider(() => ({
      ok: false,
      error: { kind: 'auth', message: 'bad key', retryable: false, status: 401 },
    }))
    await clock.run(
      runEval(planOf([kase('a', 'good')]), {
        providers: new Map([['p', p]]),
        cost: () => 1,
        onSample: (s) => void samples.push(s),
        scheduler: scheduler(clock),
      }),
    )
    expect(samples[0]).toMatchObject({
      pass: false,
      score: 0,
      output: null,
      costUsd: null,
      error: { kind: 'auth', message: 'bad key' },
    })
  })
  it('turns a prompt that fails to render at call time into a non-retried bad_request sample', async () => {
    const clock = new FakeClock()
    const samples: SampleResult[] = []
    let calls = 0
    const p = provider(
      () => (calls++, { ok: true, output: 'yes', usage: null, latencyMs: 1, cached: false }),
    )
    const broken = kase('a', 'x', {
      messages: () => {
        throw new Error('undefined variable: name')
      },
    })
    await clock.run(
      runEval(planOf([broken]), {
        providers: new Map([['p', p]]),
        cost: () => null,
        onSample: (s) => void samples.push(s),
        scheduler: scheduler(clock),
      }),
    )
    expect(calls).toBe(0)
    expect(samples[0]).toMatchObject({
      pass: false,
      attempts: 1,
      error: { kind: 'bad_request', message: 'prompt does not render: undefined variable: name' },
    })
  })
})

describe('buildResults', () => {
  const run = {
    id: 'r',
    status: 'completed' as const,
    startedAt: '2026-11-30T12:00:00.000Z',
    finishedAt: '2026-11-30T12:00:02.500Z',
    git: null,
    configHash: 'h',
    shipgateVersion: '0.1.0',
  }
  const suite = {
    name: 's',
    provider: { name: 'p', id: 'fake:p' },
    prompt: { name: 'q', version: 'v' },
    threshold: 0.5,
    repeat: 2,
    casePass: 'all' as const,
    k: 2,
  }
  const sample = (
    caseId: string,
    n: number,
    pass: boolean,
    extra: Partial<SampleResult> = {},
  ): SampleResult => ({
    suite: 's',
    caseId,
    sample: n,
    output: 'o',
    pass,
    score: pass ? 1 : 0,
    grades: [],
    usage: { input: 1, output: 1, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
    costUsd: 0.5,
    latencyMs: 100 * (n + 1),
    error: null,
    attempts: 1,
    cached: false,
    ...extra,
  })

  it('aggregates per suite and overall, and leaves unfinished cases out of the statistics', () => {
    const results = buildResults({
      run,
      suites: [suite],
      cases: [
        { suite: 's', id: 'a', vars: {}, tags: [] },
        { suite: 's', id: 'b', vars: {}, tags: [] },
        { suite: 's', id: 'c', vars: {}, tags: [] },
      ],
      samples: [
        sample('a', 1, true),
        sample('a', 0, true),
        sample('b', 0, false, { costUsd: null }),
        sample('b', 1, true),
      ],
    })
    const s = results.suites[0]
    expect(s?.cases.map((c) => [c.id, c.samples.map((x) => x.sample), c.passRate, c.pass])).toEqual(
      [
        ['a', [0, 1], 1, true],
        ['b', [0, 1], 0.5, false],
        ['c', [], 0, false],
      ],
    )
    expect(s?.stats).toMatchObject({ cases: 2, samples: 4, passed: 3, failed: 1, errors: 0 })
    expect(s?.stats.passRate.value).toBe(0.75)
    expect(s?.stats.costUsd).toEqual({ total: 1.5, perCase: 0.75, unpriced: 1, replayed: 0 })
    expect(s?.stats.latencyMs).toEqual({ p50: 150, p95: 200, mean: 150 })
    expect(s?.stats.usage).toEqual({
      input: 4,
      output: 4,
      cacheRead: 0,
      cacheWrite: 0,
      reasoning: 0,
    })
    expect(s?.pass).toBe(true)
    expect(results.summary).toMatchObject({
      suites: 1,
      cases: 2,
      samples: 4,
      passed: 3,
      costUsd: 1.5,
      durationMs: 2500,
      pass: true,
    })
  })

  it('never claims a pass for an interrupted run', () => {
    const results = buildResults({
      run: { ...run, status: 'interrupted' },
      suites: [suite],
      cases: [{ suite: 's', id: 'a', vars: {}, tags: [] }],
      samples: [sample('a', 0, true)],
    })
    expect(results.suites[0]?.pass).toBe(true)
    expect(results.summary.pass).toBe(false)
  })

  it('reports cost as unknown, not zero, when nothing was priced', () => {
    const results = buildResults({
      run,
      suites: [suite],
      cases: [{ suite: 's', id: 'a', vars: {}, tags: [] }],
      samples: [sample('a', 0, true, { costUsd: null })],
    })
    expect(results.suites[0]?.stats.costUsd).toEqual({
      total: null,
      perCase: null,
      unpriced: 1,
      replayed: 0,
    })
    expect(results.summary.costUsd).toBeNull()
  })
})
