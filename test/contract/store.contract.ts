import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Deployment } from '../../src/contracts/deploy.js'
import type { ReleaseManifest } from '../../src/contracts/release.js'
import type { GitInfo, SampleResult, SuiteInfo } from '../../src/contracts/results.js'
import { experimentEventsContract } from './experiment-events.contract.js'
import type {
  NewRun,
  RunEnd,
  ShardJoin,
  Store,
  StoredBatch,
  StoredCase,
} from '../../src/contracts/store.js'

/** A suite as a run plans it. */
export function suite(name: string): SuiteInfo {
  return {
    name,
    provider: { name: 'mock', id: 'mock:echo' },
    prompt: { name: 'greet', version: 'v1' },
    threshold: 0.8,
    repeat: 1,
    casePass: 'all',
    k: 1,
  }
}

/** A run about to start; `id` is shaped like the ids shipgate makes. */
export function newRun(id: string, overrides: Partial<NewRun> = {}): NewRun {
  return {
    id,
    startedAt: '2026-11-30T12:00:00.000Z',
    git: { commit: 'abc123', branch: 'main', dirty: false },
    configHash: 'cfg-hash',
    shipgateVersion: '0.1.0',
    suites: [suite('smoke')],
    owner: { host: 'ci-host', pid: 4242 },
    ...overrides,
  }
}

/** A planned case with only the required fields. */
export function plannedCase(suiteName: string, id: string): StoredCase {
  return { suite: suiteName, id, vars: {}, tags: [] }
}

/** A passing sample with no usage, cost or error. */
export function sample(
  suiteName: string,
  caseId: string,
  index: number,
  overrides: Partial<SampleResult> = {},
): SampleResult {
  return {
    suite: suiteName,
    caseId,
    sample: index,
    output: `out ${caseId}#${index}`,
    pass: true,
    score: 1,
    grades: [],
    usage: null,
    costUsd: null,
    latencyMs: 12,
    error: null,
    attempts: 1,
    cached: false,
    ...overrides,
  }
}

/** How a run ended. */
export function runEnd(status: RunEnd['status'] = 'completed'): RunEnd {
  return {
    status,
    finishedAt: '2026-11-30T12:05:00.000Z',
    summary: {
      suites: 1,
      cases: 2,
      samples: 4,
      passed: 3,
      failed: 1,
      errors: 0,
      costUsd: 0.0042,
      judgeCostUsd: null,
      durationMs: 300_000,
      pass: status === 'completed',
    },
  }
}

const RUN = '20261130-120000-aaaaaa'

/**
 * The RunRepository contract of src/contracts/store.ts. Every Store implementation runs it;
 * `open` returns a fresh, empty store (migrated here, closed after each test).
 */
export function storeContract(name: string, open: () => Promise<Store>): void {
  describe(name, () => {
    let store: Store

    beforeEach(async () => {
      store = await open()
      await store.migrate()
    })

    afterEach(async () => {
      await store.close()
    })

    describe('migrate', () => {
      it('is idempotent', async () => {
        await store.migrate()
        await store.migrate()
        await store.runs.create(newRun(RUN), [])
        expect((await store.runs.get(RUN))?.id).toBe(RUN)
      })
    })

    describe('create and get', () => {
      it('records a new run as running, with no end and no summary', async () => {
        const run = newRun(RUN, {
          suites: [suite('smoke'), { ...suite('rag'), threshold: 0.95, repeat: 3 }],
          git: { commit: 'deadbeef', branch: 'feature/x', dirty: true },
        })
        await store.runs.create(run, [])
        expect(await store.runs.get(RUN)).toEqual({
          ...run,
          status: 'running',
          finishedAt: null,
          summary: null,
        })
      })

      it.each<[string, GitInfo | null]>([
        ['null git', null],
        ['git with null commit and branch', { commit: null, branch: null, dirty: false }],
      ])('round-trips %s', async (_label, git) => {
        await store.runs.create(newRun(RUN, { git }), [])
        expect((await store.runs.get(RUN))?.git).toEqual(git)
      })

      it('round-trips a run with no owner', async () => {
        await store.runs.create(newRun(RUN, { owner: null }), [])
        expect((await store.runs.get(RUN))?.owner).toBeNull()
      })

      it('round-trips the shard of a sharded run, and leaves it absent otherwise', async () => {
        const other = '20261130-120000-bbbbbb'
        await store.runs.create(newRun(RUN, { shard: { index: 2, count: 4 } }), [])
        await store.runs.create(newRun(other), [])
        expect((await store.runs.get(RUN))?.shard).toEqual({ index: 2, count: 4 })
        expect(Object.keys((await store.runs.get(other))!)).not.toContain('shard')
        const listed = await store.runs.list()
        expect(listed.find((r) => r.id === RUN)?.shard).toEqual({ index: 2, count: 4 })
      })

      it('round-trips the selection of a partial run, and leaves it absent otherwise', async () => {
        const other = '20261130-120000-bbbbbb'
        const selection = { cases: ['smoke/a'], filter: 'refund', kept: 1, of: 40 }
        await store.runs.create(newRun(RUN, { selection }), [])
        await store.runs.create(newRun(other), [])
        expect((await store.runs.get(RUN))?.selection).toEqual(selection)
        expect(Object.keys((await store.runs.get(other))!)).not.toContain('selection')
      })

      it('rejects a run id that already exists', async () => {
        await store.runs.create(newRun(RUN), [])
        await expect(store.runs.create(newRun(RUN), [])).rejects.toThrow()
      })

      it('returns undefined for an unknown id', async () => {
        expect(await store.runs.get('20261130-120000-ffffff')).toBeUndefined()
      })
    })

    describe('cases', () => {
      it('returns the planned cases in insertion order, fields round-tripping', async () => {
        const cases: StoredCase[] = [
          {
            suite: 'smoke',
            id: 'zeta',
            description: 'greets by name',
            vars: { name: 'Ada', nested: { n: 1, list: [true, null, 'x'] } },
            tags: ['fast', 'greeting'],
            source: { file: 'cases/smoke.yaml', line: 12, column: 3 },
          },
          plannedCase('smoke', 'alpha'),
          { ...plannedCase('rag', 'mid'), source: { file: 'cases/rag.csv', line: 2 } },
        ]
        await store.runs.create(newRun(RUN, { suites: [suite('smoke'), suite('rag')] }), cases)
        expect(await store.runs.cases(RUN)).toEqual(cases)
      })

      it('leaves optional fields absent when they were not given', async () => {
        await store.runs.create(newRun(RUN), [plannedCase('smoke', 'a')])
        const [stored] = await store.runs.cases(RUN)
        expect(stored).toBeDefined()
        expect(Object.keys(stored!).sort()).toEqual(['id', 'suite', 'tags', 'vars'])
      })

      it('keeps the cases of each run apart', async () => {
        const other = '20261130-120000-bbbbbb'
        await store.runs.create(newRun(RUN), [plannedCase('smoke', 'a')])
        await store.runs.create(newRun(other), [plannedCase('smoke', 'b')])
        expect((await store.runs.cases(other)).map((c) => c.id)).toEqual(['b'])
      })
    })

    samplesContract(() => store)
    finishContract(() => store)
    lookupContract(() => store)
    pruneContract(() => store)
    sharedRunContract(() => store)
    batchesContract(() => store)
    releasesContract(() => store)
    deploymentsContract(() => store)
    experimentEventsContract(() => store)
  })
}

