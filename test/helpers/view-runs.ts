/**
 * Runs recorded through the store API the way `shipgate eval` records them (create with the
 * planned cases, samples appended in batches, finish), for the viewer's page tests.
 */
import type { AssertionGrade, SampleResult } from '../../src/contracts/results.js'
import type { Store } from '../../src/contracts/store.js'
import { newRun, runEnd, sample, suite } from '../contract/store.contract.js'

/** One sample of a case: its output and whether it passed. */
export interface SampleSpec {
  readonly output: string | null
  readonly pass: boolean
  /** The reason its check gives; a default one when absent. */
  readonly reason?: string
  /** Graded by a judge too: the judge's grade with its model, cost and latency. */
  readonly judged?: boolean
}

/** A case of a run. */
export interface CaseSpec {
  readonly suite: string
  readonly id: string
  readonly vars?: Readonly<Record<string, unknown>>
  readonly samples: readonly SampleSpec[]
}

/** A run to record. */
export interface RunSpec {
  readonly startedAt: string
  readonly branch: string
  readonly cases: readonly CaseSpec[]
  readonly status?: 'completed' | 'failed' | 'interrupted'
}

/** Records the run `id`: its planned cases, its samples in batches, and its end. */
export async function recordRun(store: Store, id: string, spec: RunSpec): Promise<void> {
  const names = [...new Set(spec.cases.map((c) => c.suite))]
  const repeat = Math.max(1, ...spec.cases.map((c) => c.samples.length))
  await store.runs.create(
    newRun(id, {
      startedAt: spec.startedAt,
      git: { commit: `c0ffee${id.slice(-4)}`, branch: spec.branch, dirty: false },
      // A majority passes a case, so a case with a minority of failing samples is flaky.
      suites: names.map((n) => ({ ...suite(n), repeat, casePass: 'majority' as const })),
    }),
    spec.cases.map((c) => ({ suite: c.suite, id: c.id, vars: c.vars ?? {}, tags: [] })),
  )
  const samples = spec.cases.flatMap((c) => c.samples.map((s, i) => sampleOf(c.suite, c.id, i, s)))
  for (let i = 0; i < samples.length; i += 5000)
    await store.runs.appendSamples(id, samples.slice(i, i + 5000))
  await store.runs.finish(id, runEnd(spec.status ?? 'completed'))
}

function sampleOf(suiteName: string, caseId: string, i: number, s: SampleSpec): SampleResult {
  const grades: AssertionGrade[] = [
    {
      type: 'contains',
      pass: s.pass,
      score: s.pass ? 1 : 0,
      reason: s.reason ?? (s.pass ? 'found the text' : 'the text is missing'),
      weight: 1,
    },
  ]
  if (s.judged === true)
    grades.push({
      type: 'llm-rubric',
      pass: s.pass,
      score: s.pass ? 0.9 : 0.2,
      reason: s.pass ? 'the judge finds it helpful' : 'the judge finds it wrong',
      weight: 1,
      judge: {
        provider: 'openai:gpt-4o-mini',
        calls: 1,
        usage: null,
        costUsd: 0.00021,
        latencyMs: 321,
        cached: false,
      },
    })
  return sample(suiteName, caseId, i, {
    output: s.output,
    pass: s.pass,
    score: s.pass ? 1 : 0,
    grades,
    usage: { input: 120, output: 30, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
    costUsd: 0.0003,
    latencyMs: 400 + i,
  })
}

/** `20261201-HHMMSS-xxxxxx`: a run id shaped like shipgate's, `n` minutes into the day. */
export function runId(n: number, tail = 'aaaaaa'): string {
  const h = String(Math.floor(n / 60)).padStart(2, '0')
  const m = String(n % 60).padStart(2, '0')
  return `20261201-${h}${m}00-${tail}`
}

/** The start time of {@link runId}`(n)`. */
export function startOf(n: number): string {
  return new Date(Date.UTC(2026, 11, 1, 0, n)).toISOString()
}

/** The `data-case` ids of a page's case elements, in page order. */
export function caseIds(body: string, element = 'details'): string[] {
  return [
    ...body.matchAll(new RegExp(`<${element}\\s+class="[^"]*"[^>]*?data-case="([^"]+)"`, 'g')),
  ].map((m) => m[1] ?? '')
}

/** The first link with `rel`, unescaped. */
export function relLink(body: string, rel: 'next' | 'prev'): string | undefined {
  return new RegExp(`rel="${rel}" href="([^"]+)"`).exec(body)?.[1]?.replaceAll('&amp;', '&')
}