function samplesContract(getStore: () => Store): void {
  const cases = [plannedCase('smoke', 'c2'), plannedCase('smoke', 'c1'), plannedCase('rag', 'c0')]

  describe('appendSamples and samples', () => {
    beforeEach(async () => {
      await getStore().runs.create(newRun(RUN, { suites: [suite('smoke'), suite('rag')] }), cases)
    })

    it('orders samples by case order then sample index, whatever the append order', async () => {
      const { runs } = getStore()
      await runs.appendSamples(RUN, [sample('rag', 'c0', 1), sample('smoke', 'c1', 0)])
      await runs.appendSamples(RUN, [sample('rag', 'c0', 0), sample('smoke', 'c2', 1)])
      await runs.appendSamples(RUN, [sample('smoke', 'c2', 0), sample('smoke', 'c1', 1)])
      const order = (await runs.samples(RUN)).map((s) => `${s.suite}/${s.caseId}#${s.sample}`)
      expect(order).toEqual([
        'smoke/c2#0',
        'smoke/c2#1',
        'smoke/c1#0',
        'smoke/c1#1',
        'rag/c0#0',
        'rag/c0#1',
      ])
    })

    it('round-trips every field of a sample', async () => {
      const { runs } = getStore()
      const full = sample('smoke', 'c2', 0, {
        output: 'Hello, Ada! ✓',
        score: 0.75,
        grades: [
          { type: 'contains', pass: true, score: 1, reason: 'found', weight: 1 },
          { type: 'llm-rubric', pass: false, score: 0.5, reason: 'meh', weight: 2, metric: 'tone' },
        ],
        usage: { input: 120, output: 40, cacheRead: 100, cacheWrite: 7, reasoning: 12 },
        costUsd: 0.000123,
        latencyMs: 834.5,
        attempts: 3,
        cached: true,
      })
      const failed = sample('smoke', 'c1', 0, {
        output: null,
        pass: false,
        score: 0,
        usage: null,
        costUsd: null,
        latencyMs: null,
        error: { kind: 'rate_limited', message: 'slow down' },
        attempts: 4,
      })
      const zeroCost = sample('rag', 'c0', 0, {
        usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
        costUsd: 0,
        latencyMs: 0,
      })
      await runs.appendSamples(RUN, [zeroCost, failed, full])
      expect(await runs.samples(RUN)).toEqual([full, failed, zeroCost])
    })

    it('round-trips the tool calls and the trajectory of a sample, and leaves them absent otherwise', async () => {
      const { runs } = getStore()
      const calling = sample('smoke', 'c2', 0, {
        output: '',
        toolCalls: [
          { id: 'toolu_1', name: 'get_weather', arguments: { city: 'Paris', days: [1, 2] } },
          { name: 'search', arguments: '{"q": broken' },
        ],
      })
      const agent = sample('smoke', 'c1', 0, {
        toolCalls: [{ id: 'call_9', name: 'answer', arguments: {} }],
        trajectory: [
          { name: 'search', arguments: { q: 'x' }, result: ['doc1'], step: 0 },
          { name: 'answer', arguments: {}, result: null, step: 1 },
        ],
      })
      const plain = sample('rag', 'c0', 0)
      await runs.appendSamples(RUN, [plain, agent, calling])
      const stored = await runs.samples(RUN)
      expect(stored).toEqual([calling, agent, plain])
      expect(stored[2]).not.toHaveProperty('toolCalls')
      expect(stored[2]).not.toHaveProperty('trajectory')
    })

    it('rejects a duplicate sample and keeps the earlier batch intact', async () => {
      const { runs } = getStore()
      const first = [sample('smoke', 'c2', 0), sample('smoke', 'c1', 0)]
      await runs.appendSamples(RUN, first)
      await expect(
        runs.appendSamples(RUN, [sample('rag', 'c0', 0), sample('smoke', 'c1', 0, { score: 0 })]),
      ).rejects.toThrow()
      expect(await runs.samples(RUN)).toEqual(first)
    })

    it('rejects a batch that repeats a sample within itself, storing none of it', async () => {
      const { runs } = getStore()
      await expect(
        runs.appendSamples(RUN, [sample('rag', 'c0', 0), sample('rag', 'c0', 0)]),
      ).rejects.toThrow()
      expect(await runs.samples(RUN)).toEqual([])
    })

    it('returns no samples for an unknown run', async () => {
      expect(await getStore().runs.samples('20261130-120000-ffffff')).toEqual([])
    })

    it('rejects a sample of a case the run did not plan, storing none of the batch', async () => {
      const { runs } = getStore()
      await expect(
        runs.appendSamples(RUN, [sample('smoke', 'c1', 0), sample('smoke', 'nope', 0)]),
      ).rejects.toThrow()
      expect(await runs.samples(RUN)).toEqual([])
    })

    it('treats an empty batch as a no-op, even for an unknown run', async () => {
      const { runs } = getStore()
      await runs.appendSamples(RUN, [])
      await runs.appendSamples('20261130-120000-ffffff', [])
      expect(await runs.samples(RUN)).toEqual([])
    })
  })
}

function finishContract(getStore: () => Store): void {
  describe('finish', () => {
    it('sets status, finishedAt and summary', async () => {
      const { runs } = getStore()
      await runs.create(newRun(RUN), [])
      const end = runEnd('interrupted')
      await runs.finish(RUN, end)
      const stored = await runs.get(RUN)
      expect(stored).toMatchObject({
        status: 'interrupted',
        finishedAt: end.finishedAt,
        summary: end.summary,
      })
    })

    it('rejects finishing a run twice, keeping the first end', async () => {
      const { runs } = getStore()
      await runs.create(newRun(RUN), [])
      await runs.finish(RUN, runEnd('completed'))
      await expect(runs.finish(RUN, runEnd('failed'))).rejects.toThrow()
      expect((await runs.get(RUN))?.status).toBe('completed')
    })

    it('rejects an unknown run', async () => {
      await expect(
        getStore().runs.finish('20261130-120000-ffffff', runEnd('completed')),
      ).rejects.toThrow()
    })
  })
}

/** Runs for lookups, inserted out of order; newest first they are d, c, b, a. */
function seedRuns(): NewRun[] {
  return [
    newRun('20261130-120000-bbbbbb', {
      startedAt: '2026-11-30T12:00:00.000Z',
      git: { commit: 'b', branch: 'feature', dirty: false },
      suites: [suite('smoke'), suite('rag')],
    }),
    newRun('20261201-090000-dddddd', { startedAt: '2026-12-01T09:00:00.000Z' }),
    newRun('20261129-080000-aaaaaa', {
      startedAt: '2026-11-29T08:00:00.000Z',
      git: null,
      suites: [suite('rag')],
    }),
    newRun('20261130-130000-cccccc', { startedAt: '2026-11-30T13:00:00.000Z' }),
  ]
}

function lookupContract(getStore: () => Store): void {
  describe('resolveId and list', () => {
    beforeEach(async () => {
      const { runs } = getStore()
      for (const run of seedRuns()) await runs.create(run, [])
      await runs.finish('20261130-130000-cccccc', runEnd('completed'))
      await runs.finish('20261129-080000-aaaaaa', runEnd('failed'))
    })

    it.each([
      ['a full id', '20261130-130000-cccccc', '20261130-130000-cccccc'],
      ['a unique prefix', '20261201', '20261201-090000-dddddd'],
      ['a longer unique prefix', '20261130-12', '20261130-120000-bbbbbb'],
      ['an ambiguous prefix', '20261130', undefined],
      ['an unknown id', '20261130-120000-ffffff', undefined],
      ['latest', 'latest', '20261201-090000-dddddd'],
    ])('resolves %s', async (_label, ref, expected) => {
      expect(await getStore().runs.resolveId(ref)).toBe(expected)
    })

    it('resolves latest by startedAt, not by id', async () => {
      const { runs } = getStore()
      await runs.create(newRun('20200101-000000-eeeeee', { startedAt: '2026-12-02T00:00:00Z' }), [])
      expect(await runs.resolveId('latest')).toBe('20200101-000000-eeeeee')
    })

    it('lists newest first', async () => {
      const ids = (await getStore().runs.list()).map((r) => r.id)
      expect(ids).toEqual([
        '20261201-090000-dddddd',
        '20261130-130000-cccccc',
        '20261130-120000-bbbbbb',
        '20261129-080000-aaaaaa',
      ])
    })

    it.each([
      ['limit', { limit: 2 }, ['20261201-090000-dddddd', '20261130-130000-cccccc']],
      [
        'status',
        { status: 'running' as const },
        ['20261201-090000-dddddd', '20261130-120000-bbbbbb'],
      ],
      ['branch', { branch: 'feature' }, ['20261130-120000-bbbbbb']],
      ['suite', { suite: 'rag' }, ['20261130-120000-bbbbbb', '20261129-080000-aaaaaa']],
      ['status and limit', { status: 'failed' as const, limit: 5 }, ['20261129-080000-aaaaaa']],
      [
        'start time',
        { since: '2026-11-30T12:30:00.000Z' },
        ['20261201-090000-dddddd', '20261130-130000-cccccc'],
      ],
      [
        'end time',
        { until: '2026-11-30T12:30:00.000Z' },
        ['20261130-120000-bbbbbb', '20261129-080000-aaaaaa'],
      ],
    ])('filters by %s', async (_label, query, expected) => {
      expect((await getStore().runs.list(query)).map((r) => r.id)).toEqual(expected)
    })

    it('pages through runs by cursor, older and newer, ties broken by id', async () => {
      const { runs } = getStore()
      // Two runs started at the same instant as an existing one: the id orders them.
      const tie = '2026-11-30T13:00:00.000Z'
      await runs.create(newRun('20261130-130000-cccccb', { startedAt: tie }), [])
      await runs.create(newRun('20261130-130000-cccccd', { startedAt: tie }), [])
      const all = (await runs.list()).map((r) => r.id)
      expect(all).toEqual([
        '20261201-090000-dddddd',
        '20261130-130000-cccccd',
        '20261130-130000-cccccc',
        '20261130-130000-cccccb',
        '20261130-120000-bbbbbb',
        '20261129-080000-aaaaaa',
      ])
      const cursorOf = async (id: string) => {
        const run = await runs.get(id)
        return { startedAt: run?.startedAt ?? '', id }
      }
      const pages: string[][] = []
      let olderThan: { startedAt: string; id: string } | undefined
      for (;;) {
        const page = await runs.list({ limit: 2, olderThan })
        if (page.length === 0) break
        pages.push(page.map((r) => r.id))
        const last = page.at(-1)
        olderThan = last === undefined ? undefined : { startedAt: last.startedAt, id: last.id }
      }
      expect(pages.flat()).toEqual(all)
      expect(pages).toHaveLength(3)
      const newer = await runs.list({
        limit: 2,
        newerThan: await cursorOf('20261130-130000-cccccb'),
      })
      expect(newer.map((r) => r.id)).toEqual(['20261130-130000-cccccd', '20261130-130000-cccccc'])
      const top = await runs.list({ limit: 5, newerThan: await cursorOf('20261130-130000-cccccd') })
      expect(top.map((r) => r.id)).toEqual(['20261201-090000-dddddd'])
      const filtered = await runs.list({
        status: 'running',
        olderThan: await cursorOf('20261201-090000-dddddd'),
      })
      expect(filtered.map((r) => r.id)).toEqual([
        '20261130-130000-cccccd',
        '20261130-130000-cccccb',
        '20261130-120000-bbbbbb',
      ])
    })

    it('lists runs as get returns them', async () => {
      const { runs } = getStore()
      const [first] = await runs.list({ status: 'completed' })
      expect(first).toEqual(await runs.get('20261130-130000-cccccc'))
      expect(first?.summary).toEqual(runEnd('completed').summary)
    })

    it("finds a suite's variants (suite[variant]) by the suite's name, taken literally", async () => {
      const { runs } = getStore()
      const variant = (name: string) => ({
        ...suite(`rag[${name}]`),
        variant: { suite: 'rag', name },
      })
      const at = (startedAt: string, suites: NewRun['suites']) => ({ startedAt, suites })
      await runs.create(
        newRun('20261202-000000-v1v1v1', at('2026-12-02T00:00:00.000Z', [variant('v1@a')])),
        [],
      )
      await runs.create(
        newRun(
          '20261202-010000-v2v2v2',
          at('2026-12-02T01:00:00.000Z', [suite('Rag[x]'), suite('r_g[x]'), suite('ragx[x]')]),
        ),
        [],
      )
      const ids = async (name: string) => (await runs.list({ suite: name })).map((r) => r.id)
      expect(await ids('rag')).toEqual([
        '20261202-000000-v1v1v1',
        '20261130-120000-bbbbbb',
        '20261129-080000-aaaaaa',
      ])
      expect(await ids('rag[v1@a]')).toEqual(['20261202-000000-v1v1v1'])
      expect(await ids('r_g')).toEqual(['20261202-010000-v2v2v2'])
      expect(await ids('r%')).toEqual([])
      const [stored] = await runs.list({ suite: 'rag[v1@a]' })
      expect(stored?.suites[0]?.variant).toEqual({ suite: 'rag', name: 'v1@a' })
    })
  })
}

/** Runs for pruning: id, branch (null: no git), status, start day. */
const RETAINED: readonly [string, string | null, RunEnd['status'] | 'running', string][] = [
  ['20261001-000000-m1m1m1', 'main', 'completed', '2026-10-01'],
  ['20261002-000000-f1f1f1', 'feature', 'completed', '2026-10-02'],
  ['20261003-000000-r1r1r1', 'main', 'running', '2026-10-03'],
  ['20261004-000000-n1n1n1', null, 'completed', '2026-10-04'],
  ['20261005-000000-m2m2m2', 'main', 'completed', '2026-10-05'],
  ['20261006-000000-m3m3m3', 'main', 'failed', '2026-10-06'],
  ['20261201-000000-m4m4m4', 'main', 'completed', '2026-12-01'],
]

const SHARED = '20261130-130000-shared'

/** Shard `index` of 3 joining the run SHARED, which plans cases a, b and c of smoke. */
export function shardJoin(index: number, overrides: Partial<ShardJoin> = {}): ShardJoin {
  return {
    run: { ...newRun(SHARED, { owner: null }), shards: 3 },
    shard: { index, count: 3 },
    owner: { host: 'ci-host', pid: 5000 + index },
    cases: ['a', 'b', 'c'].map((id) => plannedCase('smoke', id)),
    planHash: 'plan-1',
    ...overrides,
  }
}

function sharedRunContract(getStore: () => Store): void {
  describe('runs written by shards', () => {
    const finished = { status: 'completed' as const, finishedAt: '2026-11-30T13:05:00.000Z' }

    it('records the run and every planned case once, whichever shard arrives first', async () => {
      const { runs } = getStore()
      await expect(runs.joinShard(shardJoin(2))).resolves.toEqual({ ok: true, previous: null })
      await expect(runs.joinShard(shardJoin(1))).resolves.toEqual({ ok: true, previous: null })
      const run = await runs.get(SHARED)
      expect(run).toMatchObject({ id: SHARED, status: 'running', shards: 3, owner: null })
      expect(run?.shard).toBeUndefined()
      expect((await runs.cases(SHARED)).map((c) => c.id)).toEqual(['a', 'b', 'c'])
      expect(await runs.shards(SHARED)).toEqual([
        expect.objectContaining({
          index: 1,
          status: 'running',
          owner: { host: 'ci-host', pid: 5001 },
        }),
        expect.objectContaining({ index: 2, status: 'running', finishedAt: null }),
      ])
    })

    it('lets shards joining together all join, recording the run once', async () => {
      const { runs } = getStore()
      const joins = await Promise.all([1, 2, 3].map((i) => runs.joinShard(shardJoin(i))))
      expect(joins.every((j) => j.ok)).toBe(true)
      expect(await runs.cases(SHARED)).toHaveLength(3)
      expect((await runs.shards(SHARED)).map((s) => s.index)).toEqual([1, 2, 3])
    })

    it('refuses a shard of another plan, count or commit, and a run not written by shards', async () => {
      const { runs } = getStore()
      await runs.joinShard(shardJoin(1))
      const plan = await runs.joinShard(shardJoin(2, { planHash: 'plan-2' }))
      expect(plan).toMatchObject({ ok: false, reason: 'different-plan' })
      const count = await runs.joinShard(shardJoin(2, { shard: { index: 2, count: 4 } }))
      expect(count).toMatchObject({ ok: false, reason: 'different-count' })
      const moved = shardJoin(2)
      const commit = await runs.joinShard({
        ...moved,
        run: { ...moved.run, git: { commit: 'def456', branch: 'main', dirty: false } },
      })
      expect(commit).toMatchObject({ ok: false, reason: 'different-commit' })
      expect(commit.ok === false && commit.message).toContain('abc123')
      await runs.create(newRun(RUN), [plannedCase('smoke', 'a')])
      const plain = await runs.joinShard({ ...shardJoin(1), run: { ...shardJoin(1).run, id: RUN } })
      expect(plain).toMatchObject({ ok: false, reason: 'not-shared' })
      expect((await runs.shards(SHARED)).map((s) => s.index)).toEqual([1])
    })

    it('says complete to the shard that finishes the last, and only once every shard completed', async () => {
      const { runs } = getStore()
      for (const i of [1, 2, 3]) await runs.joinShard(shardJoin(i))
      await expect(runs.finishShard(SHARED, 1, finished)).resolves.toEqual({ complete: false })
      const cut = { ...finished, status: 'interrupted' as const }
      await expect(runs.finishShard(SHARED, 2, cut)).resolves.toEqual({ complete: false })
      await expect(runs.finishShard(SHARED, 3, finished)).resolves.toEqual({ complete: false })
      // The interrupted shard runs again and completes: now the run is complete.
      const again = await runs.joinShard(shardJoin(2, { owner: { host: 'other', pid: 7 } }))
      expect(again).toMatchObject({
        ok: true,
        previous: { index: 2, status: 'interrupted', owner: { host: 'ci-host', pid: 5002 } },
      })
      await expect(runs.finishShard(SHARED, 2, finished)).resolves.toEqual({ complete: true })
      const shards = await runs.shards(SHARED)
      expect(shards.map((s) => [s.index, s.status])).toEqual([
        [1, 'completed'],
        [2, 'completed'],
        [3, 'completed'],
      ])
      expect(shards[1]?.owner).toEqual({ host: 'other', pid: 7 })
    })

    it('tells exactly one of shards finishing together that the run is complete', async () => {
      const { runs } = getStore()
      for (const i of [1, 2, 3]) await runs.joinShard(shardJoin(i))
      const ends = await Promise.all([1, 2, 3].map((i) => runs.finishShard(SHARED, i, finished)))
      expect(ends.filter((e) => e.complete)).toHaveLength(1)
    })

    it('refuses to join or finish a shard once the run has ended', async () => {
      const { runs } = getStore()
      for (const i of [1, 2, 3]) await runs.joinShard(shardJoin(i))
      await runs.finish(SHARED, runEnd())
      await expect(runs.joinShard(shardJoin(1))).resolves.toMatchObject({
        ok: false,
        reason: 'ended',
      })
      await expect(runs.finishShard(SHARED, 1, finished)).rejects.toThrow(/already ended/)
      await expect(runs.finishShard('20261130-000000-nonone', 1, finished)).rejects.toThrow(
        /unknown/,
      )
    })

    it('keeps each shard’s samples apart and returns them in the planned order', async () => {
      const { runs } = getStore()
      await Promise.all([1, 2, 3].map((i) => runs.joinShard(shardJoin(i))))
      await Promise.all([
        runs.appendSamples(SHARED, [sample('smoke', 'c', 0)]),
        runs.appendSamples(SHARED, [sample('smoke', 'a', 0)]),
        runs.appendSamples(SHARED, [sample('smoke', 'b', 0)]),
      ])
      expect((await runs.samples(SHARED)).map((s) => s.caseId)).toEqual(['a', 'b', 'c'])
      await expect(runs.appendSamples(SHARED, [sample('smoke', 'b', 0)])).rejects.toThrow()
    })

    it('has no shards for a run not written by shards, nor for an unknown one', async () => {
      const { runs } = getStore()
      await runs.create(newRun(RUN), [plannedCase('smoke', 'a')])
      expect(await runs.shards(RUN)).toEqual([])
      expect(await runs.shards('nope')).toEqual([])
    })
  })
}

function pruneContract(getStore: () => Store): void {
  describe('prune', () => {
    beforeEach(async () => {
      const { runs } = getStore()
      for (const [id, branch, status, day] of RETAINED) {
        await runs.create(
          newRun(id, {
            startedAt: `${day}T00:00:00.000Z`,
            git: branch === null ? null : { commit: id, branch, dirty: false },
          }),
          [plannedCase('smoke', 'a')],
        )
        await runs.appendSamples(id, [sample('smoke', 'a', 0)])
        if (status !== 'running') await runs.finish(id, runEnd(status))
      }
    })

    const ids = async (store: Store): Promise<string[]> =>
      (await store.runs.list({ limit: 100 })).map((r) => r.id).sort()

    it('deletes old runs with their samples, oldest first, keeping running runs and each branch’s newest completed run', async () => {
      const store = getStore()
      const pruned = await store.runs.prune({ startedBefore: '2026-11-01T00:00:00.000Z' })
      expect(pruned).toEqual([
        '20261001-000000-m1m1m1',
        '20261005-000000-m2m2m2',
        '20261006-000000-m3m3m3',
      ])
      expect(await ids(store)).toEqual([
        '20261002-000000-f1f1f1',
        '20261003-000000-r1r1r1',
        '20261004-000000-n1n1n1',
        '20261201-000000-m4m4m4',
      ])
      expect(await store.runs.get('20261005-000000-m2m2m2')).toBeUndefined()
      expect(await store.runs.samples('20261005-000000-m2m2m2')).toEqual([])
      expect(await store.runs.samples('20261201-000000-m4m4m4')).toHaveLength(1)
    })

    it('keeps the newest completed run of a branch however old it is', async () => {
      const store = getStore()
      const pruned = await store.runs.prune({ startedBefore: '2027-01-01T00:00:00.000Z' })
      expect(pruned).not.toContain('20261201-000000-m4m4m4')
      expect(pruned).not.toContain('20261003-000000-r1r1r1')
      expect(await ids(store)).toEqual([
        '20261002-000000-f1f1f1',
        '20261003-000000-r1r1r1',
        '20261004-000000-n1n1n1',
        '20261201-000000-m4m4m4',
      ])
    })

    it('deletes nothing on a dry run, and says what it would delete', async () => {
      const store = getStore()
      const before = await ids(store)
      const pruned = await store.runs.prune({
        startedBefore: '2026-11-01T00:00:00.000Z',
        dryRun: true,
      })
      expect(pruned).toHaveLength(3)
      expect(await ids(store)).toEqual(before)
    })
  })
}

/** A provider batch of run requests `requests` (custom ids), submitted at minute `minute`. */
export function storedBatch(
  id: string,
  requests: readonly string[] = ['smoke/a#0', 'smoke/b#0'],
  overrides: Partial<StoredBatch> = {},
): StoredBatch {
  return {
    id,
    provider: 'openai',
    submittedAt: '2026-11-30T12:01:00.000Z',
    requests,
    ...overrides,
  }
}

function batchesContract(getStore: () => Store): void {
  describe('batches', () => {
    beforeEach(async () => {
      await getStore().runs.create(newRun(RUN), [plannedCase('smoke', 'a')])
    })

    it('lists a run’s batches in the order they were added, every field round-tripping', async () => {
      const { runs } = getStore()
      // Ids out of alphabetical order: the order is the one they were added in.
      const added = [
        storedBatch('msgbatch_01zz', ['smoke/a#0'], { provider: 'claude' }),
        storedBatch('batch_aa', ['smoke/b#0', 'smoke/a#1'], {
          submittedAt: '2026-11-30T12:02:00.000Z',
        }),
        storedBatch('batch_mm', []),
      ]
      for (const batch of added) await runs.addBatch(RUN, batch)
      expect(await runs.batches(RUN)).toEqual(added)
    })

    it('keeps the first record of a batch id added twice, in its first place', async () => {
      const { runs } = getStore()
      await runs.addBatch(RUN, storedBatch('batch_1'))
      await runs.addBatch(RUN, storedBatch('batch_2'))
      await runs.addBatch(RUN, storedBatch('batch_1', ['other'], { provider: 'other' }))
      await runs.addBatch(RUN, storedBatch('batch_3'))
      expect(await runs.batches(RUN)).toEqual([
        storedBatch('batch_1'),
        storedBatch('batch_2'),
        storedBatch('batch_3'),
      ])
    })

    it('refuses a batch of an unknown run, recording nothing', async () => {
      const { runs } = getStore()
      const unknown = '20261130-120000-nonono'
      await expect(runs.addBatch(unknown, storedBatch('batch_1'))).rejects.toThrow(unknown)
      expect(await runs.batches(unknown)).toEqual([])
      expect(await runs.get(unknown)).toBeUndefined()
    })

    it('lists none for an unknown run, nor for a run that submitted none', async () => {
      const { runs } = getStore()
      expect(await runs.batches('20261130-120000-nonono')).toEqual([])
      expect(await runs.batches(RUN)).toEqual([])
    })

    it('keeps the batches of each run apart; one id may belong to two runs', async () => {
      const { runs } = getStore()
      const other = '20261130-120000-bbbbbb'
      await runs.create(newRun(other), [])
      await runs.addBatch(RUN, storedBatch('batch_1'))
      await runs.addBatch(other, storedBatch('batch_2'))
      await runs.addBatch(other, storedBatch('batch_1', ['smoke/z#0']))
      expect((await runs.batches(RUN)).map((b) => b.id)).toEqual(['batch_1'])
      expect(await runs.batches(other)).toEqual([
        storedBatch('batch_2'),
        storedBatch('batch_1', ['smoke/z#0']),
      ])
    })

    it('round-trips a batch of 1,000 requests of 40-character ids, in order', async () => {
      const { runs } = getStore()
      const requests = Array.from({ length: 1000 }, (_, i) =>
        `smoke/case-${String(999 - i).padStart(4, '0')}#0`.padEnd(40, 'x'),
      )
      expect(requests.every((r) => r.length === 40)).toBe(true)
      await runs.addBatch(RUN, storedBatch('batch_big', requests))
      const [stored] = await runs.batches(RUN)
      expect(stored?.requests).toHaveLength(1000)
      expect(stored).toEqual(storedBatch('batch_big', requests))
    })

    it('keeps a run’s batches when it ends, and takes more after (a resumed run)', async () => {
      const { runs } = getStore()
      await runs.addBatch(RUN, storedBatch('batch_1'))
      await runs.finish(RUN, runEnd('interrupted'))
      await runs.addBatch(RUN, storedBatch('batch_2'))
      expect((await runs.batches(RUN)).map((b) => b.id)).toEqual(['batch_1', 'batch_2'])
    })

    it('goes with its run when the run is pruned, and stays on a dry run', async () => {
      const { runs } = getStore()
      const old = '20261001-000000-oldold'
      await runs.create(newRun(old, { startedAt: '2026-10-01T00:00:00.000Z' }), [])
      await runs.addBatch(old, storedBatch('batch_old'))
      await runs.finish(old, runEnd('failed'))
      await runs.addBatch(RUN, storedBatch('batch_kept'))
      const rule = { startedBefore: '2026-11-01T00:00:00.000Z' }
      expect(await runs.prune({ ...rule, dryRun: true })).toEqual([old])
      expect((await runs.batches(old)).map((b) => b.id)).toEqual(['batch_old'])
      expect(await runs.prune(rule)).toEqual([old])
      expect(await runs.batches(old)).toEqual([])
      expect((await runs.batches(RUN)).map((b) => b.id)).toEqual(['batch_kept'])
      // The id is free again: a new run of that id starts with no batches.
      await runs.create(newRun(old), [])
      expect(await runs.batches(old)).toEqual([])
    })
  })
}

/** A release manifest with every part filled in; `id` is shaped like the ids shipgate makes. */
export function manifest(id: string, overrides: Partial<ReleaseManifest> = {}): ReleaseManifest {
  return {
    id,
    name: null,
    createdAt: '2026-11-30T12:00:00.000Z',
    code: { commit: 'c0ffee0000000000000000000000000000000000', branch: 'main', dirty: false },
    prompts: {
      greet: { hash: 'sha256:aa', path: 'prompts/greet.liquid' },
      inline: { hash: 'sha256:bb', path: null },
    },
    models: {
      bot: { type: 'anthropic', model: 'claude-3-5-haiku-20241022', params: { temperature: 0 } },
      agent: { type: 'http', model: null, params: {} },
    },
    flags: { path: 'flags.json', hash: 'sha256:cc' },
    configHash: 'sha256:dd',
    env: { PROMPT_VERSION: 'v2' },
    ...overrides,
  }
}

/** A running deployment of `releaseId` to `target`. */
export function deployment(
  id: string,
  target: string,
  overrides: Partial<Deployment> = {},
): Deployment {
  return {
    id,
    target,
    releaseId: 'rel-aaaaaaaaaaaa',
    previousReleaseId: null,
    strategy: 'replace',
    status: 'running',
    steps: [],
    startedAt: '2026-11-30T12:00:00.000Z',
    finishedAt: null,
    reason: null,
    owner: { host: 'ci-host', pid: 4242 },
    ...overrides,
  }
}

function releasesContract(getStore: () => Store): void {
  describe('releases', () => {
    it('saves a manifest once and round-trips every field', async () => {
      const { releases } = getStore()
      const full = manifest('rel-0123456789ab', { name: 'v1.4.0', flags: null })
      expect(await releases.save(full)).toBe('created')
      expect(await releases.get(full.id)).toEqual(full)
    })

    it('leaves a manifest with a stored id as it is', async () => {
      const { releases } = getStore()
      const first = manifest('rel-0123456789ab', { name: 'first' })
      await releases.save(first)
      const again = { ...first, name: 'second', createdAt: '2026-12-01T00:00:00.000Z' }
      expect(await releases.save(again)).toBe('exists')
      expect(await releases.get(first.id)).toEqual(first)
      expect(await releases.list()).toHaveLength(1)
    })

    it('returns undefined for an unknown id', async () => {
      expect(await getStore().releases.get('rel-ffffffffffff')).toBeUndefined()
    })

    describe('resolveId and list', () => {
      beforeEach(async () => {
        const { releases } = getStore()
        await releases.save(manifest('rel-bbbb00000000', { createdAt: '2026-11-30T12:00:00Z' }))
        await releases.save(
          manifest('rel-dddd00000000', { createdAt: '2026-12-01T09:00:00Z', name: 'v2' }),
        )
        await releases.save(
          manifest('rel-aaaa00000000', { createdAt: '2026-11-29T08:00:00Z', name: 'v1' }),
        )
        await releases.save(
          manifest('rel-bbbb11111111', { createdAt: '2026-11-30T13:00:00Z', name: 'v1' }),
        )
      })

      it.each([
        ['a full id', 'rel-aaaa00000000', 'rel-aaaa00000000'],
        ['a unique prefix', 'rel-dd', 'rel-dddd00000000'],
        ['an ambiguous prefix', 'rel-bbbb', undefined],
        ['a name', 'v2', 'rel-dddd00000000'],
        ['a name given twice, as its newest release', 'v1', 'rel-bbbb11111111'],
        ['an unknown ref', 'v3', undefined],
        ['latest', 'latest', 'rel-dddd00000000'],
      ])('resolves %s', async (_label, ref, expected) => {
        expect(await getStore().releases.resolveId(ref)).toBe(expected)
      })

      it('lists newest first, with a limit', async () => {
        const { releases } = getStore()
        expect((await releases.list()).map((m) => m.id)).toEqual([
          'rel-dddd00000000',
          'rel-bbbb11111111',
          'rel-bbbb00000000',
          'rel-aaaa00000000',
        ])
        expect((await releases.list({ limit: 1 })).map((m) => m.id)).toEqual(['rel-dddd00000000'])
      })
    })
  })
}

function deploymentsContract(getStore: () => Store): void {
  describe('deployments', () => {
    it('keeps the latest control request of a running deployment, and refuses others', async () => {
      const { deployments } = getStore()
      await deployments.begin(deployment('dep-1', 'prod'))
      expect(await deployments.control('dep-1')).toBeNull()
      await deployments.requestControl('dep-1', { action: 'pause', at: '2026-11-30T12:01:00.000Z' })
      await deployments.requestControl('dep-1', {
        action: 'promote',
        at: '2026-11-30T12:02:00.000Z',
      })
      expect(await deployments.control('dep-1')).toEqual({
        action: 'promote',
        at: '2026-11-30T12:02:00.000Z',
      })
      await deployments.update('dep-1', {
        ...{ status: 'succeeded', steps: [], finishedAt: '2026-11-30T12:03:00.000Z' },
        ...{ reason: null, owner: null },
      })
      const at = '2026-11-30T12:04:00.000Z'
      await expect(deployments.requestControl('dep-1', { action: 'abort', at })).rejects.toThrow(
        /not running/,
      )
      await expect(deployments.requestControl('nope', { action: 'abort', at })).rejects.toThrow(
        /unknown/,
      )
    })

    it('records a deployment and round-trips every field', async () => {
      const { deployments } = getStore()
      const d = deployment('dep-1', 'prod', {
        previousReleaseId: 'rel-bbbbbbbbbbbb',
        strategy: 'canary',
        steps: [
          {
            name: 'verify',
            status: 'passed',
            startedAt: '2026-11-30T12:00:00.000Z',
            finishedAt: '2026-11-30T12:00:01.000Z',
            detail: 'railway found',
          },
        ],
      })
      expect(await deployments.begin(d)).toEqual({ ok: true })
      expect(await deployments.get('dep-1')).toEqual(d)
      expect(await deployments.get('dep-unknown')).toBeUndefined()
    })

    it('refuses a second running deployment on a target, naming the first', async () => {
      const { deployments } = getStore()
      const first = deployment('dep-1', 'prod')
      await deployments.begin(first)
      expect(await deployments.begin(deployment('dep-2', 'prod'))).toEqual({
        ok: false,
        running: first,
      })
      expect(await deployments.begin(deployment('dep-3', 'staging'))).toEqual({ ok: true })
      expect(await deployments.get('dep-2')).toBeUndefined()
    })

    it('lets exactly one of two concurrent begins on a target win', async () => {
      const { deployments } = getStore()
      const results = await Promise.all([
        deployments.begin(deployment('dep-a', 'prod')),
        deployments.begin(deployment('dep-b', 'prod')),
      ])
      expect(results.filter((r) => r.ok)).toHaveLength(1)
      const lost = results.find((r) => !r.ok)
      expect(lost !== undefined && !lost.ok ? lost.running.id : undefined).toMatch(/^dep-[ab]$/)
      expect(await deployments.list({ target: 'prod' })).toHaveLength(1)
    })

    it('allows a new deployment once the running one has ended', async () => {
      const { deployments } = getStore()
      await deployments.begin(deployment('dep-1', 'prod'))
      await deployments.update('dep-1', {
        status: 'failed',
        steps: [],
        finishedAt: '2026-11-30T12:05:00.000Z',
        reason: 'smoke failed',
        owner: null,
      })
      expect(await deployments.begin(deployment('dep-2', 'prod'))).toEqual({ ok: true })
    })

    it('rejects a deployment id that already exists', async () => {
      const { deployments } = getStore()
      await deployments.begin(deployment('dep-1', 'prod', { status: 'succeeded' }))
      await expect(
        deployments.begin(deployment('dep-1', 'staging', { status: 'succeeded' })),
      ).rejects.toThrow()
    })

    it('update replaces status, steps, finishedAt, reason and owner only', async () => {
      const { deployments } = getStore()
      const d = deployment('dep-1', 'prod', { previousReleaseId: 'rel-bbbbbbbbbbbb' })
      await deployments.begin(d)
      const patch = {
        status: 'rolled_back' as const,
        steps: [
          {
            name: 'rollback' as const,
            status: 'passed' as const,
            startedAt: '2026-11-30T12:04:00.000Z',
            finishedAt: '2026-11-30T12:05:00.000Z',
            detail: 'back on rel-bbbbbbbbbbbb',
          },
        ],
        finishedAt: '2026-11-30T12:05:00.000Z',
        reason: 'error rate 0.2 over 0.05',
        owner: null,
      }
      await deployments.update('dep-1', patch)
      expect(await deployments.get('dep-1')).toEqual({ ...d, ...patch })
    })

    it('keeps the alerts sent about a deployment, from begin and from update', async () => {
      const { deployments } = getStore()
      const alert = (type: 'deploy.started' | 'deploy.failed', ok: boolean) => ({
        type,
        severity: ok ? ('info' as const) : ('critical' as const),
        summary: `${type} of rel-aaaaaaaaaaaa`,
        at: '2026-11-30T12:00:01.000Z',
        notifiers: ok
          ? [{ name: 'slack', ok: true }]
          : [
              { name: 'slack', ok: true },
              { name: 'hook', ok: false, error: 'HTTP 503' },
            ],
      })
      const d = deployment('dep-1', 'prod', { alerts: [alert('deploy.started', true)] })
      await deployments.begin(d)
      expect(await deployments.get('dep-1')).toEqual(d)
      const {
        id: _id,
        target: _t,
        releaseId: _r,
        previousReleaseId: _p,
        strategy: _s,
        startedAt: _a,
        ...rest
      } = d
      const alerts = [alert('deploy.started', true), alert('deploy.failed', false)]
      await deployments.update('dep-1', { ...rest, status: 'failed', alerts })
      expect((await deployments.get('dep-1'))?.alerts).toEqual(alerts)
      // A deployment that sent none has no alerts at all.
      await deployments.begin(deployment('dep-2', 'staging'))
      expect(await deployments.get('dep-2')).not.toHaveProperty('alerts')
    })

    it('update rejects an unknown id, and a second running deployment on a target', async () => {
      const { deployments } = getStore()
      const patch = { status: 'running' as const, steps: [], finishedAt: null, reason: null }
      await expect(deployments.update('dep-x', { ...patch, owner: null })).rejects.toThrow()
      await deployments.begin(deployment('dep-1', 'prod'))
      await deployments.begin(deployment('dep-2', 'prod', { status: 'failed' }))
      await expect(deployments.update('dep-2', { ...patch, owner: null })).rejects.toThrow()
      expect((await deployments.get('dep-2'))?.status).toBe('failed')
    })

    it('lists newest first, filtered by target, status and limit', async () => {
      const { deployments } = getStore()
      const at = (h: number): string => `2026-11-30T${String(h).padStart(2, '0')}:00:00.000Z`
      await deployments.begin(deployment('d1', 'prod', { status: 'succeeded', startedAt: at(9) }))
      await deployments.begin(deployment('d3', 'prod', { startedAt: at(11) }))
      await deployments.begin(deployment('d2', 'staging', { status: 'failed', startedAt: at(10) }))
      const ids = async (q?: Parameters<Store['deployments']['list']>[0]): Promise<string[]> =>
        (await deployments.list(q)).map((d) => d.id)
      expect(await ids()).toEqual(['d3', 'd2', 'd1'])
      expect(await ids({ target: 'prod' })).toEqual(['d3', 'd1'])
      expect(await ids({ status: 'running' })).toEqual(['d3'])
      expect(await ids({ target: 'prod', status: 'succeeded' })).toEqual(['d1'])
      expect(await ids({ limit: 2 })).toEqual(['d3', 'd2'])
    })

    it('lists the deployments of one release, with the other filters', async () => {
      const { deployments } = getStore()
      const at = (h: number): string => `2026-11-30T${String(h).padStart(2, '0')}:00:00.000Z`
      const a = 'rel-aaaaaaaaaaaa'
      const b = 'rel-bbbbbbbbbbbb'
      const done = { status: 'succeeded' as const }
      await deployments.begin(deployment('d1', 'prod', { ...done, releaseId: a, startedAt: at(9) }))
      await deployments.begin(
        deployment('d2', 'prod', { ...done, releaseId: b, startedAt: at(10) }),
      )
      await deployments.begin(deployment('d3', 'staging', { releaseId: a, startedAt: at(11) }))
      const ids = async (q?: Parameters<Store['deployments']['list']>[0]): Promise<string[]> =>
        (await deployments.list(q)).map((d) => d.id)
      expect(await ids({ releaseId: a })).toEqual(['d3', 'd1'])
      expect(await ids({ releaseId: b })).toEqual(['d2'])
      expect(await ids({ releaseId: a, target: 'prod' })).toEqual(['d1'])
      expect(await ids({ releaseId: a, status: 'running' })).toEqual(['d3'])
      expect(await ids({ releaseId: a, limit: 1 })).toEqual(['d3'])
      expect(await ids({ releaseId: 'rel-cccccccccccc' })).toEqual([])
    })
  })
}
